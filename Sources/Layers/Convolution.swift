// Convolution layer: A_i = w ⋆ A_{i−1} + b, computed as im2col + GEMM.
//
// Source: L. Boué, "Deep learning for pedestrians: backpropagation in CNNs" (arXiv:1811.11987),
// convolution layer: forward eq. (28), A_i = fold[w · φ(A_{i−1})] + b; backward
// ∂w = roll[f2d(Δ_i) φ(A_{i−1})ᵗ], ∂b = Σ_{s,r} Δ_i, and Δ_{i−1} as a fractionally strided
// convolution of Δ_i with the depth-transposed, 180°-rotated kernels (Convolution+Backward.swift).
// Deviations:
// - The column matrix is stored per sample as φᵗ, (d_{i−1}·k·k)×(r′·r′) (see Im2Col.swift), so
//   w (d_i×d_{i−1}·k·k) · φᵗ is A_i's sample in NCHW order without a fold.
// - w is d_i×d_{i−1}×k×k, the layout of PyTorch's Conv2d.weight, so weights and kernel images
//   can be compared with PyTorch directly; "roll" is then a free reshape.
// - Height and width may differ (n×d×h×w); the kernel is square, stride and padding equal on
//   both axes. Zero padding; p ≥ k is allowed (border outputs then see only padding and b).
// - forward/backward are @inlinable so that Model and Training specialise them for Float.

import Tensor

/// A 2-D convolution on n×d_{i−1}×r×r images: n×d_{i−1}×r×r → n×d_i×r′×r′ with
/// r′ = ⌊(r + 2p − k)/s⌋ + 1 (height and width computed separately when they differ).
///
/// Parameters: w of shape d_i×d_{i−1}×k×k (as PyTorch's `Conv2d.weight`), b of shape d_i.
public struct Convolution<Scalar: TensorScalar>: Layer {
    /// `.conv`.
    public let type = LayerType.conv
    /// d_{i−1}, the input depth.
    public let inputChannels: Int
    /// d_i, the output depth (number of kernels).
    public let outputChannels: Int
    /// k, the side of each square kernel.
    public let kernelSize: Int
    /// s, the step between windows.
    public let stride: Int
    /// p, the zeros added on each side of the input.
    public let padding: Int
    /// [w (d_i×d_{i−1}×k×k), b (d_i)].
    public var parameters: [Tensor<Scalar>]
    /// In place: `body(&parameters[index])` (SGD without copies).
    public mutating func updateParameter(_ index: Int, _ body: (inout Tensor<Scalar>) -> Void) {
        body(&parameters[index])
    }
    /// ["w", "b"].
    public var parameterNames: [String] { ["w", "b"] }

    /// What backward needs from forward.
    public struct Cache {
        /// φ(A_{i−1})ᵗ per sample: n×(d_{i−1}·k·k)×(r′·r′) (reference path), or empty.
        public let columns: Tensor<Scalar>
        /// The geometry of the forward windows (d_{i−1}, h, w → h′, w′).
        public let geometry: WindowGeometry
        /// A_{i−1} itself when the direct kernels ran (DirectConvolution), else nil.
        public let input: Tensor<Scalar>?

        @usableFromInline
        init(columns: Tensor<Scalar>, geometry: WindowGeometry, input: Tensor<Scalar>? = nil) {
            self.columns = columns
            self.geometry = geometry
            self.input = input
        }

        /// n.
        @usableFromInline var sampleCount: Int { input?.shape[0] ?? columns.shape[0] }
    }

    /// Whether the Float direct kernels (DirectConvolution) compute this layer.
    @inlinable
    func usesDirectKernels(_ g: WindowGeometry) -> Bool {
        Scalar.self == Float.self && DirectConvolution.applies(width: g.width, kernel: kernelSize, stride: stride, padding: padding)
    }

