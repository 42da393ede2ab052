// Inference only: [ReLU, batch norm, 2×2 max pooling], [batch norm, ReLU, pooling] or
// [ReLU, pooling] as one pass over the convolution's output (Tensor's
// `ElementwiseKernels.pooledActivation`, CKernels pool_inference.c), with the bits of the
// layers run one after the other in `.inference` mode while the BN parameters and statistics
// are finite (NaN inputs included); with NaN or ±∞ among them, the same numbers and NaN in the
// same places, but not necessarily the same NaN sign (docs/PERFORMANCE.md).
//
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987): ReLU, batch-norm (§9)
// and max-pooling layers; BN in inference is a per-channel affine map with the running
// statistics (Ioffe & Szegedy, arXiv:1502.03167, §3.1).
// Deviations: none in the values (a NaN's sign aside, with non-finite BN parameters). No
// cache: nothing here supports a backward pass.

import Tensor

/// Up to three consecutive layers ending in a 2×2 stride-2 max pooling, fused for inference.
///
/// Matches, at the start of a layer list: ReLU → BN → maxpool (k2 s2 p0), BN → ReLU → maxpool,
/// or ReLU → maxpool. Float only, with `ElementwiseKernels.isEnabled`; anything else is left to
/// the layers.
public struct PooledActivation<Scalar: TensorScalar>: Sendable {
    /// The number of layers this block replaces (2 or 3).
    public let layerCount: Int
    let order: ElementwiseKernels.PooledActivationOrder
    let batchNorm: BatchNorm<Scalar>?

    /// The fused block at the start of `layers`, or nil when they do not form one (another
    /// activation, pooling other than k2 s2 p0, Double, kernels switched off).
    public init?(_ layers: ArraySlice<any Layer<Scalar>>) {
        guard Scalar.self == Float.self, ElementwiseKernels.isEnabled, layers.count >= 2 else { return nil }
        let list = Array(layers.prefix(3))
        func isReLU(_ layer: any Layer<Scalar>) -> Bool {
            guard let activation = layer as? Activation<Scalar>, case .relu = activation.kind else { return false }
            return true
        }
        func isPool(_ layer: any Layer<Scalar>) -> Bool {
            guard let pool = layer as? MaxPool<Scalar> else { return false }
            return pool.kernelSize == 2 && pool.stride == 2 && pool.padding == 0
        }
        if isReLU(list[0]), isPool(list[1]) {
            (layerCount, order, batchNorm) = (2, .relu, nil)
        } else if list.count == 3, isPool(list[2]) {
            if isReLU(list[0]), let bn = list[1] as? BatchNorm<Scalar> {
                (layerCount, order, batchNorm) = (3, .reluThenNorm, bn)
            } else if let bn = list[0] as? BatchNorm<Scalar>, isReLU(list[1]) {
                (layerCount, order, batchNorm) = (3, .normThenReLU, bn)
            } else {
                return nil
            }
        } else {
            return nil
        }
    }

    /// A_{i+layerCount−1} from A_{i−1} (n×d×h×w → n×d×(h/2)×(w/2)) in inference mode, or nil when
    /// this input does not suit the kernel (not rank 4, h or w odd, no elements, d ≠ the batch
    /// norm's channels); the caller then runs the layers, which report shape errors.
    public func forward(_ aPrev: Tensor<Scalar>) -> Tensor<Scalar>? {
        let s = aPrev.shape
        guard s.count == 4, s[2] % 2 == 0, s[3] % 2 == 0, aPrev.count > 0, ElementwiseKernels.isEnabled,
              batchNorm.map({ $0.featureCount == s[1] }) ?? true else { return nil }
        let affine = batchNorm?.inferenceAffine()
        return aPrev.withUnsafeBufferPointer { x in
            Tensor<Scalar>(shape: [s[0], s[1], s[2] / 2, s[3] / 2]) { out in   // the kernel writes every cell
                ElementwiseKernels.pooledActivation(Float.pointer(x), Float.mutablePointer(out), order: order, affine: affine,
                                                    samples: s[0], channels: s[1], height: s[2], width: s[3])
            }
        }
    }
}

extension PooledActivation {
    /// The block applied to `convolution`'s output of `aPrev` without materialising it (Tensor's
    /// `DirectConvolution.forwardPooled`: sample blocks kept in cache): the bits of the
    /// convolution's `forward` followed by `forward(_:)` (NaN signs with non-finite BN
    /// parameters aside, as for `forward(_:)`). Nil when the direct kernels do not
    /// compute this convolution, or its output does not suit the block (see `forward(_:)`);
    /// the caller then runs the layers.
    public func forward(after convolution: Convolution<Scalar>, _ aPrev: Tensor<Scalar>) -> Tensor<Scalar>? {
        guard let g = try? convolution.geometry(for: aPrev.shape), convolution.usesDirectKernels(g),
              ElementwiseKernels.isEnabled else { return nil }
        let n = aPrev.shape[0], d = convolution.outputChannels, oh = g.outputHeight, ow = g.outputWidth
        guard n > 0, oh % 2 == 0, ow % 2 == 0, batchNorm.map({ $0.featureCount == d }) ?? true else { return nil }
        let affine = batchNorm?.inferenceAffine()
        return aPrev.withUnsafeBufferPointer { x in
            convolution.parameters[0].withUnsafeBufferPointer { w in
                convolution.parameters[1].withUnsafeBufferPointer { b in
                    Tensor<Scalar>(shape: [n, d, oh / 2, ow / 2]) { out in   // every cell written
                        DirectConvolution.forwardPooled(input: Float.pointer(x), weights: Float.pointer(w), bias: Float.pointer(b),
                                                        output: Float.mutablePointer(out), order: order, affine: affine,
                                                        n: n, channels: convolution.inputChannels, height: g.height,
                                                        width: g.width, outputChannels: d, kernel: convolution.kernelSize)
                    }
                }
            }
        }
    }
}

extension BatchNorm {
    /// The inference-mode constants per channel, as `forward(_:mode: .inference)` uses them:
    /// mean = running_mean, invStd = 1/√(running_var + ε), w, b, all in Double.
    public func inferenceAffine() -> ElementwiseKernels.ChannelAffine {
        ElementwiseKernels.ChannelAffine(mean: buffers[0].scalars.map { Double($0) },
                                         invStd: inverseStandardDeviation(buffers[1].scalars.map { Double($0) }),
                                         w: parameters[0].scalars.map { Double($0) },
                                         b: parameters[1].scalars.map { Double($0) })
    }
}
