/// How a kernel grid maps values to colours.
public struct KernelGridOptions: Equatable, Sendable {
    /// Which maximum a value is divided by.
    public enum Scaling: Equatable, Sendable {
        /// Each kernel by its own max |v| (default): shows every kernel's pattern at full contrast.
        case perKernel
        /// Every kernel by the layer's max |v|: shows which kernels are strong.
        case global
    }

    /// Which colour map draws t = v / scale ∈ [−1, 1].
    public enum Coloring: Equatable, Sendable {
        /// Blue–white–red, zero white (`Colormap.diverging`); borders black.
        case diverging
        /// −max black, 0 mid-gray, +max white (`Colormap.symmetricGray`); borders steel blue.
        case grayscale
    }

    /// Integer nearest-neighbour upscaling: each kernel cell becomes `factor × factor` pixels. ≥ 1.
    public var factor: Int
    /// Per-kernel (default) or global scaling.
    public var scaling: Scaling
    /// Diverging (default) or grayscale.
    public var coloring: Coloring

    /// Defaults: factor 8 (a 5×5 kernel is 40×40 px), per-kernel scaling, diverging colours.
    public init(factor: Int = 8, scaling: Scaling = .perKernel, coloring: Coloring = .diverging) {
        self.factor = factor
        self.scaling = scaling
        self.coloring = coloring
    }
}

/// The kernels of one convolution layer as one RGB image.
///
/// Layout: a grid with one row per output channel and one column per input channel; tile
/// (o, i) shows kernel w[o, i] (kh × kw cells, row 0 at the top), each cell upscaled to
/// `factor × factor` pixels by nearest neighbour, one-pixel borders between tiles and around
/// the grid:
/// ```
/// width  = 1 + d_in  · (kw · factor + 1)
/// height = 1 + d_out · (kh · factor + 1)
/// cell (ky, kx) of kernel (o, i) covers x ∈ 1 + i·(kw·factor+1) + kx·factor + [0, factor),
///                                       y ∈ 1 + o·(kh·factor+1) + ky·factor + [0, factor)
/// ```
/// e.g. 6×1×5×5 at factor 8 → 42 × 247 px; 16×6×5×5 → 247 × 657 px.
///
/// Colours: t = v / s with s = max |v| over the finite values of the kernel (per-kernel) or of
/// the whole layer (global), then `Colormap.diverging(t)` or `Colormap.symmetricGray(t)`.
/// Degenerate scales never give NaN: when s = 0 (all zero), and in per-kernel mode when the
/// kernel is constant (all finite values equal, so it has no pattern to show), every finite
/// value is drawn as t = 0: white (diverging) or mid-gray (grayscale). In global mode a
/// constant kernel keeps its value relative to the layer's scale. NaN and ±∞ are drawn in
/// `Colormap.nonFinite` (green) and ignored when computing scales.
public enum KernelGrid {
    /// The image size for a d_out×d_in×kh×kw layer (see the layout formula).
    /// - Precondition: `shape` has 4 positive dimensions and `factor ≥ 1`.
    public static func size(shape: [Int], factor: Int = 8) -> (width: Int, height: Int) {
        let layout = self.layout(shape: shape, factor: factor)
        return (layout.width, layout.height)
    }

    /// Draws the kernels of a layer.
    /// - Parameters:
    ///   - weights: d_out·d_in·kh·kw values, row-major (PyTorch's Conv2d.weight order).
    ///   - shape: `[d_out, d_in, kh, kw]`.
    ///   - options: factor, scaling and colouring.
    /// - Returns: an RGB image of `size(shape:factor:)`.
    /// - Precondition: `weights.count` is the product of `shape`; 4 positive dimensions; factor ≥ 1.
    public static func image(weights: [Float], shape: [Int], options: KernelGridOptions = KernelGridOptions()) -> PNGImage {
        let layout = self.layout(shape: shape, factor: options.factor)
        precondition(weights.count == shape.reduce(1, *), "KernelGrid: \(weights.count) weights for shape \(shape)")
        let (outputs, inputs, kh, kw) = (shape[0], shape[1], shape[2], shape[3])
        let cells = kh * kw
        let border = options.coloring == .diverging ? Colormap.divergingBorder : Colormap.grayBorder
        var canvas = Canvas(width: layout.width, height: layout.height, background: border)
        let layerScale = maxMagnitude(weights[...])
        for o in 0..<outputs {
            for i in 0..<inputs {
                let start = (o * inputs + i) * cells
                let kernel = weights[start..<start + cells]
                let scale = options.scaling == .global ? layerScale : (isConstant(kernel) ? 0 : maxMagnitude(kernel))
                let origin = layout.origin(row: o, column: i)
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        let value = kernel[start + ky * kw + kx]
                        canvas.fillBlock(x: origin.x + kx * options.factor, y: origin.y + ky * options.factor,
                                         size: options.factor, color: color(value, scale: scale, coloring: options.coloring))
                    }
                }
            }
        }
        return canvas.image
    }

    static func layout(shape: [Int], factor: Int) -> GridLayout {
        precondition(shape.count == 4 && shape.allSatisfy { $0 > 0 }, "KernelGrid: shape \(shape) is not d_out×d_in×kh×kw")
        precondition(factor >= 1, "KernelGrid: factor \(factor) < 1")
        return GridLayout(rows: shape[0], columns: shape[1], tileWidth: shape[3] * factor, tileHeight: shape[2] * factor)
    }

    /// max |v| over the finite values; 0 when there are none.
    static func maxMagnitude(_ values: ArraySlice<Float>) -> Double {
        values.reduce(0.0) { $1.isFinite ? max($0, Double(abs($1))) : $0 }
    }

    /// Whether all finite values are equal (true for no finite values).
    static func isConstant(_ values: ArraySlice<Float>) -> Bool {
        guard let first = values.first(where: \.isFinite) else { return true }
        return values.allSatisfy { !$0.isFinite || $0 == first }
    }

    static func color(_ value: Float, scale: Double, coloring: KernelGridOptions.Coloring) -> RGB {
        guard value.isFinite else { return Colormap.nonFinite }
        let t = scale > 0 ? Double(value) / scale : 0
        switch coloring {
        case .diverging: return Colormap.diverging(t)
        case .grayscale:
            let g = Colormap.symmetricGray(t)
            return RGB(g, g, g)
        }
    }
}
