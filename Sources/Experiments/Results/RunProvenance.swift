// Where a run's numbers come from: the root attributes of metrics.h5 (SPEC.md "HDF5 files":
// config_json, run_id, sweep, seed, engine_version, git_commit, git_dirty, swift_version, blas,
// host, datasets, skipped_samples_per_epoch). The runner fills them in; this module only stores.

import Datasets
import Foundation
import HDF5

/// The BLAS library a run used: metrics.h5's `blas` attribute, JSON
/// `{"core": …, "library": …, "threads": …}` (keys sorted, no spaces).
public struct BLASDescription: Sendable, Equatable, Codable {
    /// The library, e.g. "openblas".
    public var library: String
    /// The kernel set in use, e.g. "Haswell" (Tensor's `BLAS.coreName`).
    public var core: String
    /// The BLAS thread count during training (1: the trainer pins OpenBLAS to one thread).
    public var threads: Int

    /// A description from plain values.
    public init(library: String, core: String, threads: Int) {
        self.library = library
        self.core = core
        self.threads = threads
    }
}

/// The provenance attributes of metrics.h5, as plain values (SPEC.md "HDF5 files").
public struct RunProvenance: Sendable, Equatable {
    /// `config_json`: the resolved configuration as JSON text (canonical form recommended:
    /// `ResolvedConfiguration.json.canonicalJSON`).
    public var configJSON: String
    /// `run_id`: 8 hex digits (SPEC.md "Run id").
    public var runID: String
    /// `sweep`: the sweep's name.
    public var sweep: String
    /// `seed`: the run's seed (int64 attribute).
    public var seed: Int64
    /// `engine_version`, e.g. "0.1.0".
    public var engineVersion: String
    /// `git_commit`: the 40-hex commit the engine was built from ("" when unknown).
    public var gitCommit: String
    /// `git_dirty`: whether Package.swift or Sources/ of the build's checkout had changes (int64 0/1).
    public var gitDirty: Bool
    /// `swift_version`, e.g. "6.3.1".
    public var swiftVersion: String
    /// `blas` (JSON string).
    public var blas: BLASDescription
    /// `host`: the machine's host name.
    public var host: String
    /// `datasets` (JSON string): name and files with their SHA-256 (Datasets' `DatasetProvenance`).
    public var datasets: DatasetProvenance
    /// `skipped_samples_per_epoch`: training samples left out of every epoch (drop_last), int64.
    public var skippedSamplesPerEpoch: Int64

    /// Provenance from plain values.
    public init(configJSON: String, runID: String, sweep: String, seed: Int64, engineVersion: String,
                gitCommit: String, gitDirty: Bool, swiftVersion: String, blas: BLASDescription, host: String,
                datasets: DatasetProvenance, skippedSamplesPerEpoch: Int64) {
        self.configJSON = configJSON
        self.runID = runID
        self.sweep = sweep
        self.seed = seed
        self.engineVersion = engineVersion
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.swiftVersion = swiftVersion
        self.blas = blas
        self.host = host
        self.datasets = datasets
        self.skippedSamplesPerEpoch = skippedSamplesPerEpoch
    }

    /// Compact JSON with sorted keys and unescaped slashes (deterministic, so two runs of the
    /// same configuration write the same bytes).
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Writes the attributes onto `object` (the root of metrics.h5).
    func write(to object: HDF5Object) throws {
        try object.setAttribute("config_json", .string(configJSON))
        try object.setAttribute("run_id", .string(runID))
        try object.setAttribute("sweep", .string(sweep))
        try object.setAttribute("seed", .int64(seed))
        try object.setAttribute("engine_version", .string(engineVersion))
        try object.setAttribute("git_commit", .string(gitCommit))
        try object.setAttribute("git_dirty", .int64(gitDirty ? 1 : 0))
        try object.setAttribute("swift_version", .string(swiftVersion))
        try object.setAttribute("blas", .string(try Self.json(blas)))
        try object.setAttribute("host", .string(host))
        try object.setAttribute("datasets", .string(try Self.json(datasets)))
        try object.setAttribute("skipped_samples_per_epoch", .int64(skippedSamplesPerEpoch))
    }

    /// Reads the attributes from the root of an open metrics.h5.
    /// - Throws: `ResultsFileError` for a missing attribute or JSON that does not decode.
    init(reading reader: ResultsReader) throws {
        func decode<T: Decodable>(_ name: String, as: T.Type) throws -> T {
            let text = try reader.string(name)
            do {
                return try JSONDecoder().decode(T.self, from: Data(text.utf8))
            } catch {
                throw reader.error(.inconsistent("attribute \(name) is not the expected JSON: \(error)"))
            }
        }
        let dirty = try reader.integer("git_dirty")
        guard dirty == 0 || dirty == 1 else { throw reader.error(.inconsistent("git_dirty is \(dirty), expected 0 or 1")) }
        self.init(configJSON: try reader.string("config_json"), runID: try reader.string("run_id"),
                  sweep: try reader.string("sweep"), seed: try reader.integer("seed"),
                  engineVersion: try reader.string("engine_version"), gitCommit: try reader.string("git_commit"),
                  gitDirty: dirty == 1, swiftVersion: try reader.string("swift_version"),
                  blas: try decode("blas", as: BLASDescription.self), host: try reader.string("host"),
                  datasets: try decode("datasets", as: DatasetProvenance.self),
                  skippedSamplesPerEpoch: try reader.integer("skipped_samples_per_epoch"))
    }
}
