// Runs grouped by configuration (equal overrides), aggregated over seeds.

import Experiments

/// The runs of one configuration (runs with equal `overrides`) and their statistics.
public struct ConfigurationGroup: Sendable {
    /// The swept values shared by the runs.
    public var overrides: JSONObject
    /// The runs, in sweep.json order.
    public var runs: [LoadedRun]
    /// A short label: `leaf=value` for each swept key, or "all runs".
    public var label: String
    /// Colour index of the configuration in every figure.
    public var index: Int = 0

    /// Completed runs with metrics: the ones the statistics use.
    public var aggregated: [LoadedRun] { runs.filter(\.isAggregated) }
    /// Runs that diverged and have metrics.
    public var diverged: [LoadedRun] { runs.filter { $0.state == .diverged && $0.metrics != nil } }

    /// Final test accuracy (percent) over the aggregated runs.
    public var finalAccuracy: SampleSummary? { summary { ($0.testAccuracy.last ?? .nan) * 100 } }
    /// Best test accuracy over epochs (percent).
    public var bestAccuracy: SampleSummary? { summary { ($0.testAccuracy.filter(\.isFinite).max() ?? .nan) * 100 } }
    /// Final train loss.
    public var finalTrainLoss: SampleSummary? { summary { $0.trainLoss.last ?? .nan } }
    /// Final test loss.
    public var finalTestLoss: SampleSummary? { summary { $0.testLoss.last ?? .nan } }
    /// Epochs trained.
    public var epochs: SampleSummary? { summary { Double(($0.epochs.last ?? 0)) } }
    /// Training time: the sum of `/epoch/seconds`.
    public var trainingSeconds: SampleSummary? { summary { $0.seconds.reduce(0, +) } }

    private func summary(_ value: (RunMetrics) -> Double) -> SampleSummary? {
        SampleSummary(aggregated.compactMap { $0.metrics.map(value) })
    }

    /// The aggregated run with the highest final test accuracy (ties: the first), else the
    /// diverged run that got furthest; nil when no run has metrics.
    public var bestRun: LoadedRun? {
        var best: LoadedRun?
        for run in aggregated where (run.metrics!.testAccuracy.last ?? -1) > (best?.metrics!.testAccuracy.last ?? -1) || best == nil {
            best = run
        }
        return best ?? diverged.max { $0.metrics!.epochs.count < $1.metrics!.epochs.count }
    }

    /// Counts of the runs' statuses, e.g. "2 completed, 1 diverged".
    public var statusText: String {
        RunState.reportOrder.compactMap { state in
            let n = runs.filter { $0.state == state }.count
            return n > 0 ? "\(n) \(state.rawValue)" : nil
        }.joined(separator: ", ")
    }
}
