// The SVG figures of a sweep's notebook, built from the aggregated runs.

import Charts
import Experiments

/// One figure of a notebook.
struct Figure {
    /// File name under figures/<sweep>/.
    var fileName: String
    /// Alt text and caption.
    var caption: String
    /// The chart.
    var chart: LineChart
}

/// Builds the figures of a sweep.
struct FigureBuilder {
    let analysis: SweepAnalysis

    /// Samples in the trailing mean of the per-step loss (50 steps at n = 64); ``stepWindow(batchSize:steps:)``
    /// turns it into steps per run.
    static let stepWindowSamples = 3200
    /// At most this many points per per-step line (every k-th smoothed value, and the last).
    static let stepPoints = 300

    /// Train loss, test accuracy and test error (log axis) against epoch, the smoothed per-step loss, and the final
    /// accuracy against the swept variable; figures without data are left out.
    func figures() -> [Figure] {
        var figures: [Figure] = []
        if let chart = epochChart(title: "Train loss", axis: Axis(label: "train loss", unit: "nats"), clipLoss: true, { $0.trainLoss }) {
            figures.append(Figure(fileName: "train_loss.svg", caption: "Train loss against epoch", chart: chart))
        }
        if let chart = epochChart(title: "Test accuracy", axis: Axis(label: "test accuracy", unit: "%"), clipLoss: false, { $0.testAccuracy.map { $0 * 100 } }) {
            figures.append(Figure(fileName: "test_accuracy.svg", caption: "Test accuracy against epoch", chart: chart))
        }
        // The same curves as test error on a logarithmic axis: from epoch 0 (~90 %) to the last
        // epochs (~1 %), so that differences near the end stay visible.
        if let chart = epochChart(title: "Test error", axis: Axis(label: "test error", unit: "%", scale: .logarithmic),
                                  clipLoss: false, { $0.testAccuracy.map { (1 - $0) * 100 } }) {
            figures.append(Figure(fileName: "test_error.svg", caption: "Test error against epoch (logarithmic axis)", chart: chart))
        }
        if let chart = stepChart() {
            figures.append(Figure(fileName: "step_loss.svg", caption: "Per-step training loss against samples seen", chart: chart))
        }
        if let chart = SweptVariableChart(analysis: analysis).chart() {
            figures.append(Figure(fileName: "final_accuracy.svg", caption: "Final test accuracy against the swept variable", chart: chart))
        }
        return figures
    }

    /// Mean over seeds per configuration with a min–max band; diverged runs dashed, ending in ×.
    func epochChart(title: String, axis: Axis, clipLoss: Bool, _ metric: (RunMetrics) -> [Double]) -> LineChart? {
        var series: [Series] = []
        for group in analysis.groups {
            let curves = group.aggregated.map { metric($0.metrics!) }
            if let (points, band) = meanAndBand(curves, x: { Double($0) }) {
                series.append(Series(name: group.label, points: points, band: band, colorIndex: group.index))
            }
            for run in group.diverged {
                let values = metric(run.metrics!)
                series.append(Series(name: "\(group.label), seed \(run.entry.seed) (diverged)",
                                     points: values.enumerated().map { ChartPoint(x: Double($0.offset), y: $0.element) },
                                     colorIndex: group.index, dashed: true, diverged: true))
            }
        }
        guard !series.isEmpty else { return nil }
        var yAxis = axis
        if clipLoss { yAxis.range = lossRange(series, logarithmic: false) }
        if let range = yAxis.range { series = series.map { withoutBandBeyond(range, $0) } }
        return LineChart(title: "\(title) — \(analysis.record.name)", xAxis: Axis(label: "epoch"), yAxis: yAxis, series: series)
    }

