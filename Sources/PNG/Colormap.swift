/// An 8-bit sRGB colour.
public struct RGB: Equatable, Sendable {
    /// Red sample, 0…255.
    public var red: UInt8
    /// Green sample, 0…255.
    public var green: UInt8
    /// Blue sample, 0…255.
    public var blue: UInt8

    /// Creates a colour from its three samples.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `[red, green, blue]`, as stored in a 3-channel `PNGImage`.
    public var samples: [UInt8] { [red, green, blue] }
}

/// The colours of the analysis images, in one place so that documents can quote them.
///
/// Diverging map (blue–white–red, zero white), for a value t in [−1, 1] (clamped):
/// ```
/// t ≥ 0:  (255, c, c)  with c = round(255 · (1 − t))     t = +1 → (255, 0, 0) pure red
/// t < 0:  (c, c, 255)  with c = round(255 · (1 + t))     t = −1 → (0, 0, 255) pure blue
/// ```
/// Linear in sRGB byte values, rounding half away from zero; t = 0 → (255, 255, 255) white.
///
/// Symmetric gray map, for t in [−1, 1] (clamped): g = round(127.5 · (1 + t)), so −1 → 0
/// (black), 0 → 128 (mid-gray), +1 → 255 (white).
///
/// Min–max gray map, for u in [0, 1]: g = round(255 · u).
public enum Colormap {
    /// t = −1 of the diverging map: pure blue (0, 0, 255).
    public static let negative = RGB(0, 0, 255)
    /// t = 0 of the diverging map: white (255, 255, 255).
    public static let zero = RGB(255, 255, 255)
    /// t = +1 of the diverging map: pure red (255, 0, 0).
    public static let positive = RGB(255, 0, 0)
    /// NaN and ±infinity, in every analysis image with colour: pure green (0, 255, 0), which
    /// neither map produces.
    public static let nonFinite = RGB(0, 255, 0)
    /// Borders of diverging kernel grids: black (0, 0, 0), which the diverging map never produces.
    public static let divergingBorder = RGB(0, 0, 0)
    /// Borders of gray grids (grayscale kernel grids, activation grids) and unused grid cells:
    /// steel blue (0, 96, 192), which no gray value equals.
    public static let grayBorder = RGB(0, 96, 192)
    /// Mid-gray, 128: zero in the symmetric gray map, and every pixel of a constant map.
    public static let midGray: UInt8 = 128

    /// The diverging colour of `t` (see the type's documentation); NaN → `nonFinite`.
    public static func diverging(_ t: Double) -> RGB {
        guard !t.isNaN else { return nonFinite }
        let t = min(max(t, -1), 1)
        let c = UInt8((255 * (1 - abs(t))).rounded(.toNearestOrAwayFromZero))
        return t >= 0 ? RGB(255, c, c) : RGB(c, c, 255)
    }

    /// The symmetric gray value of `t` in [−1, 1] (clamped): −1 → 0, 0 → 128, +1 → 255. NaN → 128.
    public static func symmetricGray(_ t: Double) -> UInt8 {
        guard !t.isNaN else { return midGray }
        let t = min(max(t, -1), 1)
        return UInt8((127.5 * (1 + t)).rounded(.toNearestOrAwayFromZero))
    }

    /// The gray value of `u` in [0, 1] (clamped): round(255 · u). NaN → 128.
    public static func unitGray(_ u: Double) -> UInt8 {
        guard !u.isNaN else { return midGray }
        return UInt8((255 * min(max(u, 0), 1)).rounded(.toNearestOrAwayFromZero))
    }
}
