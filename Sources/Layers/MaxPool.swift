// Max pooling: each output cell is the largest value of its k×k window; backward routes the
// error to that value.
//
// Source: L. Boué, "Deep learning for pedestrians: backpropagation in CNNs" (arXiv:1811.11987),
// max-pooling layer: A_i = max over each window of A_{i−1}; Δ_{i−1} is Δ_i routed to the
// position of each window's maximum and zero elsewhere.
// Deviations:
// - Ties: the whole error goes to the FIRST maximum in row-major scan order of the window
//   (ky outer, kx inner), as PyTorch's CPU max_pool2d does (a later cell must be strictly
//   greater to take over). The paper does not specify ties. As in PyTorch, a NaN in a window
//   wins (the last NaN scanned), so NaNs propagate.
// - Padding reads −∞ (never the maximum unless the window is all −∞); as in PyTorch p ≤ k/2,
//   so every window holds at least one real cell. Height and width may differ.
// - Overlapping windows (s < k, e.g. k3 s2) may share an argmax; backward accumulates (+=).
// - forward/backward are @inlinable so that Model and Training specialise them for Float.

import Tensor

/// Max pooling over k×k windows with stride s and padding p:
/// n×d×r×r → n×d×r′×r′, r′ = ⌊(r + 2p − k)/s⌋ + 1. No parameters.
public struct MaxPool<Scalar: TensorScalar>: Layer {
    /// `.maxpool`.
    public let type = LayerType.maxpool
    /// k, the side of the square window.
    public let kernelSize: Int
    /// s, the step between windows.
    public let stride: Int
    /// p, the −∞ cells added on each side.
    public let padding: Int
    /// None: max pooling has no trainable parameters.
    public var parameters: [Tensor<Scalar>] {
        get { [] }
        set { precondition(newValue.isEmpty, "\(name) has no parameters") }
    }
    /// None.
    public var parameterNames: [String] { [] }

    /// What backward needs from forward (nothing after an inference forward).
    public struct Cache {
        /// For each output cell (n×d×r′×r′, row-major), the flat row-major index into A_{i−1}
        /// (n×d×r×r) of its window's first maximum; empty after an inference forward.
        public let argmax: [Int]
        /// The shape of A_{i−1}, n×d×r×r.
        public let inputShape: [Int]
        /// False after an `.inference` forward, which keeps no argmax: no backward may follow.
        public let supportsBackward: Bool

        @usableFromInline
        init(argmax: [Int], inputShape: [Int], supportsBackward: Bool = true) {
            self.argmax = argmax
            self.inputShape = inputShape
            self.supportsBackward = supportsBackward
        }
    }

    /// A max-pooling layer.
    /// - Precondition: k ≥ 1, s ≥ 1, 0 ≤ p ≤ k/2 (PyTorch's rule).
    public init(kernelSize: Int, stride: Int, padding: Int = 0) {
        precondition(kernelSize >= 1 && stride >= 1 && padding >= 0 && 2 * padding <= kernelSize,
                     "maxpool k\(kernelSize) s\(stride) p\(padding): need k ≥ 1, s ≥ 1, 0 ≤ p ≤ k/2")
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    /// The name in error messages, e.g. "maxpool k2 s2 p0".
    public var name: String { "maxpool k\(kernelSize) s\(stride) p\(padding)" }

    /// n×d×h×w → n×d×h′×w′, h′ = ⌊(h + 2p − k)/s⌋ + 1, w′ likewise.
    /// - Throws: `LayerError.shapeMismatch` unless the input is rank 4 with h + 2p ≥ k, w + 2p ≥ k.
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let g = try geometry(for: inputShape)
        return [inputShape[0], inputShape[1], g.outputHeight, g.outputWidth]
    }

    /// The window geometry for an n×d×h×w input.
    @usableFromInline
    func geometry(for inputShape: [Int]) throws -> WindowGeometry {
        let k = kernelSize, p = padding
        guard inputShape.count == 4, inputShape[2] + 2 * p >= k, inputShape[3] + 2 * p >= k else {
            throw LayerError.shapeMismatch(
                layer: name, expected: "n×d×h×w with h + 2p ≥ k and w + 2p ≥ k (k = \(k), p = \(p))",
                actual: inputShape)
        }
        return WindowGeometry(channels: inputShape[1], height: inputShape[2], width: inputShape[3],
                              kernel: k, stride: stride, padding: p)
    }

