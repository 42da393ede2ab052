// The HDF5 files of a run as `exp status`, `--dry-run` and `exp run` judge them: a finished run
// whose metrics.h5 or weights.h5 cannot be read, or a resumable run whose checkpoint.h5 (or the
// weights.h5 it continues) cannot be read, is damaged (SPEC.md "damaged": files unreadable).

import Foundation

extension RunInspector {
    /// Why the run's result files are unusable (nil when they are usable).
    ///
    /// - completed, diverged: metrics.h5 and weights.h5 (when their plugins are on) must read,
    ///   and metrics.h5 must hold epochs 0…`status.epoch`;
    /// - running, interrupted, failed with a checkpoint.h5: the checkpoint must read and belong
    ///   to `id`, and an existing weights.h5 must read (its earlier epochs are kept on resume).
    static func filesProblem(directory: String, id: String, status: RunStatus, configuration: JSONValue) -> String? {
        let metrics = directory + "/metrics.h5", weights = directory + "/weights.h5"
        let checkpoint = directory + "/checkpoint.h5"
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        do {
            switch status.state {
            case .completed, .diverged:
                if isEnabled(MetricsHDF5Plugin.name, in: configuration) {
                    guard exists(metrics) else { return "\(metrics) is missing" }
                    let rows = try MetricsFile.read(from: metrics).record.epochs.count
                    if rows != status.epoch + 1 {
                        return "\(metrics) holds \(rows) epoch rows but status.json says \(status.epoch) epochs ended"
                    }
                }
                if isEnabled(WeightsHDF5Plugin.name, in: configuration) {
                    guard exists(weights) else { return "\(weights) is missing" }
                    _ = try WeightsFile.epochs(in: weights)
                }
            case .running, .interrupted, .failed:
                guard exists(checkpoint) else { return nil }
                _ = try CheckpointFile.read(from: checkpoint, as: Float.self, runID: id)
                if exists(weights) { _ = try WeightsFile.read(from: weights) }
            default:
                return nil
            }
        } catch {
            return "\(error)"
        }
        return nil
    }

    /// Whether a built-in plugin that is on by default is still on in a configuration (not
    /// `{"name": NAME, "enabled": false}`).
    static func isEnabled(_ name: String, in configuration: JSONValue) -> Bool {
        let entries = configuration[path: "plugins"]?.arrayValue ?? []
        return !entries.contains { $0[path: "name"]?.stringValue == name && $0[path: "enabled"]?.boolValue == false }
    }
}
