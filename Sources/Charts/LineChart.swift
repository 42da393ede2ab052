// A chart of series against two axes, written as a standalone SVG document.

/// A line / band / scatter chart with a title, two labelled axes with ticks and a legend.
///
/// `svg()` is a pure function of the value: the same chart gives the same bytes (coordinates
/// with at most two decimals, fixed element and attribute order, no time stamps or random ids).
public struct LineChart: Sendable, Equatable {
    /// The title above the plot.
    public var title: String
    /// The horizontal axis.
    public var xAxis: Axis
    /// The vertical axis.
    public var yAxis: Axis
    /// The series, drawn in order (later ones on top).
    public var series: [Series]
    /// Width in pixels.
    public var width: Double
    /// Minimum height in pixels (the chart grows when the legend needs more room).
    public var height: Double

    /// Legend entries are wrapped at this many characters per line …
    public static let legendCharacters = 34
    /// … into at most this many lines (the chart grows taller for them).
    public static let legendLines = 8

    /// The lines of a legend entry: the name wrapped at ``legendCharacters``; a name that
    /// needs more than ``legendLines`` lines keeps its first `legendLines − 2` lines, a line
    /// "…" and its last line, so that names differing only at the end (the last key of a
    /// configuration label) stay apart.
    static func legendText(_ name: String) -> [String] {
        let lines = SVGText.wrapped(name, width: legendCharacters, maxLines: Int.max)
        guard lines.count > legendLines else { return lines }
        return Array(lines.prefix(legendLines - 2)) + ["…", lines.last!]
    }

    /// A chart; see the properties.
    public init(title: String, xAxis: Axis, yAxis: Axis, series: [Series], width: Double = 760, height: Double = 420) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.width = width
        self.height = height
    }

    /// The pixel rectangle of the plot area and of the whole picture.
    struct Layout {
        let width, height, left, top, right, bottom: Double
        let legendX: Double
    }

    func layout() -> Layout {
        let entries = series.filter(\.inLegend).map { Self.legendText($0.name) }
        let longest = entries.flatMap { $0.map(\.count) }.max() ?? 0
        let legendWidth = entries.isEmpty ? 0 : 34 + 6.8 * Double(longest)
        let legendHeight = entries.reduce(0) { $0 + 6 + 14 * Double($1.count) }
        let height = max(self.height, 48 + legendHeight + 56)
        let right = width - legendWidth - 20
        return Layout(width: width, height: height, left: 76, top: 44, right: right, bottom: height - 56,
                      legendX: right + 16)
    }

    /// The ticks of both axes for the data of all series (points and bands).
    public func ticks() -> (x: TickSet, y: TickSet) {
        let xs = series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }
        let ys = series.flatMap { s in s.points.map(\.y) + s.band.flatMap { [$0.low, $0.high] } }
        return (xAxis.ticks(for: xs), yAxis.ticks(for: ys))
    }

    /// The chart as a standalone SVG 1.1 document (UTF-8 text ending in a newline).
    public func svg() -> String {
        let frame = layout()
        let (xTicks, yTicks) = ticks()
        let x = AxisMapping(scale: xAxis.scale, lower: xTicks.lower, upper: xTicks.upper, start: frame.left, end: frame.right)
        let y = AxisMapping(scale: yAxis.scale, lower: yTicks.lower, upper: yTicks.upper, start: frame.bottom, end: frame.top)
        let c = NumberFormat.coordinate
        var out: [String] = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(c(frame.width))\" height=\"\(c(frame.height))\" "
                + "viewBox=\"0 0 \(c(frame.width)) \(c(frame.height))\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">",
            "<title>\(SVGText.escape(title))</title>",
            "<rect x=\"0\" y=\"0\" width=\"\(c(frame.width))\" height=\"\(c(frame.height))\" fill=\"#FFFFFF\"/>",
            "<defs><clipPath id=\"plot-area\"><rect x=\"\(c(frame.left))\" y=\"\(c(frame.top))\" width=\"\(c(frame.right - frame.left))\" "
                + "height=\"\(c(frame.bottom - frame.top))\"/></clipPath></defs>",
            "<text class=\"chart-title\" x=\"\(c(frame.width / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"15\" "
                + "font-weight=\"bold\">\(SVGText.escape(title))</text>",
        ]
        out += axisElements(frame: frame, x: x, y: y, xTicks: xTicks, yTicks: yTicks)
        out.append("<g clip-path=\"url(#plot-area)\">")
        for item in series { out += seriesElements(item, x: x, y: y) }
        out.append("</g>")
        out += legendElements(frame: frame)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}