    /// A_i[n, c, y′, x′] = max over the window (y′·s − p + ky, x′·s − p + kx), 0 ≤ ky, kx < k,
    /// of A_{i−1}: n×d×r×r → n×d×r′×r′. In `.training` mode caches the flat index of each
    /// window's first maximum; in `.inference` mode (no backward follows) none is computed and
    /// the cache is empty (the same output bits).
    /// - Throws: `LayerError.shapeMismatch` (see `outputShape(for:)`).
    @inlinable
    @_specialize(where Scalar == Float)
    public mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        let g = try geometry(for: aPrev.shape)
        let planes = aPrev.shape[0] * aPrev.shape[1]
        let h = g.height, w = g.width, hOut = g.outputHeight, wOut = g.outputWidth
        let k = kernelSize, s = stride, p = padding
        if k == 2, s == 2, p == 0, h % 2 == 0, w % 2 == 0, aPrev.count > 0, Scalar.self == Float.self, ElementwiseKernels.isEnabled {
            if mode == .inference {
                let a = aPrev.withUnsafeBufferPointer { x in   // the kernel writes every output cell
                    Tensor<Scalar>(shape: [aPrev.shape[0], aPrev.shape[1], hOut, wOut]) { out in
                        ElementwiseKernels.maxPool2Forward(Float.pointer(x), Float.mutablePointer(out), argmax: nil,
                                                           planes: planes, height: h, width: w)
                    }
                }
                return (a, Cache(argmax: [], inputShape: aPrev.shape, supportsBackward: false))
            }
            var a = Tensor<Scalar>(shape: [0])
            let argmax = [Int](unsafeUninitializedCapacity: planes * hOut * wOut) { am, initialized in
                a = aPrev.withUnsafeBufferPointer { x in   // the kernel writes every argmax and output cell
                    Tensor<Scalar>(shape: [aPrev.shape[0], aPrev.shape[1], hOut, wOut]) { out in
                        ElementwiseKernels.maxPool2Forward(Float.pointer(x), Float.mutablePointer(out), argmax: am.baseAddress!,
                                                           planes: planes, height: h, width: w)
                    }
                }
                initialized = planes * hOut * wOut
            }
            return (a, Cache(argmax: argmax, inputShape: aPrev.shape))
        }
        var a = Tensor<Scalar>(shape: [aPrev.shape[0], aPrev.shape[1], hOut, wOut])
        let keep = mode == .training
        var argmax = [Int](repeating: 0, count: keep ? a.count : 0)
        guard a.count > 0 else { return (a, Cache(argmax: argmax, inputShape: aPrev.shape, supportsBackward: keep)) }
        aPrev.withUnsafeBufferPointer { x in
            a.withUnsafeMutableBufferPointer { out in
                argmax.withUnsafeMutableBufferPointer { am in
                    var o = 0
                    for plane in 0..<planes {
                        let base = plane * h * w
                        for oy in 0..<hOut {
                            let y0 = max(oy * s - p, 0), y1 = min(oy * s - p + k, h)
                            for ox in 0..<wOut {
                                let x0 = max(ox * s - p, 0), x1 = min(ox * s - p + k, w)
                                var best = -Scalar.infinity, bestIndex = base + y0 * w + x0
                                for y in y0..<y1 {
                                    for xx in x0..<x1 {
                                        let i = base + y * w + xx, v = x[i]
                                        if v > best || v.isNaN { best = v; bestIndex = i }
                                    }
                                }
                                out[o] = best
                                if keep { am[o] = bestIndex }
                                o += 1
                            }
                        }
                    }
                }
            }
        }
        return (a, Cache(argmax: argmax, inputShape: aPrev.shape, supportsBackward: keep))
    }

    /// Δ_{i−1}[argmax(j)] += Δ_i[j] for every output cell j, zero elsewhere:
    /// n×d×r′×r′ → n×d×r×r. Overlapping windows that share a maximum add their errors.
    /// - Precondition: `cache` comes from a `.training` forward; `delta` has one element per
    ///   cached argmax.
    @inlinable
    @_specialize(where Scalar == Float)
    public func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                         needsDeltaPrev: Bool) -> Tensor<Scalar> {
        precondition(cache.supportsBackward,
                     "\(name): backward after an inference forward, which keeps no argmax (forward with mode .training)")
        precondition(delta.count == cache.argmax.count,
                     "\(name): Δ_i has \(delta.count) elements for \(cache.argmax.count) output cells")
        guard needsDeltaPrev else { return Tensor(shape: [0]) }
        let shape = cache.inputShape
        if kernelSize == 2, stride == 2, padding == 0, shape.count == 4, shape[2] % 2 == 0, shape[3] % 2 == 0, delta.count > 0,
           Scalar.self == Float.self, ElementwiseKernels.isEnabled {
            return delta.withUnsafeBufferPointer { dl in
                cache.argmax.withUnsafeBufferPointer { am in
                    Tensor<Scalar>(shape: shape) { out in
                        ElementwiseKernels.maxPool2Backward(Float.pointer(dl), argmax: am.baseAddress!, Float.mutablePointer(out),
                                                            planes: shape[0] * shape[1], height: shape[2], width: shape[3])
                    }
                }
            }
        }
        var deltaPrev = Tensor<Scalar>(shape: cache.inputShape)
        guard delta.count > 0 else { return deltaPrev }
        if Scalar.self == Float.self, ElementwiseKernels.isEnabled, kernelSize <= stride {   // non-overlapping windows
            delta.withUnsafeBufferPointer { dl in
                cache.argmax.withUnsafeBufferPointer { am in
                    deltaPrev.withUnsafeMutableBufferPointer { out in
                        ElementwiseKernels.maxPoolBackward(Float.pointer(dl), argmax: am.baseAddress!, Float.mutablePointer(out),
                                                           count: dl.count)
                    }
                }
            }
            return deltaPrev
        }
        delta.withUnsafeBufferPointer { dl in
            cache.argmax.withUnsafeBufferPointer { am in
                deltaPrev.withUnsafeMutableBufferPointer { out in
                    for j in 0..<dl.count { out[am[j]] += dl[j] }
                }
            }
        }
        return deltaPrev
    }
}
