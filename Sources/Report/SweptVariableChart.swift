// Final test accuracy against the swept variable; diagnostics per layer against epoch.

import Charts
import Experiments

/// The figure of final test accuracy against the first swept key (numeric keys on a linear
/// or, when log-spaced, logarithmic axis, one line per combination of the remaining swept keys;
/// other keys as categories in the sweep file's order, drawn as separate points with min–max
/// ranges, the combinations side by side).
struct SweptVariableChart {
    let analysis: SweepAnalysis

    func chart() -> LineChart? {
        guard let key = analysis.sweptKeys.first(where: { k in analysis.groups.allSatisfy { ($0.overrides[k] ?? .null).numberValue != nil } })
                ?? analysis.sweptKeys.first else { return nil }
        let values = analysis.groups.map { $0.overrides[key] ?? .null }
        let numeric = values.allSatisfy { $0.numberValue != nil }
        let categories = categoryOrder(key)
        func position(_ group: ConfigurationGroup) -> Double {
            let value = group.overrides[key] ?? .null
            return numeric ? value.numberValue! : Double(categories.firstIndex(of: displayValue(value))!)
        }
        let others = analysis.sweptKeys.filter { $0 != key }
        var lines: [(label: String, groups: [ConfigurationGroup])] = []
        for group in analysis.groups {
            let label = others.isEmpty ? "mean over seeds" : SweepAnalysis.label(group.overrides, keys: others)
            if let i = lines.firstIndex(where: { $0.label == label }) { lines[i].groups.append(group) } else { lines.append((label, [group])) }
        }
        var series: [Series] = []
        var seedPoints: [ChartPoint] = [], divergedPoints: [ChartPoint] = []
        for (index, line) in lines.enumerated() {
            // Categories: the lines side by side around each category, ±0.15.
            let offset = numeric || lines.count == 1 ? 0 : 0.3 * (Double(index) / Double(lines.count - 1) - 0.5)
            let sorted = line.groups.sorted { position($0) < position($1) }
            var points: [ChartPoint] = [], band: [BandPoint] = []
            for group in sorted {
                guard let summary = group.finalAccuracy else { continue }
                let x = position(group) + offset
                points.append(ChartPoint(x: x, y: summary.mean))
                band.append(BandPoint(x: x, low: summary.minimum, high: summary.maximum))
                seedPoints += group.aggregated.map { ChartPoint(x: x, y: ($0.metrics!.testAccuracy.last ?? .nan) * 100) }
            }
            for group in sorted {
                for run in group.diverged {
                    let last = run.metrics!.testAccuracy.last(where: \.isFinite).map { $0 * 100 } ?? .nan
                    divergedPoints.append(ChartPoint(x: position(group) + offset, y: last))
                }
            }
            if !points.isEmpty {
                series.append(Series(name: line.label, points: points, band: band, style: numeric ? .lineWithMarkers : .markersWithRanges,
                                     colorIndex: index))
            }
        }
        if !seedPoints.isEmpty && seedPoints.count > series.flatMap(\.points).count {  // under the means
            series.insert(Series(name: "single seeds", points: seedPoints, style: .dots, colorIndex: 9), at: 0)
        }
        if !divergedPoints.isEmpty {
            series.append(Series(name: "diverged run (last finite accuracy)", points: divergedPoints, style: .crosses, colorIndex: 2))
        }
        guard !series.isEmpty else { return nil }
        let xAxis = numeric
            ? Axis(label: key, scale: isLogSpaced(values.compactMap(\.numberValue)) ? .logarithmic : .linear)
            : Axis(label: key, categories: categories)
        return LineChart(title: "Final test accuracy — \(analysis.record.name)", xAxis: xAxis,
                         yAxis: Axis(label: "final test accuracy", unit: "%"), series: series)
    }
}

extension SweptVariableChart {
    /// The values of `key` as tables show them, in the sweep file's order (its grid axis, then
    /// its zip entries, from sweep.json's definition), then any other value in table order.
    func categoryOrder(_ key: String) -> [String] {
        let definition = analysis.record.definition.objectValue
        var values = definition?["grid"]?.objectValue?[key]?.arrayValue ?? []
        values += (definition?["zip"]?.arrayValue ?? []).compactMap { $0.objectValue?[key] }
        values += analysis.groups.map { $0.overrides[key] ?? .null }
        var categories: [String] = []
        for value in values.map(displayValue) where !categories.contains(value) { categories.append(value) }
        return categories.filter { category in analysis.groups.contains { displayValue($0.overrides[key] ?? .null) == category } }
    }
}

/// Whether positive values are spaced by roughly constant ratios: ≥ 3 distinct values whose
/// successive ratios are all ≥ 1.9 and within a factor 1.6 of each other, or 2 values a factor
/// ≥ 10 apart, or any spacing spanning a factor ≥ 100.
func isLogSpaced(_ values: [Double]) -> Bool {
    let distinct = Array(Set(values)).sorted()
    guard distinct.count >= 2, distinct.allSatisfy({ $0 > 0 && $0.isFinite }) else { return false }
    if distinct.last! / distinct.first! >= 100 { return true }
    let ratios = zip(distinct.dropFirst(), distinct).map { $0 / $1 }
    if distinct.count == 2 { return ratios[0] >= 10 }
    return ratios.min()! >= 1.9 && ratios.max()! / ratios.min()! <= 1.6
}

/// Per-layer diagnostics of one run against epoch (log axis), one figure per metric.
struct DiagnosticsCharts {
    static let metrics = [("grad_norm", "Gradient norm", "gradient norm"), ("update_ratio", "Update / weight ratio", "update / weight norm")]

    /// Figures for the metrics that `run` recorded for at least one layer.
    static func figures(run: LoadedRun, label: String, sweep: String) -> [Figure] {
        guard let metrics = run.metrics, !metrics.diagnostics.isEmpty else { return [] }
        let layers = metrics.diagnostics.keys.sorted(by: layerOrder)
        var figures: [Figure] = []
        for (name, title, axisLabel) in Self.metrics {
            var series: [Series] = []
            for layer in layers {
                guard let values = metrics.diagnostics[layer]?[name] else { continue }
                let i = series.count
                let offset = values.count == metrics.epochs.count - 1 ? 1 : 0  // no row for the initial weights
                series.append(Series(name: layer, points: values.enumerated().map { ChartPoint(x: Double($0.offset + offset), y: $0.element) },
                                     style: .lineWithMarkers, colorIndex: i))
            }
            guard !series.isEmpty else { continue }
            let chart = LineChart(title: "\(title) per layer — \(sweep), \(label), seed \(run.entry.seed)", xAxis: Axis(label: "epoch"),
                                  yAxis: Axis(label: axisLabel, scale: .logarithmic), series: series)
            figures.append(Figure(fileName: "\(name).svg", caption: "\(title) per layer against epoch", chart: chart))
        }
        return figures
    }

    /// P2 before P10, then S… (by letter, then by number).
    static func layerOrder(_ a: String, _ b: String) -> Bool {
        func split(_ s: String) -> (String, Int) {
            let letters = s.prefix { !$0.isNumber }
            return (String(letters), Int(s.dropFirst(letters.count)) ?? Int.max)
        }
        let (x, y) = (split(a), split(b))
        return x.0 != y.0 ? x.0 < y.0 : x.1 != y.1 ? x.1 < y.1 : a < b
    }
}
