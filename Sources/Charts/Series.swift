// What a chart draws: named series of points, with an optional band.

/// A point of a series, in data units.
public struct ChartPoint: Sendable, Equatable {
    /// Horizontal value.
    public var x: Double
    /// Vertical value; a non-finite value breaks the line.
    public var y: Double

    /// A point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A vertical interval at one x, e.g. the minimum and maximum over seeds.
public struct BandPoint: Sendable, Equatable {
    /// Horizontal value.
    public var x: Double
    /// Lower end.
    public var low: Double
    /// Upper end.
    public var high: Double

    /// A band point.
    public init(x: Double, low: Double, high: Double) {
        self.x = x
        self.low = low
        self.high = high
    }
}

/// How a series is drawn.
public enum SeriesStyle: Sendable, Equatable {
    /// A polyline through the points.
    case line
    /// A polyline with a dot at every point.
    case lineWithMarkers
    /// Dots only (a scatter plot).
    case dots
    /// Crosses only (e.g. runs that diverged).
    case crosses
    /// A dot at every point and the band as a vertical range line at each of its x, with no
    /// line between points (values of a categorical variable).
    case markersWithRanges
}

/// One named series.
public struct Series: Sendable, Equatable {
    /// The legend text.
    public var name: String
    /// The points, in drawing order. Points the axes cannot show (non-finite, ≤ 0 on a log
    /// axis) break the line.
    public var points: [ChartPoint]
    /// A shaded band drawn under the line (empty for none).
    public var band: [BandPoint]
    /// Line, markers or both.
    public var style: SeriesStyle
    /// Palette index of the colour (``Palette/color(_:)``).
    public var colorIndex: Int
    /// Dashed line (in addition to the palette's own dashing after 10 colours).
    public var dashed: Bool
    /// The series stopped early (the run diverged): an × is drawn at its last drawable point.
    public var diverged: Bool
    /// Whether the legend lists the series.
    public var inLegend: Bool

    /// A series; see the properties.
    public init(name: String, points: [ChartPoint], band: [BandPoint] = [], style: SeriesStyle = .line,
                colorIndex: Int, dashed: Bool = false, diverged: Bool = false, inLegend: Bool = true) {
        self.name = name
        self.points = points
        self.band = band
        self.style = style
        self.colorIndex = colorIndex
        self.dashed = dashed
        self.diverged = diverged
        self.inLegend = inLegend
    }
}
