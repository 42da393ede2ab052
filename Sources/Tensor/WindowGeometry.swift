// The geometry of a k×k window sliding over a d×h×w image: the shared arithmetic of
// convolution (im2col, col2im) and max pooling.
//
// Source: L. Boué, "Deep learning for pedestrians: backpropagation in CNNs" (arXiv:1811.11987),
// convolution layer: r′ = ⌊(r + 2p − k)/s⌋ + 1; and V. Dumoulin, F. Visin, "A guide to
// convolution arithmetic for deep learning" (arXiv:1603.07285) for the transposed case.
// Deviations: height and width may differ (h×w instead of r×r); the kernel stays square. Two
// extensions serve the paper's fractionally strided convolution (the convolution's Δ_{i−1}):
// `inputDilation` (s − 1 zeros between input cells) and a negative `padding` (p′ = k − p − 1 < 0
// when p ≥ k, meaning a crop).

/// Where a k×k window visits a d×h×w image, and the output extents h′×w′ that result.
///
/// Window (y′, x′) at kernel offset (ky, kx) reads the virtual input cell
/// (y′·s + ky − p, x′·s + kx − p) of the image after `inputDilation − 1` zeros were inserted
/// between its cells and `padding` zeros added on every side; cells outside the image read 0.
public struct WindowGeometry: Sendable, Equatable, CustomStringConvertible {
    /// d, the input depth (channels).
    public let channels: Int
    /// h, the input height (before dilation).
    public let height: Int
    /// w, the input width (before dilation).
    public let width: Int
    /// k, the side of the square kernel.
    public let kernel: Int
    /// s, the step between windows (≥ 1).
    public let stride: Int
    /// p, the zeros added on each side; negative values crop.
    public let padding: Int
    /// 1 + the zeros inserted between neighbouring input cells (1: none).
    public let inputDilation: Int
    /// h′, the number of window rows.
    public let outputHeight: Int
    /// w′, the number of window columns.
    public let outputWidth: Int

    /// The usual geometry: h′ = ⌊(h + 2p − k)/s⌋ + 1, w′ = ⌊(w + 2p − k)/s⌋ + 1.
    /// - Precondition: k ≥ 1, s ≥ 1, p ≥ 0, h + 2p ≥ k and w + 2p ≥ k (callers that take user
    ///   input check this first and throw).
    public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        precondition(kernel >= 1 && stride >= 1 && padding >= 0,
                     "window k\(kernel) s\(stride) p\(padding): need k ≥ 1, s ≥ 1, p ≥ 0")
        precondition(height + 2 * padding >= kernel && width + 2 * padding >= kernel,
                     "window k\(kernel) p\(padding) does not fit a \(height)×\(width) input")
        self.init(channels: channels, height: height, width: width, kernel: kernel, stride: stride,
                  padding: padding, inputDilation: 1,
                  outputHeight: (height + 2 * padding - kernel) / stride + 1,
                  outputWidth: (width + 2 * padding - kernel) / stride + 1)
    }

    /// A geometry with explicit output extents; windows reaching past the (dilated, padded)
    /// input read zeros, which is how the fractionally strided convolution gets the extra
    /// bottom/right zeros when (r + 2p − k) is not divisible by s.
    /// - Precondition: every extent ≥ 0, k ≥ 1, s ≥ 1, inputDilation ≥ 1.
    public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int,
                inputDilation: Int, outputHeight: Int, outputWidth: Int) {
        precondition(channels >= 0 && height >= 0 && width >= 0 && outputHeight >= 0 && outputWidth >= 0,
                     "negative extent in window geometry")
        precondition(kernel >= 1 && stride >= 1 && inputDilation >= 1,
                     "window k\(kernel) s\(stride) dilation \(inputDilation): all must be ≥ 1")
        self.channels = channels
        self.height = height
        self.width = width
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.inputDilation = inputDilation
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
    }

    /// d·h·w, the elements of one input image.
    @inlinable public var imageCount: Int { channels * height * width }
    /// d·k·k, the rows of the column matrix (one per (channel, ky, kx)).
    @inlinable public var columnRows: Int { channels * kernel * kernel }
    /// h′·w′, the columns of the column matrix (one per window).
    @inlinable public var columnCount: Int { outputHeight * outputWidth }

    /// E.g. "2×6×6 k3 s2 p1 → 3×3".
    public var description: String {
        "\(channels)×\(height)×\(width) k\(kernel) s\(stride) p\(padding)"
            + (inputDilation > 1 ? " dilation \(inputDilation)" : "") + " → \(outputHeight)×\(outputWidth)"
    }

    /// The input index along one axis read by output position `o` at kernel offset `kOffset`,
    /// or nil when it falls on padding or on an inserted zero.
    @inlinable
    func source(_ o: Int, _ kOffset: Int, extent: Int) -> Int? {
        let v = o * stride + kOffset - padding
        if v < 0 { return nil }
        if inputDilation == 1 { return v < extent ? v : nil }
        if v % inputDilation != 0 { return nil }
        let i = v / inputDilation
        return i < extent ? i : nil
    }

    /// The half-open range of output positions whose source along an axis of size `extent`
    /// is inside the image, for `inputDilation == 1`: o·s + kOffset − p ∈ [0, extent).
    @inlinable
    func validRange(_ kOffset: Int, extent: Int, outputs: Int) -> Range<Int> {
        let shift = kOffset - padding                           // source = o·s + shift
        let lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride
        let hi = extent - shift <= 0 ? 0 : (extent - shift - 1) / stride + 1
        let clampedLo = min(lo, outputs), clampedHi = max(clampedLo, min(hi, outputs))
        return clampedLo..<clampedHi
    }
}