    /// A layer with zero weights (initialise through Model's initialisers).
    /// - Precondition: every count ≥ 1 and padding ≥ 0.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0) {
        precondition(inputChannels >= 1 && outputChannels >= 1 && kernelSize >= 1 && stride >= 1 && padding >= 0,
                     "conv \(inputChannels)→\(outputChannels) k\(kernelSize) s\(stride) p\(padding): "
                        + "channels, k and s must be ≥ 1 and p ≥ 0")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        parameters = [Tensor(shape: [outputChannels, inputChannels, kernelSize, kernelSize]),
                      Tensor(shape: [outputChannels])]
    }

    /// The name in error messages, e.g. "conv k5 s1 p0, 1→6".
    public var name: String { "conv k\(kernelSize) s\(stride) p\(padding), \(inputChannels)→\(outputChannels)" }

    /// n×d_{i−1}×h×w → n×d_i×h′×w′, h′ = ⌊(h + 2p − k)/s⌋ + 1, w′ likewise.
    /// - Throws: `LayerError.shapeMismatch` unless the input is rank 4 with d_{i−1} channels and
    ///   h + 2p ≥ k, w + 2p ≥ k (e.g. a 5×5 kernel on a 3×3 input without padding).
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let g = try geometry(for: inputShape)
        return [inputShape[0], outputChannels, g.outputHeight, g.outputWidth]
    }

    /// The forward window geometry for an n×d_{i−1}×h×w input.
    @usableFromInline
    func geometry(for inputShape: [Int]) throws -> WindowGeometry {
        let k = kernelSize, p = padding
        guard inputShape.count == 4, inputShape[1] == inputChannels,
              inputShape[2] + 2 * p >= k, inputShape[3] + 2 * p >= k else {
            throw LayerError.shapeMismatch(
                layer: name, expected: "n×\(inputChannels)×h×w with h + 2p ≥ k and w + 2p ≥ k (k = \(k), p = \(p))",
                actual: inputShape)
        }
        return WindowGeometry(channels: inputChannels, height: inputShape[2], width: inputShape[3],
                              kernel: k, stride: stride, padding: p)
    }

    /// A_i = w ⋆ A_{i−1} + b: n×d_{i−1}×r×r → n×d_i×r′×r′, per sample
    /// A_i[n] = w (d_i×d_{i−1}·k·k) · φ(A_{i−1}[n])ᵗ ((d_{i−1}·k·k)×r′·r′) + b (paper eq. 28).
    /// - Throws: `LayerError.shapeMismatch` (see `outputShape(for:)`).
    @inlinable
    @_specialize(where Scalar == Float)
    public mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        let g = try geometry(for: aPrev.shape)
        let n = aPrev.shape[0], d = outputChannels, rows = g.columnRows, cells = g.columnCount
        if usesDirectKernels(g) { return (directForward(aPrev, geometry: g), Cache(columns: Tensor(shape: [0]), geometry: g, input: aPrev)) }
        let columns = aPrev.im2col(g)
        var a = Tensor<Scalar>(shape: [n, d, g.outputHeight, g.outputWidth])
        guard n > 0, cells > 0 else { return (a, Cache(columns: columns, geometry: g)) }
        parameters[0].withUnsafeBufferPointer { w in
            parameters[1].withUnsafeBufferPointer { b in
                columns.withUnsafeBufferPointer { cols in
                    a.withUnsafeMutableBufferPointer { out in
                        for sample in 0..<n {
                            let o = out.baseAddress! + sample * d * cells
                            for c in 0..<d { (o + c * cells).update(repeating: b[c], count: cells) }
                            Scalar.gemm(transA: false, transB: false, m: d, n: cells, k: rows,
                                        alpha: 1, a: w.baseAddress!, lda: rows,
                                        b: cols.baseAddress! + sample * rows * cells, ldb: cells,
                                        beta: 1, c: o, ldc: cells)
                        }
                    }
                }
            }
        }
        return (a, Cache(columns: columns, geometry: g))
    }
}
