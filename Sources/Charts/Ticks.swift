// "Nice" axis ticks: 1-2-5 steps on linear axes, decades (with 2 and 5 between them when the
// axis spans at most two decades) on logarithmic ones.

import Foundation  // floor, ceil, log10

/// The ticks of one axis and the domain they cover.
public struct TickSet: Sendable, Equatable {
    /// Tick positions in data units, ascending.
    public var values: [Double]
    /// The label of each tick.
    public var labels: [String]
    /// The axis domain (the first and last tick unless a fixed range was asked for).
    public var lower: Double
    /// The upper end of the axis domain.
    public var upper: Double

    /// A tick set from its parts.
    /// - Precondition: `values.count == labels.count`.
    public init(values: [Double], labels: [String], lower: Double, upper: Double) {
        precondition(values.count == labels.count, "TickSet: \(values.count) values, \(labels.count) labels")
        self.values = values
        self.labels = labels
        self.lower = lower
        self.upper = upper
    }
}

/// Tick generation.
public enum Ticks {
    /// The nice step for `span / target`: the smallest of 1, 2, 5 × 10^e that is at least it.
    /// - Returns: the mantissa (1, 2 or 5) and the exponent e.
    /// - Precondition: `span > 0`, finite; `target ≥ 1`.
    public static func niceStep(span: Double, target: Int) -> (mantissa: Int, exponent: Int) {
        precondition(span > 0 && span.isFinite && target >= 1, "Ticks.niceStep: span \(span), target \(target)")
        let raw = span / Double(target)
        var exponent = Int(floor(log10(raw)))
        let normalized = raw / NumberFormat.powerOfTen(exponent)
        let mantissa: Int
        if normalized <= 1 + 1e-9 { mantissa = 1 }
        else if normalized <= 2 + 1e-9 { mantissa = 2 }
        else if normalized <= 5 + 1e-9 { mantissa = 5 }
        else { mantissa = 1; exponent += 1 }
        return (mantissa, exponent)
    }

    /// Linear ticks covering [lower, upper] with about `target` intervals, on multiples of a
    /// 1-2-5 step; the domain runs from the last tick ≤ lower to the first tick ≥ upper. Equal
    /// ends are widened by 10 % of their magnitude (by 1 around zero). Labels have as many
    /// decimals as the step needs; steps of 1000 or more are written with `k`, of 10^6 or more
    /// with `M` (`50k`, `1.5M`); steps from 10⁹ up or 10⁻⁵ down in scientific notation (`2e12`).
    /// - Precondition: both ends finite.
    public static func linear(from lower: Double, to upper: Double, target: Int = 5) -> TickSet {
        precondition(lower.isFinite && upper.isFinite, "Ticks.linear: non-finite range \(lower)…\(upper)")
        var low = min(lower, upper), high = max(lower, upper)
        if high - low <= abs(high) * 1e-12 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let (mantissa, exponent) = niceStep(span: high - low, target: max(target, 1))
        let step = value(1, mantissa, exponent)
        let first = Int64(floor(low / step + 1e-9)), last = Int64(ceil(high / step - 1e-9))
        let values = (first...max(first, last)).map { value($0, mantissa, exponent) }
        let labels = values.map { linearLabel($0, exponent: exponent) }
        return TickSet(values: values, labels: labels, lower: values.first!, upper: values.last!)
    }

    /// Logarithmic ticks covering [lower, upper]: every power of ten from the one ≤ lower to the
    /// one ≥ upper (at least one decade), plus 2·10^k and 5·10^k when that spans ≤ 2 decades.
    /// Beyond 10 decades only every k-th decade is a tick (k = ⌈decades / 10⌉, and the last).
    /// Labels are plain decimals from 0.001 to 100000 and `1e<k>` outside.
    /// - Precondition: `0 < lower ≤ upper`, finite.
    public static func logarithmic(from lower: Double, to upper: Double) -> TickSet {
        precondition(lower > 0 && upper >= lower && upper.isFinite, "Ticks.logarithmic: range \(lower)…\(upper)")
        let first = Int(floor(log10(lower) + 1e-9))
        var last = Int(ceil(log10(upper) - 1e-9))
        if last <= first { last = first + 1 }
        let mantissas = last - first <= 2 ? [1, 2, 5] : [1]
        let stride = (last - first + 9) / 10  // at most about 10 labelled decades
        var values: [Double] = [], labels: [String] = []
        for k in first...last where (k - first) % stride == 0 || k == last {
            for m in mantissas where k < last || m == 1 {
                values.append(value(1, m, k))
                labels.append(logLabel(mantissa: m, exponent: k))
            }
        }
        return TickSet(values: values, labels: labels, lower: values.first!, upper: values.last!)
    }

    /// One tick per category at 0, 1, …, n − 1, domain [−0.5, n − 0.5].
    public static func categorical(_ names: [String]) -> TickSet {
        let values = names.indices.map(Double.init)
        return TickSet(values: values, labels: names, lower: -0.5, upper: Double(names.count) - 0.5)
    }

    /// i · m · 10^e, computed so that decimal steps give the nearest double (3 × 0.1 → 0.3).
    static func value(_ i: Int64, _ m: Int, _ e: Int) -> Double {
        let n = Double(i * Int64(m))
        return e >= 0 ? n * NumberFormat.powerOfTen(e) : n / NumberFormat.powerOfTen(-e)
    }

    static func linearLabel(_ v: Double, exponent: Int) -> String {
        if exponent >= 9 || exponent <= -5 { return NumberFormat.scientific(v, significant: 3) }
        if exponent >= 6 { return NumberFormat.trimmed(v / 1e6, maxDecimals: 3) + "M" }
        if exponent >= 3 { return NumberFormat.trimmed(v / 1e3, maxDecimals: 3) + "k" }
        return NumberFormat.fixed(v, decimals: max(0, -exponent))
    }

    static func logLabel(mantissa: Int, exponent: Int) -> String {
        if exponent < -3 || exponent > 5 { return "\(mantissa)e\(exponent)" }
        return NumberFormat.fixed(value(1, mantissa, exponent), decimals: max(0, -exponent))
    }
}
