/// Activation maps of one input image, drawn for inspection.
///
/// Gray levels come from per-map min–max scaling over the map's finite values:
/// g = round(255 · (v − min) / (max − min)) (`Colormap.unitGray`), so every map uses the full
/// black-to-white range. A constant map (max = min, e.g. a dead ReLU channel of zeros) has no
/// contrast to show and is drawn mid-gray (128) throughout. In the RGB grids, NaN and ±∞ are
/// drawn in `Colormap.nonFinite` (green), borders and unused cells in `Colormap.grayBorder`.
public enum ActivationGrid {
    /// The number of grid columns for `d` maps: ⌈√d⌉; rows = ⌈d / columns⌉. 6 maps → 3×2,
    /// 16 → 4×4, 1 → 1×1.
    public static func columns(for d: Int) -> Int {
        var columns = 1
        while columns * columns < d { columns += 1 }
        return columns
    }

    /// Tiles the d maps of a layer's output (one image) in a grid, row by row.
    ///
    /// Geometry: columns c = ⌈√d⌉, rows ⌈d / c⌉; each map h×w upscaled to (h·factor)×(w·factor)
    /// by nearest neighbour; one-pixel borders between and around tiles:
    /// width = 1 + c · (w·factor + 1), height = 1 + rows · (h·factor + 1).
    /// - Parameters:
    ///   - maps: d·h·w values, row-major (channel, row, column).
    ///   - shape: `[d, h, w]`.
    ///   - factor: integer upscaling, ≥ 1 (default 4: a 24×24 map becomes 96×96 px).
    /// - Returns: an RGB image with gray tiles.
    /// - Precondition: `maps.count` is the product of `shape`; 3 positive dimensions; factor ≥ 1.
    public static func image(maps: [Float], shape: [Int], factor: Int = 4) -> PNGImage {
        precondition(shape.count == 3 && shape.allSatisfy { $0 > 0 }, "ActivationGrid: shape \(shape) is not d×h×w")
        precondition(maps.count == shape.reduce(1, *), "ActivationGrid: \(maps.count) values for shape \(shape)")
        precondition(factor >= 1, "ActivationGrid: factor \(factor) < 1")
        let (d, h, w) = (shape[0], shape[1], shape[2])
        let columns = columns(for: d)
        let layout = GridLayout(rows: (d + columns - 1) / columns, columns: columns, tileWidth: w * factor, tileHeight: h * factor)
        var canvas = Canvas(width: layout.width, height: layout.height, background: Colormap.grayBorder)
        for channel in 0..<d {
            let map = maps[(channel * h * w)..<((channel + 1) * h * w)]
            let origin = layout.origin(row: channel / columns, column: channel % columns)
            let colors = grayLevels(map).map { level in level.map { RGB($0, $0, $0) } ?? Colormap.nonFinite }
            canvas.fillTile(x: origin.x, y: origin.y, colors: colors, height: h, width: w, size: factor)
        }
        return canvas.image
    }

    /// A vector output (f features of one image) as a 1×f strip of cells, min–max scaled,
    /// each cell `max(8, factor)` pixels square, with a one-pixel border around the strip:
    /// width = 2 + f · cell, height = 2 + cell.
    /// - Precondition: `values` is not empty; factor ≥ 1.
    public static func strip(values: [Float], factor: Int = 8) -> PNGImage {
        precondition(!values.isEmpty && factor >= 1, "ActivationGrid.strip: \(values.count) values, factor \(factor)")
        return image(maps: values, shape: [1, 1, values.count], factor: max(8, factor))
    }

    /// A single map (e.g. the network's input A0) as a plain 1-channel gray image with
    /// per-image min–max scaling, upscaled by `factor`, no border: (h·factor) × (w·factor).
    /// Non-finite values are drawn black (a gray image has no distinct colour for them).
    /// - Parameters:
    ///   - values: h·w values, row-major.
    ///   - height: h; width: w.
    ///   - factor: integer upscaling, ≥ 1 (default 4: 28×28 → 112×112 px).
    /// - Precondition: `values.count == height · width`, both positive; factor ≥ 1.
    public static func grayImage(values: [Float], height: Int, width: Int, factor: Int = 4) -> PNGImage {
        precondition(height > 0 && width > 0 && values.count == height * width,
                     "ActivationGrid.grayImage: \(values.count) values for \(height)×\(width)")
        precondition(factor >= 1, "ActivationGrid.grayImage: factor \(factor) < 1")
        let levels = grayLevels(values[...])
        let outWidth = width * factor
        var pixels = [UInt8](repeating: 0, count: outWidth * height * factor)
        for y in 0..<(height * factor) {
            for x in 0..<outWidth {
                pixels[y * outWidth + x] = levels[(y / factor) * width + x / factor] ?? 0
            }
        }
        return PNGImage(width: outWidth, height: height * factor, channels: 1, pixels: pixels)
    }

    /// Min–max gray levels of a map; nil for non-finite values. Constant maps → 128.
    static func grayLevels(_ map: ArraySlice<Float>) -> [UInt8?] {
        let finite = map.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return map.map { _ in nil } }
        let range = Double(high) - Double(low)
        return map.map { value -> UInt8? in
            guard value.isFinite else { return nil }
            return range > 0 ? Colormap.unitGray((Double(value) - Double(low)) / range) : Colormap.midGray
        }
    }
}
