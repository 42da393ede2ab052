// Convolution backward: ∂w, ∂b and the downstream error Δ_{i−1} as a fractionally strided
// convolution.
//
// Source: L. Boué, "Deep learning for pedestrians: backpropagation in CNNs" (arXiv:1811.11987),
// convolution layer, backward: ∂w = roll[f2d(Δ_i) φ(A_{i−1})ᵗ], ∂b = Σ_{s,r} Δ_i and
// Δ_{i−1} = w̃ ⋆ Δ̃_i, where w̃ is w depth-transposed (d_{i−1}×d_i×k×k) with every k×k kernel
// rotated by 180°, and Δ̃_i is Δ_i with s − 1 zeros inserted between its cells and padded by
// p′ = k − p − 1; then a stride-1 convolution (im2col + GEMM).
// Deviations:
// - Δ̃_i is never materialised: the im2col of `WindowGeometry` reads the dilated, padded Δ_i
//   virtually (inputDilation = s, padding = p′). A negative p′ (p ≥ k) crops.
// - When (r + 2p − k) is not divisible by s, the last (r + 2p − k) mod s rows and columns of
//   the padded A_{i−1} were never touched by a window; their error is 0. The stride-1 output is
//   sized r×r explicitly, so windows running past Δ̃_i read zeros on the bottom/right, which
//   gives exactly those zeros (Dumoulin & Visin, arXiv:1603.07285, relationship 14, "a").
// - Temporaries: w̃ (d_{i−1}·d_i·k·k) and one sample's columns of Δ̃_i (d_i·k·k×r·r), reused.

import Tensor

extension Convolution {
    /// Backward pass (paper, convolution layer), with Δ_i of shape n×d_i×r′×r′:
    /// - ∂w += roll[Σ_samples Δ_i[n] (d_i×r′·r′) · φ(A_{i−1}[n]) (r′·r′×d_{i−1}·k·k)], d_i×d_{i−1}×k×k;
    /// - ∂b += Σ over samples and positions of Δ_i, d_i;
    /// - returns Δ_{i−1} = rot180(w)ᵗ ⋆ Δ̃_i (stride 1, p′ = k − p − 1), n×d_{i−1}×r×r, or an empty
    ///   tensor when `needsDeltaPrev` is false.
    /// Sums run in a fixed order (samples, then positions), so the result is deterministic.
    /// - Precondition: `delta` has A_i's shape and `gradients` the parameters' shapes.
    @inlinable
    @_specialize(where Scalar == Float)
    public func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                         needsDeltaPrev: Bool) -> Tensor<Scalar> {
        let g = cache.geometry
        let n = cache.sampleCount, d = outputChannels, rows = g.columnRows, cells = g.columnCount
        precondition(delta.shape == [n, d, g.outputHeight, g.outputWidth],
                     "\(name): Δ_i has shape \(delta.shape), expected \([n, d, g.outputHeight, g.outputWidth])")
        precondition(gradients.count == 2 && gradients[0].shape == parameters[0].shape
                        && gradients[1].shape == parameters[1].shape,
                     "\(name): gradients \(gradients.map(\.shape)) do not match the parameters")
        guard n > 0, cells > 0 else {
            return needsDeltaPrev ? Tensor(shape: [n, inputChannels, g.height, g.width]) : Tensor(shape: [0])
        }
        if let input = cache.input {
            return directBackward(delta, input: input, geometry: g, gradients: &gradients, needsDeltaPrev: needsDeltaPrev)
        }
        delta.withUnsafeBufferPointer { dl in
            cache.columns.withUnsafeBufferPointer { cols in
                gradients[0].withUnsafeMutableBufferPointer { gw in
                    for sample in 0..<n {                       // ∂w += Δ_i[n] · φ(A_{i−1}[n])
                        Scalar.gemm(transA: false, transB: true, m: d, n: rows, k: cells,
                                    alpha: 1, a: dl.baseAddress! + sample * d * cells, lda: cells,
                                    b: cols.baseAddress! + sample * rows * cells, ldb: cells,
                                    beta: 1, c: gw.baseAddress!, ldc: rows)
                    }
                }
            }
            gradients[1].withUnsafeMutableBufferPointer { gb in
                for sample in 0..<n {                           // ∂b += Σ_{s,r} Δ_i
                    for c in 0..<d {
                        let plane = dl.baseAddress! + (sample * d + c) * cells
                        var sum: Scalar = 0
                        for j in 0..<cells { sum += plane[j] }
                        gb[c] += sum
                    }
                }
            }
        }
        guard needsDeltaPrev else { return Tensor(shape: [0]) }
        return fractionallyStridedDeltaPrev(delta, geometry: g)
    }

    /// The depth-transposed, 180°-rotated kernels w̃[c][o][ky][kx] = w[o][c][k−1−ky][k−1−kx],
    /// d_{i−1}×d_i×k×k (the kernels of the fractionally strided convolution).
    @inlinable
    public var transposedRotatedKernels: Tensor<Scalar> {
        let k = kernelSize, kk = k * k, dIn = inputChannels, dOut = outputChannels
        var rotated = Tensor<Scalar>(shape: [dIn, dOut, k, k])
        parameters[0].withUnsafeBufferPointer { w in
            rotated.withUnsafeMutableBufferPointer { wr in
                for o in 0..<dOut {
                    for c in 0..<dIn {
                        let src = w.baseAddress! + (o * dIn + c) * kk
                        let dst = wr.baseAddress! + (c * dOut + o) * kk
                        for j in 0..<kk { dst[j] = src[kk - 1 - j] }   // 180° = reverse the k·k cells
                    }
                }
            }
        }
        return rotated
    }

    /// Δ_{i−1} (n×d_{i−1}×h×w) as the stride-1 convolution of w̃ with Δ_i dilated by s and
    /// padded by p′ = k − p − 1, output sized h×w: per sample
    /// Δ_{i−1}[n] = w̃ (d_{i−1}×d_i·k·k) · φ(Δ̃_i[n])ᵗ (d_i·k·k×h·w).
    @inlinable
    func fractionallyStridedDeltaPrev(_ delta: Tensor<Scalar>, geometry g: WindowGeometry) -> Tensor<Scalar> {
        let n = delta.shape[0], k = kernelSize, dIn = inputChannels
        let gT = WindowGeometry(channels: outputChannels, height: g.outputHeight, width: g.outputWidth,
                                kernel: k, stride: 1, padding: k - padding - 1, inputDilation: stride,
                                outputHeight: g.height, outputWidth: g.width)
        let rotated = transposedRotatedKernels
        var deltaPrev = Tensor<Scalar>(shape: [n, dIn, g.height, g.width])
        var work = [Scalar](repeating: 0, count: gT.columnRows * gT.columnCount)
        guard !work.isEmpty else { return deltaPrev }
        rotated.withUnsafeBufferPointer { wr in
            delta.withUnsafeBufferPointer { dl in
                deltaPrev.withUnsafeMutableBufferPointer { out in
                    work.withUnsafeMutableBufferPointer { cols in
                        for sample in 0..<n {
                            gT.im2col(dl.baseAddress! + sample * gT.imageCount, into: cols.baseAddress!)
                            Scalar.gemm(transA: false, transB: false, m: dIn, n: gT.columnCount, k: gT.columnRows,
                                        alpha: 1, a: wr.baseAddress!, lda: gT.columnRows,
                                        b: cols.baseAddress!, ldb: gT.columnCount,
                                        beta: 0, c: out.baseAddress! + sample * g.imageCount, ldc: gT.columnCount)
                        }
                    }
                }
            }
        }
        return deltaPrev
    }
}
