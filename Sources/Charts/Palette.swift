// The fixed colour palette: series colours do not depend on anything but their index.

/// Series colours: Tableau 10 (Tableau's 2016 palette), distinct on white and for the common
/// colour-vision deficiencies in its first six entries.
public enum Palette {
    /// The colours as `#RRGGBB`, in the order series receive them.
    public static let colors: [String] = [
        "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
        "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
    ]

    /// The colour of series `index` (cycling after 10; negative indices count as 0).
    public static func color(_ index: Int) -> String {
        colors[max(index, 0) % colors.count]
    }

    /// Whether series `index` is drawn dashed: from the second pass through the palette on, so
    /// that series 0 and 10 differ.
    public static func isDashed(_ index: Int) -> Bool {
        (max(index, 0) / colors.count) % 2 == 1
    }
}
