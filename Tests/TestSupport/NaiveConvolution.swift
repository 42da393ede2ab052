// The direct-loop convolution, kept as the oracle for the im2col + GEMM layer (CONVENTIONS.md
// #2, #15c), in Float64. Nothing clever: seven nested loops and the plain chain rule.
//
// Source: the definition A_i[n, o, y′, x′] = b[o] + Σ_{c, ky, kx} w[o, c, ky, kx] ·
// A_{i−1}[n, c, y′·s + ky − p, x′·s + kx − p] (zero outside the image), as in PyTorch's
// Conv2d (cross-correlation) and Boué (arXiv:1811.11987), convolution layer.
// Deviations: none; height and width may differ.

import Tensor

/// The results of the naive backward pass.
public struct NaiveConvolutionGradients {
    /// Δ_{i−1}, n×d_{i−1}×h×w.
    public var deltaPrev: Tensor<Double>
    /// ∂L/∂w, d_i×d_{i−1}×k×k.
    public var w: Tensor<Double>
    /// ∂L/∂b, d_i.
    public var b: Tensor<Double>
}

/// A reference convolution by direct loops (Float64).
public enum NaiveConvolution {
    /// Visits every (sample, out channel, y′, x′, in channel, ky, kx) whose input cell lies
    /// inside the image, with flat indices into A_{i−1}, A_i and w.
    static func forEachTap(inputShape: [Int], weightShape: [Int], stride s: Int, padding p: Int,
                           _ body: (_ xIndex: Int, _ aIndex: Int, _ wIndex: Int) -> Void) -> [Int] {
        let (n, dIn, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (dOut, k) = (weightShape[0], weightShape[2])
        let hOut = (h + 2 * p - k) / s + 1, wOut = (w + 2 * p - k) / s + 1
        for sample in 0..<n {
            for o in 0..<dOut {
                for oy in 0..<hOut {
                    for ox in 0..<wOut {
                        let aIndex = ((sample * dOut + o) * hOut + oy) * wOut + ox
                        for c in 0..<dIn {
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let y = oy * s + ky - p, x = ox * s + kx - p
                                    guard y >= 0, y < h, x >= 0, x < w else { continue }
                                    body(((sample * dIn + c) * h + y) * w + x, aIndex,
                                         ((o * dIn + c) * k + ky) * k + kx)
                                }
                            }
                        }
                    }
                }
            }
        }
        return [n, dOut, hOut, wOut]
    }

    /// A_i = w ⋆ A_{i−1} + b: n×d_{i−1}×h×w → n×d_i×h′×w′.
    public static func forward(_ aPrev: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>,
                               stride: Int, padding: Int) -> Tensor<Double> {
        let k = w.shape[2]
        let hOut = (aPrev.shape[2] + 2 * padding - k) / stride + 1
        let wOut = (aPrev.shape[3] + 2 * padding - k) / stride + 1
        var a = Tensor<Double>(shape: [aPrev.shape[0], w.shape[0], hOut, wOut])
        let cells = hOut * wOut
        for i in 0..<a.count { a[i] = b[(i / cells) % w.shape[0]] }
        _ = forEachTap(inputShape: aPrev.shape, weightShape: w.shape, stride: stride, padding: padding) {
            xi, ai, wi in a[ai] += w[wi] * aPrev[xi]
        }
        return a
    }

    /// Backward by scattering every tap of the forward sum:
    /// Δ_{i−1}[x] += Δ_i[a]·w[t], ∂w[t] += Δ_i[a]·A_{i−1}[x], ∂b[o] += Δ_i[a].
    public static func backward(_ delta: Tensor<Double>, aPrev: Tensor<Double>, w: Tensor<Double>,
                                stride: Int, padding: Int) -> NaiveConvolutionGradients {
        var result = NaiveConvolutionGradients(deltaPrev: Tensor(shape: aPrev.shape),
                                               w: Tensor(shape: w.shape), b: Tensor(shape: [w.shape[0]]))
        _ = forEachTap(inputShape: aPrev.shape, weightShape: w.shape, stride: stride, padding: padding) {
            xi, ai, wi in
            result.deltaPrev[xi] += delta[ai] * w[wi]
            result.w[wi] += delta[ai] * aPrev[xi]
        }
        let cells = delta.shape[2] * delta.shape[3]
        for i in 0..<delta.count { result.b[(i / cells) % w.shape[0]] += delta[i] }
        return result
    }
}
