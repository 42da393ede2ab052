// weights.h5: writer and reader (SPEC.md "HDF5 files"; docs/FORMAT.md "weights.h5").
// The file is replaced atomically at every save (tmp + fsync + rename): written whole from a
// `WeightsHistory` the first time (and after a resume that dropped snapshots), later by
// appending the new snapshot to a byte-for-byte copy, so earlier snapshots are not written
// again at every epoch; on resume the history is read back from weights.h5 itself.
// Snapshots are stored contiguous and uncompressed (`WeightsFile.compressed`).

import HDF5
import Model
import Tensor

/// The snapshots weights.h5 holds: Float32 network states by epoch, plus `config_json`.
public struct WeightsHistory: Sendable, Equatable {
    /// `config_json`: the run's resolved configuration as JSON text.
    public var configJSON: String
    /// The saved states by epoch (0 = the initial weights).
    public var snapshots: [Int: NetworkTensors<Float>]

    /// A history from plain values; empty by default.
    public init(configJSON: String, snapshots: [Int: NetworkTensors<Float>] = [:]) {
        self.configJSON = configJSON
        self.snapshots = snapshots
    }

    /// The saved epochs in ascending order.
    public var epochs: [Int] { snapshots.keys.sorted() }

    /// `last_epoch`: the highest saved epoch, nil when nothing is saved.
    public var lastEpoch: Int? { snapshots.keys.max() }

    /// Saves `network`'s state (converted to Float32) as epoch `epoch`, replacing any earlier one.
    public mutating func record<Scalar: TensorScalar>(epoch: Int, network: Network<Scalar>) {
        snapshots[epoch] = NetworkTensors<Float>(network: network)
    }

    /// Drops the snapshots after `epoch` (on resume from a checkpoint taken at `epoch`, in
    /// case weights.h5 was written after the checkpoint).
    public mutating func discard(after epoch: Int) {
        snapshots = snapshots.filter { $0.key <= epoch }
    }

