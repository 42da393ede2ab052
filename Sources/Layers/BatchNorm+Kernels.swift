// Batch normalisation on image data through CKernels (Tensor's ElementwiseKernels), Float only:
// the same Float64 statistics and formulas as BatchNorm.swift, with sums split into the fixed
// parts of `Parallel` (the Swift code stays the reference; BatchNormKernelTests compare).
//
// Source: Boué (arXiv:1811.11987) §9, eqs. (41)–(43); Ioffe & Szegedy (arXiv:1502.03167).

import Tensor

extension BatchNorm {
    /// Whether the Float kernels compute this layer: Float, image data (r·r ≥ 8) or vectors
    /// (n×f, r·r = 1: channels side by side), the switch on.
    @inlinable
    func usesKernels(n: Int, rr: Int) -> Bool {
        Scalar.self == Float.self && ElementwiseKernels.isEnabled && (rr >= 8 || rr == 1) && n > 0
    }

    /// Forward with the kernels; see `forward(_:mode:)`.
    @usableFromInline
    mutating func kernelForward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        let n = aPrev.shape[0], d = featureCount, rr = aPrev.shape.dropFirst(2).reduce(1, *), nEff = n * rr
        let mean: [Double], variance: [Double]
        var batchMean: [Double] = [], batchVariance: [Double] = []
        switch mode {
        case .training:
            guard nEff >= 2 else { throw LayerError.singleValuePerFeature(layer: label, shape: aPrev.shape) }
            let moments = aPrev.withUnsafeBufferPointer { x in
                ElementwiseKernels.channelMoments(Float.pointer(x), n: n, d: d, rr: rr)
            }
            batchMean = moments.mean
            batchVariance = moments.m2.map { $0 / Double(nEff) }
            (mean, variance) = (batchMean, batchVariance)
            updateRunningStatistics(mean: batchMean, unbiasedVariance: moments.m2.map { $0 / Double(nEff - 1) })
        case .inference:
            mean = buffers[0].scalars.map { Double($0) }
            variance = buffers[1].scalars.map { Double($0) }
        }
        let invStd = inverseStandardDeviation(variance)
        let w = parameters[0].scalars.map { Double($0) }, b = parameters[1].scalars.map { Double($0) }
        var xHat = Tensor<Scalar>(shape: aPrev.shape) { _ in }
        let a = aPrev.withUnsafeBufferPointer { x in
            xHat.withUnsafeMutableBufferPointer { xh in
                Tensor<Scalar>(shape: aPrev.shape) { y in
                    ElementwiseKernels.batchNormApply(Float.pointer(x), mean: mean, invStd: invStd, w: w, b: b,
                                                      xhat: Float.mutablePointer(xh), y: Float.mutablePointer(y), n: n, d: d, rr: rr)
                }
            }
        }
        return (a, Cache(mode: mode, xHat: xHat, invStd: invStd, nEff: nEff, batchMean: batchMean, batchVariance: batchVariance))
    }

    /// Training-mode backward with the kernels; see `backward(_:cache:gradients:needsDeltaPrev:)`.
    @usableFromInline
    func kernelBackward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                        needsDeltaPrev: Bool) -> Tensor<Scalar> {
        let n = delta.shape[0], d = featureCount, rr = delta.shape.dropFirst(2).reduce(1, *)
        let sums = delta.withUnsafeBufferPointer { dl in
            cache.xHat.withUnsafeBufferPointer { xh in
                ElementwiseKernels.channelDot(Float.pointer(dl), Float.pointer(xh), n: n, d: d, rr: rr)
            }
        }
        for c in 0..<d {
            gradients[0][c] += Scalar(sums.sumDeltaXHat[c])
            gradients[1][c] += Scalar(sums.sumDelta[c])
        }
        guard needsDeltaPrev else { return Tensor(shape: [0]) }
        let k = (0..<d).map { Double(parameters[0][$0]) * cache.invStd[$0] }
        return delta.withUnsafeBufferPointer { dl in
            cache.xHat.withUnsafeBufferPointer { xh in
                Tensor<Scalar>(shape: delta.shape) { out in
                    ElementwiseKernels.batchNormBackward(Float.pointer(dl), xhat: Float.pointer(xh), k: k,
                                                         sumDelta: sums.sumDelta, sumDeltaXHat: sums.sumDeltaXHat,
                                                         nEff: Double(cache.nEff), out: Float.mutablePointer(out), n: n, d: d, rr: rr)
                }
            }
        }
    }
}
