// checkpoint.h5: writer and reader (SPEC.md "Results layout", "HDF5 files"; docs/FORMAT.md
// "checkpoint.h5"). Written whole and atomically at every epoch end and on SIGINT/SIGTERM.

import HDF5
import Model
import Tensor
import Training

/// Writes and reads checkpoint.h5.
public enum CheckpointFile {
    /// Writes the whole file atomically: root attributes `format` = "exp-checkpoint",
    /// `format_version` = 1, `config_json`, `run_id`, `epoch`, `step`, `batch` (int64);
    /// groups `/network`, `/momentum` (layer groups as in weights.h5, element type `Scalar`),
    /// `/epoch_start_network` (the same, only when `state.epochStartNetwork` is set: mid-epoch),
    /// `/epoch`, `/step`, `/diagnostics` (as in metrics.h5) and `/counters` (float64 scalars).
    /// Every array is stored contiguously and uncompressed: the file is rewritten at every
    /// epoch end and removed when the run ends, so deflating it only cost time (docs/FORMAT.md).
    /// `compressed` true writes the earlier builds' layout (arrays of ≥ 1024 elements chunked
    /// and deflated), which `read` accepts as well. With `commits`, the fsync and rename run
    /// later on it (`HDF5File.writeAtomically`).
    /// - Throws: `HDF5Error`; the previous checkpoint is then intact.
    public static func write<Scalar>(_ state: CheckpointState<Scalar>, to path: String, compressed: Bool = false,
                                     commits: CommitQueue? = nil) throws {
        try HDF5File.writeAtomically(to: path, compressed: compressed, commits: commits) { file in
            try file.setAttribute("format", .string(ResultsFileKind.checkpoint.format))
            try file.setAttribute("format_version", .int64(ResultsFileKind.checkpoint.formatVersion))
            try file.setAttribute("config_json", .string(state.configJSON))
            try file.setAttribute("run_id", .string(state.runID))
            try file.setAttribute("epoch", .int64(Int64(state.epoch)))
            try file.setAttribute("step", .int64(Int64(state.step)))
            try file.setAttribute("batch", .int64(Int64(state.batch)))
            try state.network.write(into: file.createGroup("network"))
            try state.momentum.write(into: file.createGroup("momentum"))
            if let start = state.epochStartNetwork { try start.write(into: file.createGroup("epoch_start_network")) }
            try MetricsFile.writeGroups(state.metrics, into: file)
            let counters = try file.createGroup("counters")
            for name in state.counters.keys.sorted() {
                try counters.writeDataset(name, values: [state.counters[name]!], shape: [])
            }
        }
    }

    /// Reads the whole file.
    /// - Parameters:
    ///   - runID: when given, the run the checkpoint must belong to.
    ///   - configJSON: when given, the `config_json` it must carry (byte for byte).
    /// - Throws: `ResultsFileError` for a missing, damaged or foreign file, a missing dataset
    ///   or attribute, tensors of another element type than `Scalar`, or another run's checkpoint.
    public static func read<Scalar>(from path: String, as: Scalar.Type = Scalar.self, runID: String? = nil,
                                    configJSON: String? = nil) throws -> CheckpointState<Scalar> {
        let reader = try ResultsReader.open(path, kind: .checkpoint)
        defer { reader.close() }
        let foundID = try reader.string("run_id")
        if let runID, runID != foundID { throw reader.error(.runMismatch(expected: "run_id \(runID)", found: "run_id \(foundID)")) }
        let foundConfig = try reader.string("config_json")
        if let configJSON, configJSON != foundConfig {
            throw reader.error(.runMismatch(expected: "config_json of this run", found: "another config_json"))
        }
        let numbers = try ["epoch", "step", "batch"].map { name -> Int in
            let value = try reader.integer(name)
            guard value >= 0 else { throw reader.error(.inconsistent("attribute \(name) is \(value), expected ≥ 0")) }
            return Int(value)
        }
        var counters: [String: Double] = [:]
        let counterGroup = try reader.group("/counters")
        for name in try reader.children(of: counterGroup, groups: false) {
            counters[name] = try reader.dataset(name, in: counterGroup, as: Double.self, shape: []).values[0]
        }
        let metrics = try MetricsFile.readGroups(reader)
        guard metrics.steps.count == numbers[1] else {
            throw reader.error(.inconsistent("/step has \(metrics.steps.count) rows but step is \(numbers[1])"))
        }
        return CheckpointState(runID: foundID, configJSON: foundConfig, epoch: numbers[0], step: numbers[1], batch: numbers[2],
                               network: try NetworkTensors.read(reader, from: reader.group("/network")),
                               momentum: try NetworkTensors.read(reader, from: reader.group("/momentum")),
                               metrics: metrics, counters: counters,
                               epochStartNetwork: reader.exists("/epoch_start_network")
                                   ? try NetworkTensors.read(reader, from: reader.group("/epoch_start_network")) : nil)
    }

    /// Reads the checkpoint of run `runID` and restores `network` and `optimizer` from it.
    /// - Returns: the state (epoch, step, batch, metrics, counters) to continue from.
    /// - Throws: `ResultsFileError` as `read(from:as:runID:configJSON:)` and `CheckpointState.restore`.
    public static func restore<Scalar>(from path: String, runID: String, network: inout Network<Scalar>,
                                       optimizer: inout SGD<Scalar>) throws -> CheckpointState<Scalar> {
        let state = try read(from: path, as: Scalar.self, runID: runID)
        try state.restore(into: &network, optimizer: &optimizer, path: path)
        return state
    }
}
