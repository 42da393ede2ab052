// Axis descriptions and the mapping from data to pixels.

import Foundation  // log10

/// How an axis maps data to position.
public enum AxisScale: Sendable, Equatable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios (base 10); values ≤ 0 are not drawn.
    case logarithmic
}

/// One axis of a chart.
public struct Axis: Sendable, Equatable {
    /// What the axis shows, e.g. "test accuracy".
    public var label: String
    /// The unit, shown in parentheses after the label, e.g. "%"; nil for none.
    public var unit: String?
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// A fixed domain; nil to fit the data with nice ticks. Data outside is clipped.
    public var range: ClosedRange<Double>?
    /// Category names: data values 0, 1, … are drawn at these labels (linear scale only).
    public var categories: [String]?

    /// An axis; see the properties.
    public init(label: String, unit: String? = nil, scale: AxisScale = .linear,
                range: ClosedRange<Double>? = nil, categories: [String]? = nil) {
        self.label = label
        self.unit = unit
        self.scale = scale
        self.range = range
        self.categories = categories
    }

    /// "label (unit)", or the label alone.
    public var title: String {
        guard let unit, !unit.isEmpty else { return label }
        return "\(label) (\(unit))"
    }

    /// Whether `value` can be drawn on this axis (finite, and positive on a log axis).
    public func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// The ticks for data spanning `values` (those this axis accepts): categories, the fixed
    /// range's ticks, or nice ticks around the data; [0, 1] (log: [1, 10]) without data.
    public func ticks(for values: [Double]) -> TickSet {
        if let categories { return Ticks.categorical(categories) }
        let usable = values.filter(accepts)
        if let range {
            let fitted = scale == .logarithmic
                ? Ticks.logarithmic(from: range.lowerBound, to: range.upperBound)
                : Ticks.linear(from: range.lowerBound, to: range.upperBound)
            let slack = (range.upperBound - range.lowerBound) * 1e-9
            let inside = fitted.values.indices.filter {
                fitted.values[$0] >= range.lowerBound - slack && fitted.values[$0] <= range.upperBound + slack
            }
            return TickSet(values: inside.map { fitted.values[$0] }, labels: inside.map { fitted.labels[$0] },
                           lower: range.lowerBound, upper: range.upperBound)
        }
        guard let low = usable.min(), let high = usable.max() else {
            return scale == .logarithmic ? Ticks.logarithmic(from: 1, to: 10) : Ticks.linear(from: 0, to: 1)
        }
        return scale == .logarithmic ? Ticks.logarithmic(from: low, to: high) : Ticks.linear(from: low, to: high)
    }
}

/// Maps data values of one axis to pixel positions.
struct AxisMapping {
    let scale: AxisScale
    let lower: Double
    let upper: Double
    /// Pixel position of `lower` and of `upper` (the y axis runs upwards: start > end).
    let start: Double
    let end: Double

    func position(_ value: Double) -> Double {
        let t: Double
        if scale == .logarithmic {
            let a = log10(lower), b = log10(upper)
            t = b > a ? (log10(value) - a) / (b - a) : 0.5
        } else {
            t = upper > lower ? (value - lower) / (upper - lower) : 0.5
        }
        return start + t * (end - start)
    }
}
