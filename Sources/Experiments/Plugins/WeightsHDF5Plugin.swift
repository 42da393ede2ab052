// weights-hdf5: weights.h5 with the parameters (and BN buffers) at epoch 0, every
// `exports.weights_every` epochs and the last epoch, rewritten whole at each save.

import Foundation

/// Writes results/<sweep>/<run>/weights.h5 (groups /epoch_NNNN/P{j}/w, b, running_mean,
/// running_var). The saved snapshots are kept in memory and rewritten each time; a resumed
/// run reads them back from weights.h5 and drops those after its checkpoint's epoch.
public final class WeightsHDF5Plugin: ExperimentPlugin {
    public static let name = "weights-hdf5"
    public static let enabledByDefault = true

    var history: WeightsHistory?

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        let path = context.path("weights.h5")
        switch event {
        case let .runStart(resumed):
            history = WeightsHistory(configJSON: context.provenance.configJSON)
            if resumed, FileManager.default.fileExists(atPath: path), var saved = try? WeightsFile.read(from: path) {
                saved.discard(after: context.epoch)
                history = saved
            }
        case .epochEnd:
            guard context.isExportDue(every: context.configuration.weightsEvery, epoch: context.epoch) else { break }
            history?.record(epoch: context.epoch, network: context.network)
            if let history { try WeightsFile.write(history, to: path) }
        case .stepEnd, .runEnd:
            break
        }
        return .proceed
    }
}
