// weights-hdf5: weights.h5 with the parameters (and BN buffers) at epoch 0, every
// `exports.weights_every` epochs and the epoch the run ends on (also when early stopping ends it
// before its configured epochs); each save replaces the file atomically.

import Foundation

/// Writes results/<sweep>/<run>/weights.h5 (groups /epoch_NNNN/P{j}/w, b, running_mean,
/// running_var). The first save of a run writes the file whole; later saves append the new
/// snapshot to a copy of it (`WeightsFile.append`), so a save costs the same at every epoch
/// instead of rewriting every earlier snapshot. A resumed run reads weights.h5 back and
/// drops the snapshots after its checkpoint's epoch: when there are such snapshots, its first
/// save writes the file whole again without them.
public final class WeightsHDF5Plugin: ExperimentPlugin {
    public static let name = "weights-hdf5"
    public static let enabledByDefault = true

    /// The snapshots to write whole at the next save; nil once weights.h5 holds exactly the
    /// snapshots this run keeps, so that the next save appends.
    var pending: WeightsHistory?
    /// The highest epoch in weights.h5 when `pending` is nil.
    var lastSaved: Int?

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        if case .stepEnd = event { return .proceed }   // every step: no path to build
        let path = context.path("weights.h5")
        switch event {
        case let .runStart(resumed):
            pending = WeightsHistory(configJSON: context.provenance.configJSON)
            lastSaved = nil
            if resumed, FileManager.default.fileExists(atPath: path), var saved = try? WeightsFile.read(from: path) {
                let count = saved.snapshots.count
                saved.discard(after: context.epoch)
                if saved.snapshots.count == count, saved.lastEpoch != nil {
                    pending = nil
                    lastSaved = saved.lastEpoch
                } else {
                    pending = saved
                }
            }
        case .epochEnd, .runEnd:
            // Due epochs, and the epoch a run that stopped early ended on.
            guard context.isExportDue(every: context.configuration.weightsEvery, at: event) else { break }
            if pending == nil, let last = lastSaved, last < context.epoch {
                try WeightsFile.append(NetworkTensors<Float>(network: context.network), epoch: context.epoch, to: path,
                                       commits: context.commits)
            } else {
                // First save, or an epoch not after the file's last (not reached by the loop):
                // the whole history, read back from the file when it is not in memory.
                var history = try pending ?? WeightsFile.read(from: path)
                history.record(epoch: context.epoch, network: context.network)
                try WeightsFile.write(history, to: path, commits: context.commits)
            }
            pending = nil
            lastSaved = max(lastSaved ?? context.epoch, context.epoch)
        case .stepEnd:
            break
        }
        return .proceed
    }
}
