// "What the sweep shows": sentences computed from the table's numbers, nothing else.

import Charts
import Experiments

/// The factual summary paragraph of a sweep.
enum Findings {
    static func percent(_ value: Double) -> String { NumberFormat.fixed(value, decimals: 2) + " %" }

    /// Sentences about the winner, its margin against the seed spread, the range of results,
    /// a monotonic trend along a single numeric swept key, diverged runs and runs not counted.
    static func paragraph(_ analysis: SweepAnalysis) -> String {
        var sentences: [String] = []
        let ranked = analysis.groups.filter { $0.finalAccuracy?.mean.isFinite == true }
            .enumerated().sorted { a, b in
                let (x, y) = (a.element.finalAccuracy!.mean, b.element.finalAccuracy!.mean)
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
        let name = { (g: ConfigurationGroup) in "**" + Markdown.escape(g.label) + "**" }
        let seeds = { (n: Int) in n == 1 ? "1 seed" : "\(n) seeds" }
        if ranked.isEmpty {
            sentences.append("No run has completed yet, so there are no final accuracies to compare.")
        } else if ranked.count == 1 {
            let only = ranked[0].finalAccuracy!
            sentences.append("Only one configuration has completed runs (\(name(ranked[0]))): its mean final test accuracy is "
                             + "\(percent(only.mean)) over \(seeds(only.count))"
                             + (only.standardDeviation.map { ", sample standard deviation \(NumberFormat.fixed($0, decimals: 2)) points." } ?? "."))
        } else {
            let (best, second) = (ranked[0].finalAccuracy!, ranked[1].finalAccuracy!)
            let margin = best.mean - second.mean
            sentences.append("The highest mean final test accuracy is \(percent(best.mean)), for \(name(ranked[0])) (\(seeds(best.count))); "
                             + "the runner-up, \(name(ranked[1])), reaches \(percent(second.mean)) (\(seeds(second.count))), "
                             + "a margin of \(NumberFormat.fixed(margin, decimals: 2)) percentage points.")
            if let s1 = best.standardDeviation, let s2 = second.standardDeviation {
                let spread = max(s1, s2)
                let relation = margin > spread ? "larger than" : "not larger than"
                let overlap = best.minimum <= second.maximum ? "overlap" : "do not overlap"
                sentences.append("The margin is \(relation) the larger of their two sample standard deviations "
                                 + "(\(NumberFormat.fixed(spread, decimals: 2)) points), and their ranges over seeds \(overlap).")
            } else {
                sentences.append("With a single seed for at least one of the two, the spread across seeds is unknown, "
                                 + "so the margin cannot be compared with it.")
            }
            let last = ranked[ranked.count - 1]
            sentences.append("The lowest mean final test accuracy is \(percent(last.finalAccuracy!.mean)), for \(name(last)).")
            if let trend = trend(analysis) { sentences.append(trend) }
        }
        let diverged = analysis.runs.filter { $0.state == .diverged }
        if !diverged.isEmpty {
            let labels = analysis.groups.flatMap { g in g.runs.filter { $0.state == .diverged }.map { "\(Markdown.escape(g.label)) (seed \($0.entry.seed))" } }
            sentences.append("\(diverged.count) of \(analysis.runs.count) runs diverged: \(labels.joined(separator: "; ")).")
        }
        let counted = analysis.runs.filter(\.isAggregated).count
        if counted < analysis.runs.count {
            let others = analysis.counts.filter { $0.state != .completed && $0.count > 0 }.map { "\($0.count) \($0.state.rawValue)" }
            sentences.append("The table's statistics use the \(counted) completed runs of \(analysis.runs.count); the others are "
                             + others.joined(separator: ", ") + ".")
        }
        return sentences.joined(separator: " ")
    }

    /// Whether the mean final accuracy rises or falls at every step along the only swept key,
    /// when it is numeric and at least three configurations have results.
    static func trend(_ analysis: SweepAnalysis) -> String? {
        guard analysis.sweptKeys.count == 1, let key = analysis.sweptKeys.first else { return nil }
        let points = analysis.groups.compactMap { g -> (Double, Double)? in
            guard let x = g.overrides[key]?.numberValue, let y = g.finalAccuracy?.mean, y.isFinite else { return nil }
            return (x, y)
        }.sorted { $0.0 < $1.0 }
        guard points.count >= 3 else { return nil }
        let steps = zip(points.dropFirst(), points).map { $0.1 - $1.1 }
        let escaped = Markdown.escape(key)
        if steps.allSatisfy({ $0 > 0 }) { return "Over this range the mean final test accuracy rises at every step of \(escaped)." }
        if steps.allSatisfy({ $0 < 0 }) { return "Over this range the mean final test accuracy falls at every step of \(escaped)." }
        return "The mean final test accuracy does not change monotonically with \(escaped) over this range."
    }
}
