// early-stopping: ends the run `completed` with stop_reason "early-stopping" when a metric has
// not improved for `patience` epochs (Prechelt 1998; Keras's EarlyStopping semantics).

/// Options: `metric` (an /epoch/ column: test_loss, test_accuracy, val_loss, val_accuracy,
/// train_loss, train_accuracy; default val_loss when there is a validation set, else
/// test_loss), `mode` (min | max; default min for losses, max for accuracies), `patience`
/// (epochs without improvement, default 3), `min_delta` (smallest change that counts, default 0).
public final class EarlyStoppingPlugin: ExperimentPlugin {
    public static let name = "early-stopping"
    public static let observesOnly = false
    public static let optionKeys: [String]? = ["metric", "mode", "patience", "min_delta"]

    let metric: String?
    let mode: String?
    let patience: Int
    let minDelta: Double

    static let metrics = ["train_loss", "train_accuracy", "test_loss", "test_accuracy", "val_loss", "val_accuracy"]

    public init(options: JSONObject) throws {
        let read = PluginOptions(plugin: Self.name, values: options)
        metric = try read.string("metric", oneOf: Self.metrics)
        mode = try read.string("mode", oneOf: ["min", "max"])
        patience = try read.integer("patience", default: 3, in: 1...1_000_000)
        minDelta = try read.number("min_delta", default: 0, minimum: 0)
    }

    /// Stateless: replays the epoch rows each time, so a resumed run decides as an
    /// uninterrupted one would.
    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        guard case .epochEnd = event, let last = context.metrics.epochs.last, last.epoch > 0 else { return .proceed }
        let name = metric ?? (last.validationLoss != nil ? "val_loss" : "test_loss")
        let maximize = (mode ?? (name.hasSuffix("accuracy") ? "max" : "min")) == "max"
        var best: Double?
        var epochsWithoutImprovement = 0
        for row in context.metrics.epochs where row.epoch > 0 {
            guard let v = Self.value(name, row) else {
                throw PluginOptionError(plugin: Self.name, option: "metric",
                                        message: "\(name) needs a validation set (dataset.validation > 0)")
            }
            if let b = best, maximize ? v <= b + minDelta : v >= b - minDelta {
                epochsWithoutImprovement += 1
            } else {
                best = v
                epochsWithoutImprovement = 0
            }
        }
        guard epochsWithoutImprovement >= patience else { return .proceed }
        return .stop(state: .completed, reason: "early-stopping")
    }

    static func value(_ name: String, _ row: EpochMetrics) -> Double? {
        switch name {
        case "train_loss": return row.trainLoss
        case "train_accuracy": return row.trainAccuracy
        case "test_loss": return row.testLoss
        case "test_accuracy": return row.testAccuracy
        case "val_loss": return row.validationLoss
        default: return row.validationAccuracy
        }
    }
}
