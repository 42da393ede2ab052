// Means and sample standard deviations over seeds.

import Foundation  // sqrt

/// Summary statistics of a sample (one value per seed).
public struct SampleSummary: Sendable, Equatable {
    /// The number of values.
    public var count: Int
    /// The arithmetic mean.
    public var mean: Double
    /// The sample standard deviation (divisor n − 1); nil for a single value.
    public var standardDeviation: Double?
    /// The smallest value.
    public var minimum: Double
    /// The largest value.
    public var maximum: Double

    /// The summary of `values`, or nil when there are none.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        let m = mean
        standardDeviation = values.count > 1
            ? sqrt(values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)) : nil
        minimum = values.min()!
        maximum = values.max()!
    }
}

/// Trailing moving average: element i is the mean of values i − window + 1 … i, summed in
/// order; NaN while the window is not full (i < window − 1), so that no point averages fewer
/// steps than the others. A non-finite value makes the windows containing it non-finite.
/// - Precondition: `window ≥ 1`.
func trailingMean(_ values: [Double], window: Int) -> [Double] {
    precondition(window >= 1, "trailingMean: window \(window)")
    return values.indices.map { i in
        guard i >= window - 1 else { return .nan }
        return values[(i - window + 1)...i].reduce(0, +) / Double(window)
    }
}

/// Steps in the per-step loss window of `FigureBuilder.stepWindowSamples` samples at minibatch
/// size `batchSize` (n): ⌊samples / n + ½⌋, at most a tenth of the run's `steps` (short
/// test-size runs), at least 1.
func stepWindow(batchSize: Int, steps: Int) -> Int {
    let n = max(batchSize, 1)
    return max(1, min((FigureBuilder.stepWindowSamples + n / 2) / n, steps / 10))
}
