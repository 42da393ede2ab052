// Swift entry points of CKernels' inference-only fused kernels: 2×2 stride-2 max pooling with the
// ReLU and batch-norm layers before it in one pass (pool_inference.c), and ReLU with batch norm
// (bn_inference.c), over `Parallel`'s fixed parts (samples split between the parts; every output
// written by one part).
//
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987), ReLU, batch-norm and
// max-pooling layers; inference BN with running statistics (Ioffe & Szegedy, arXiv:1502.03167 §3.1).

import CKernels

extension ElementwiseKernels {
    /// The layers before a 2×2 max pooling that `pooledActivation` applies with it.
    public enum PooledActivationOrder: Int32, Sendable {
        /// conv → ReLU → pool.
        case relu = 0
        /// conv → ReLU → BN → pool (BN "after", the paper's Table 1).
        case reluThenNorm = 1
        /// conv → BN → ReLU → pool (BN "before").
        case normThenReLU = 2
    }

    /// Batch-norm constants per channel in Float64, as `batchNormApply` takes them:
    /// BN(u) = Float(w·((Double(u) − mean)·invStd) + b).
    public struct ChannelAffine: Sendable {
        public var mean: [Double], invStd: [Double], w: [Double], b: [Double]

        /// d channels' constants. - Precondition: the four arrays have equal lengths.
        public init(mean: [Double], invStd: [Double], w: [Double], b: [Double]) {
            precondition(Set([mean.count, invStd.count, w.count, b.count]).count == 1,
                         "channel constants of lengths \(mean.count), \(invStd.count), \(w.count), \(b.count)")
            (self.mean, self.invStd, self.w, self.b) = (mean, invStd, w, b)
        }
    }

    /// Inference only: out = maxpool₂ₓ₂(g(x)) with g = ReLU, BN∘ReLU or ReLU∘BN per `order`, in
    /// one pass, with the same bits as ReLU, `batchNormApply` and `maxPool2Forward` run one after
    /// the other (pool_inference.c gives the argument: g is monotone per channel, so the window's
    /// first maximum or minimum of x is pooled first and g applied to a quarter of the values;
    /// zero results and channels with w = 0 or non-finite constants are evaluated cell by cell).
    ///
    /// - Parameters:
    ///   - x: n×d×h×w (h, w even).
    ///   - out: n×d×(h/2)×(w/2), every cell written.
    ///   - affine: d channels' BN constants; nil for `.relu`.
    /// - Precondition: `affine` is given (with d channels) exactly when `order` has a BN.
    public static func pooledActivation(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                        order: PooledActivationOrder, affine: ChannelAffine?,
                                        samples n: Int, channels d: Int, height: Int, width: Int) {
        precondition((order == .relu) == (affine == nil) && (affine.map { $0.mean.count == d } ?? true),
                     "pooledActivation \(order): \(affine?.mean.count ?? 0) channel constants for d = \(d)")
        func run(_ mean: UnsafePointer<Double>?, _ inv: UnsafePointer<Double>?, _ w: UnsafePointer<Double>?,
                 _ b: UnsafePointer<Double>?) {
            Parallel.forEachPart(work: n * d * height * width) { part in
                let r = Parallel.range(of: part, count: n)
                exp_pool2_activation_inference(x, out, mean, inv, w, b, order.rawValue, r.lowerBound, r.upperBound,
                                               Int32(d), Int32(height), Int32(width))
            }
        }
        guard let a = affine else { return run(nil, nil, nil, nil) }
        a.mean.withUnsafeBufferPointer { mean in
            a.invStd.withUnsafeBufferPointer { inv in
                a.w.withUnsafeBufferPointer { w in
                    a.b.withUnsafeBufferPointer { b in run(mean.baseAddress, inv.baseAddress, w.baseAddress, b.baseAddress) }
                }
            }
        }
    }

    /// Inference only: y = BN(ReLU(x)) (`reluFirst`) or ReLU(BN(x)) in one pass, without x̂: the
    /// bits of `reluForward` and `batchNormApply` one after the other (the same operations per
    /// value; CKernels bn_inference.c).
    ///
    /// - Parameters:
    ///   - x, y: n×d×rr (rr = 1: n×d vectors, channels side by side); y fully written.
    ///   - affine: the d channels' BN constants.
    /// - Precondition: `affine` has d channels.
    public static func reluBatchNormInference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, reluFirst: Bool,
                                              affine: ChannelAffine, n: Int, d: Int, rr: Int) {
        precondition(affine.mean.count == d, "reluBatchNormInference: \(affine.mean.count) channel constants for d = \(d)")
        affine.mean.withUnsafeBufferPointer { mean in
            affine.invStd.withUnsafeBufferPointer { inv in
                affine.w.withUnsafeBufferPointer { w in
                    affine.b.withUnsafeBufferPointer { b in
                        Parallel.forEachPart(work: n * d * rr) { part in
                            let r = Parallel.range(of: part, count: n)
                            exp_relu_bn_inference(x, y, mean.baseAddress, inv.baseAddress, w.baseAddress, b.baseAddress,
                                                  reluFirst ? 1 : 2, Int32(r.lowerBound), Int32(r.upperBound), Int32(d), Int32(rr))
                        }
                    }
                }
            }
        }
    }
}

