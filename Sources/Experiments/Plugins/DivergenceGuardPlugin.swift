// divergence-guard: a non-finite training loss ends the run `diverged` with its metrics kept.

/// Stops the run as `diverged` at the first step whose loss is NaN or ±∞ (the sweep goes on).
public final class DivergenceGuardPlugin: ExperimentPlugin {
    public static let name = "divergence-guard"
    public static let observesOnly = false
    public static let enabledByDefault = true

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        guard case .stepEnd = event, let last = context.lastStep, !last.loss.isFinite else { return .proceed }
        let value = last.loss.isNaN ? "NaN" : last.loss > 0 ? "+∞" : "−∞"   // not Swift's "-nan"
        return .stop(state: .diverged, reason: "training loss became \(value) at step \(context.step) "
                     + "(epoch \(context.epoch + 1)); try a smaller training.learning_rate")
    }
}