    /// The group name of an epoch: `epoch_0003`.
    public static func groupName(epoch: Int) -> String {
        let digits = String(epoch)
        return "epoch_" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// Writes and reads weights.h5.
public enum WeightsFile {
    /// Whether snapshots are chunked and deflated: no. Trained Float32 weights hardly compress
    /// (shuffle + gzip 4 kept 88 % of the bytes of a 5-epoch lenet5 run) while deflating a
    /// snapshot cost ~3 ms of every epoch end (5.5–6.6 → 2.4–3.9 ms per save, `exp run`, 8
    /// epochs, 2026-11-30). Files of earlier builds, compressed, are read (and appended to) as well.
    public static let compressed = false

    /// Writes the whole file atomically: root attributes `format` = "exp-weights",
    /// `format_version` = 1, `last_epoch` (int64; absent when nothing is saved), `config_json`;
    /// one group `/epoch_NNNN` per snapshot (see `NetworkTensors`).
    /// `compressed` true writes the earlier builds' layout (arrays of ≥ 1024 elements chunked
    /// and deflated; for tests of reading and appending to such files). With `commits`, the
    /// fsync and rename run later on it (`HDF5File.writeAtomically`).
    /// - Throws: `HDF5Error`; the previous file is then intact.
    public static func write(_ history: WeightsHistory, to path: String, compressed: Bool = compressed,
                             commits: CommitQueue? = nil) throws {
        try HDF5File.writeAtomically(to: path, compressed: compressed, commits: commits) { file in
            try file.setAttribute("format", .string(ResultsFileKind.weights.format))
            try file.setAttribute("format_version", .int64(ResultsFileKind.weights.formatVersion))
            if let last = history.lastEpoch { try file.setAttribute("last_epoch", .int64(Int64(last))) }
            try file.setAttribute("config_json", .string(history.configJSON))
            for epoch in history.epochs {
                try history.snapshots[epoch]!.write(into: file.createGroup(WeightsHistory.groupName(epoch: epoch)))
            }
        }
    }

    /// Adds the snapshot of `epoch` to the existing weights.h5 at `path` without rewriting the
    /// snapshots already there (`HDF5File.updateAtomically`: a byte-for-byte copy opened
    /// read-write, then tmp + fsync + rename): the group `/epoch_NNNN` is written as `write`
    /// writes it and `last_epoch` set to `epoch`. The file then reads back equal to `write` of
    /// the whole history, with the same dataset bytes; only its layout differs. With `commits`,
    /// the fsync and rename run later on it (a pending step writing `path` is waited for first).
    /// - Throws: `ResultsFileError` when the file is not a weights.h5 or `epoch` is not above
    ///   its `last_epoch` (write it whole then); `HDF5Error` for a failed step. The previous
    ///   file is then intact.
    public static func append(_ snapshot: NetworkTensors<Float>, epoch: Int, to path: String,
                              commits: CommitQueue? = nil) throws {
        try HDF5File.updateAtomically(at: path, compressed: compressed, commits: commits) { file in
            let format = (try? file.hasAttribute("format")) == true ? try? file.stringAttribute("format") : nil
            guard format == ResultsFileKind.weights.format else {
                throw ResultsFileError(path: path, kind: .weights, problem: .wrongFormat(found: format))
            }
            if try file.hasAttribute("last_epoch") {
                let last = try file.int64Attribute("last_epoch")
                guard last < epoch else {
                    throw ResultsFileError(path: path, kind: .weights,
                                           problem: .inconsistent("epoch \(epoch) cannot be appended after last_epoch \(last)"))
                }
            }
            try snapshot.write(into: file.createGroup(WeightsHistory.groupName(epoch: epoch)))
            try file.setAttribute("last_epoch", .int64(Int64(epoch)))
        }
    }

    /// Reads every snapshot (for resume: keep rewriting the file with the earlier epochs).
    /// - Throws: `ResultsFileError` for a missing, damaged or foreign file, a float64
    ///   dataset, a missing attribute, or `last_epoch` not naming the highest saved epoch.
    public static func read(from path: String) throws -> WeightsHistory {
        let reader = try ResultsReader.open(path, kind: .weights)
        defer { reader.close() }
        var history = WeightsHistory(configJSON: try reader.string("config_json"))
        for (epoch, name) in try epochGroups(reader) {
            history.snapshots[epoch] = try NetworkTensors<Float>.read(reader, from: reader.group("/" + name))
        }
        let last = (try? reader.file.hasAttribute("last_epoch")) == true ? try reader.integer("last_epoch") : nil
        guard last.map(Int.init) == history.lastEpoch else {
            throw reader.error(.inconsistent("last_epoch is \(last.map(String.init) ?? "missing") but the highest saved epoch is \(history.lastEpoch.map(String.init) ?? "none")"))
        }
        return history
    }

    /// The saved epochs, ascending, without reading any weights.
    /// - Throws: `ResultsFileError` for a missing, damaged or foreign file.
    public static func epochs(in path: String) throws -> [Int] {
        let reader = try ResultsReader.open(path, kind: .weights)
        defer { reader.close() }
        return try epochGroups(reader).map(\.epoch)
    }

    /// Loads the snapshot of `epoch` into `network` by tensor name (parameters and BN buffers).
    /// - Throws: `ResultsFileError` when the file or the epoch is missing, or a tensor of the
    ///   network is absent or of another shape.
    public static func load<Scalar: TensorScalar>(epoch: Int, from path: String, into network: inout Network<Scalar>) throws {
        let reader = try ResultsReader.open(path, kind: .weights)
        defer { reader.close() }
        let groupPath = "/" + WeightsHistory.groupName(epoch: epoch)
        let snapshot = try NetworkTensors<Float>.read(reader, from: reader.group(groupPath))
        try snapshot.apply(to: &network, path: path, kind: .weights, groupPath: groupPath)
    }

    /// The `epoch_NNNN` groups at the root, by epoch; other root children are an error.
    static func epochGroups(_ reader: ResultsReader) throws -> [(epoch: Int, name: String)] {
        var groups: [(epoch: Int, name: String)] = []
        for name in try reader.children(of: reader.file, groups: true) + reader.children(of: reader.file, groups: false) {
            guard name.hasPrefix("epoch_"), name.count >= 10, let epoch = Int(name.dropFirst(6)), epoch >= 0,
                  WeightsHistory.groupName(epoch: epoch) == name, (try? reader.file.kind(of: name)) == .group else {
                throw reader.error(.inconsistent("unexpected object /\(name) (expected groups epoch_NNNN)"))
            }
            groups.append((epoch, name))
        }
        return groups.sorted { $0.epoch < $1.epoch }
    }
}