    /// The smoothed per-step loss against samples seen (log axis for the loss): a trailing mean
    /// over ``stepWindowSamples`` samples, from the first step whose window is full.
    func stepChart() -> LineChart? {
        var series: [Series] = []
        func smoothed(_ metrics: RunMetrics) -> [Double] {
            let n = Int(metrics.samplesSeen.first ?? 1)  // the first step's samples: the batch size
            return trailingMean(metrics.stepLoss, window: stepWindow(batchSize: n, steps: metrics.stepLoss.count))
        }
        for group in analysis.groups {
            let runs = group.aggregated.filter { !$0.metrics!.stepLoss.isEmpty }
            let curves = runs.map { smoothed($0.metrics!) }
            if let samples = runs.first?.metrics!.samplesSeen,
               let (points, band) = meanAndBand(curves, x: { $0 < samples.count ? samples[$0] : .nan }) {
                series.append(Series(name: group.label, points: thin(points), band: thin(band), colorIndex: group.index))
            }
            for run in group.diverged where !run.metrics!.stepLoss.isEmpty {
                let points = zip(run.metrics!.samplesSeen, smoothed(run.metrics!)).map { ChartPoint(x: $0, y: $1) }.drop { $0.y.isNaN }
                series.append(Series(name: "\(group.label), seed \(run.entry.seed) (diverged)", points: thin(Array(points)),
                                     colorIndex: group.index, dashed: true, diverged: true))
            }
        }
        guard !series.isEmpty else { return nil }
        let yAxis = Axis(label: "train loss", unit: "nats", scale: .logarithmic, range: lossRange(series, logarithmic: true))
        if let range = yAxis.range { series = series.map { withoutBandBeyond(range, $0) } }
        return LineChart(title: "Training loss per step, trailing mean over \(Self.stepWindowSamples) samples — \(analysis.record.name)",
                         xAxis: Axis(label: "samples seen"), yAxis: yAxis, series: series)
    }

    /// Every k-th element and the last, so that a line has at most `stepPoints` points.
    func thin<T>(_ values: [T]) -> [T] {
        guard values.count > Self.stepPoints else { return values }
        let stride = (values.count + Self.stepPoints - 1) / Self.stepPoints
        return values.indices.filter { ($0 + 1) % stride == 0 || $0 == values.count - 1 }.map { values[$0] }
    }

    /// A loss axis cut at 1.5 × the largest initial loss, when some value goes beyond it (a
    /// blow-up would otherwise flatten every other curve); nil when nothing does. Linear axes
    /// start at 0, logarithmic ones at the decade below the smallest value.
    func lossRange(_ series: [Series], logarithmic: Bool) -> ClosedRange<Double>? {
        let starts = series.compactMap { $0.points.first(where: { $0.y.isFinite })?.y }
        let values = series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } }
            .filter { $0.isFinite && (!logarithmic || $0 > 0) }
        guard let start = starts.max(), start > 0, let highest = values.max(), highest > Self.lossCap * start,
              let lowest = values.min() else { return nil }
        let cap = Self.lossCap * start
        if logarithmic { return Ticks.logarithmic(from: min(lowest, cap), to: cap).lower...cap }
        return min(0, lowest)...cap
    }

    /// `series` without its band when the band leaves `range` (it would fill the whole plot).
    func withoutBandBeyond(_ range: ClosedRange<Double>, _ series: Series) -> Series {
        var copy = series
        if series.band.contains(where: { $0.high > range.upperBound }) { copy.band = [] }
        return copy
    }

    /// Loss axes stop at this multiple of the largest initial loss.
    static let lossCap = 1.5
}

/// Row-wise mean and min–max over curves of possibly different lengths: row i uses the curves
/// that have a finite value there. Nil when no curve has a row.
func meanAndBand(_ curves: [[Double]], x: (Int) -> Double) -> ([ChartPoint], [BandPoint])? {
    let rows = curves.map(\.count).max() ?? 0
    guard rows > 0 else { return nil }
    var points: [ChartPoint] = [], band: [BandPoint] = []
    for i in 0..<rows {
        let values = curves.compactMap { i < $0.count ? $0[i] : nil }.filter(\.isFinite)
        guard let summary = SampleSummary(values) else { continue }
        points.append(ChartPoint(x: x(i), y: summary.mean))
        band.append(BandPoint(x: x(i), low: summary.minimum, high: summary.maximum))
    }
    return points.isEmpty ? nil : (points, band)
}
