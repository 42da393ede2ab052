// Swift entry points of CKernels' element-wise and per-channel kernels (ReLU, 2×2 max pooling,
// batch-norm statistics and formulas) for Float data, run over `Parallel`'s fixed parts.
//
// Implementation goals, in order of priority:
// 1. Bit-identical for any thread count: element-wise work is split among parts that write
//    disjoint outputs; per-channel sums are computed per part (samples in order) and the parts
//    added in part order, whatever the number of threads.
// 2. The generic Swift layer code stays the reference (Double, other shapes, and
//    `ElementwiseKernels.isEnabled = false` / EXP_ELEMENTWISE=swift); tests compare.
// Sources: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987), ReLU, max-pooling and
// batch-normalisation layers (eqs. 41–43).

import CKernels
import Foundation

/// Float kernels for the layers between the convolutions.
public enum ElementwiseKernels {
    nonisolated(unsafe) private static var enabled = ProcessInfo.processInfo.environment["EXP_ELEMENTWISE"] != "swift"

    /// Whether layers use these kernels for Float data (default true).
    public static var isEnabled: Bool {
        get { enabled }
        set { enabled = newValue }
    }

    /// y = max(x, 0) with NaN propagation, `count` elements.
    public static func reluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachPart(work: count) { part in
            let r = Parallel.range(of: part, count: count)
            exp_relu_forward(x, y, r.lowerBound, r.upperBound)
        }
    }

    /// out = x > 0 ? delta : 0.
    public static func reluBackward(_ x: UnsafePointer<Float>, _ delta: UnsafePointer<Float>,
                                    _ out: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachPart(work: count) { part in
            let r = Parallel.range(of: part, count: count)
            exp_relu_backward(x, delta, out, r.lowerBound, r.upperBound)
        }
    }

    /// 2×2 stride-2 max pooling of `planes` h×w planes (h, w even): values and flat argmax;
    /// `argmax` nil: the values only (the same bits; for inference).
    public static func maxPool2Forward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                       argmax: UnsafeMutablePointer<Int>?, planes: Int, height: Int, width: Int) {
        Parallel.forEachPart(work: planes * height * width) { part in
            let r = Parallel.range(of: part, count: planes)
            exp_maxpool2_forward(x, out, argmax, r.lowerBound, r.upperBound, Int32(height), Int32(width))
        }
    }

    /// out[argmax[j]] += delta[j] for non-overlapping windows (out zeroed by the caller).
    public static func maxPoolBackward(_ delta: UnsafePointer<Float>, argmax: UnsafePointer<Int>,
                                       _ out: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachPart(work: count * 4) { part in
            let r = Parallel.range(of: part, count: count)
            exp_maxpool_backward(delta, argmax, out, r.lowerBound, r.upperBound)
        }
    }

    /// 2×2 stride-2 backward: writes every cell of `out` (planes × h × w), no zeroing needed.
    public static func maxPool2Backward(_ delta: UnsafePointer<Float>, argmax: UnsafePointer<Int>,
                                        _ out: UnsafeMutablePointer<Float>, planes: Int, height: Int, width: Int) {
        Parallel.forEachPart(work: planes * height * width) { part in
            let r = Parallel.range(of: part, count: planes)
            exp_maxpool2_backward(delta, argmax, out, r.lowerBound, r.upperBound, Int32(height), Int32(width))
        }
    }

    /// Per-channel (mean, M2 = Σ(x − mean)²) of n×d×rr data, two passes in Float64.
    public static func channelMoments(_ x: UnsafePointer<Float>, n: Int, d: Int, rr: Int) -> (mean: [Double], m2: [Double]) {
        let count = Double(n * rr)
        let sums = partSums(n: n, d: d, work: n * d * rr) { r, out in
            exp_channel_sum(x, out, Int32(r.lowerBound), Int32(r.upperBound), Int32(d), Int32(rr))
        }
        let mean = sums.map { $0 / count }
        let m2 = mean.withUnsafeBufferPointer { mu in
            partSums(n: n, d: d, work: n * d * rr) { r, out in
                exp_channel_squared_deviation(x, mu.baseAddress!, out, Int32(r.lowerBound), Int32(r.upperBound), Int32(d), Int32(rr))
            }
        }
        return (mean, m2)
    }

    /// Per-channel (Σ delta, Σ delta·xhat) in Float64.
    public static func channelDot(_ delta: UnsafePointer<Float>, _ xhat: UnsafePointer<Float>,
                                  n: Int, d: Int, rr: Int) -> (sumDelta: [Double], sumDeltaXHat: [Double]) {
        var second = [Double](repeating: 0, count: d)
        let first = second.withUnsafeMutableBufferPointer { both in
            partSums(n: n, d: d, work: n * d * rr, extra: both) { r, out, extra in
                exp_channel_dot(delta, xhat, out, extra, Int32(r.lowerBound), Int32(r.upperBound), Int32(d), Int32(rr))
            }
        }
        return (first, second)
    }

    /// xhat = (x − mean)·invStd, y = w·xhat + b (Float64 arithmetic, Float results).
    public static func batchNormApply(_ x: UnsafePointer<Float>, mean: [Double], invStd: [Double], w: [Double], b: [Double],
                                      xhat: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, n: Int, d: Int, rr: Int) {
        Parallel.forEachPart(work: n * d * rr) { part in
            let r = Parallel.range(of: part, count: n)
            exp_bn_apply(x, mean, invStd, w, b, xhat, y, Int32(r.lowerBound), Int32(r.upperBound), Int32(d), Int32(rr))
        }
    }

    /// out = k/nEff·(nEff·delta − ΣΔ − xhat·Σ(Δ·xhat)) per channel (training-mode eq. 43).
    public static func batchNormBackward(_ delta: UnsafePointer<Float>, xhat: UnsafePointer<Float>, k: [Double],
                                         sumDelta: [Double], sumDeltaXHat: [Double], nEff: Double,
                                         out: UnsafeMutablePointer<Float>, n: Int, d: Int, rr: Int) {
        Parallel.forEachPart(work: n * d * rr) { part in
            let r = Parallel.range(of: part, count: n)
            exp_bn_backward(delta, xhat, k, sumDelta, sumDeltaXHat, nEff, out, Int32(r.lowerBound), Int32(r.upperBound),
                            Int32(d), Int32(rr))
        }
    }

    /// Runs `body` per part on its samples into a per-part buffer of d sums, then adds the parts
    /// in part order. With `extra`, a second set of d sums per part is added, in the same order,
    /// into extra[0..<d].
    static func partSums(n: Int, d: Int, work: Int, _ body: (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        var parts = [Double](repeating: 0, count: d * Parallel.partitions)
        parts.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            Parallel.forEachPart(work: work) { part in body(Parallel.range(of: part, count: n), base + part * d) }
        }
        return (0..<d).map { c in (1..<Parallel.partitions).reduce(parts[c]) { $0 + parts[$1 * d + c] } }
    }

    static func partSums(n: Int, d: Int, work: Int, extra: UnsafeMutableBufferPointer<Double>,
                         _ body: (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        var parts = [Double](repeating: 0, count: 2 * d * Parallel.partitions)
        parts.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            Parallel.forEachPart(work: work) { part in
                body(Parallel.range(of: part, count: n), base + part * 2 * d, base + part * 2 * d + d)
            }
        }
        for c in 0..<d {
            extra[c] = (1..<Parallel.partitions).reduce(parts[d + c]) { $0 + parts[$1 * 2 * d + d + c] }
        }
        return (0..<d).map { c in (1..<Parallel.partitions).reduce(parts[c]) { $0 + parts[$1 * 2 * d + c] } }
    }
}
