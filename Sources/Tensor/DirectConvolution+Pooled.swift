// Inference only: the direct convolution followed by the fused ReLU / batch norm / 2×2 max
// pooling (CKernels conv.c, then pool_inference.c), a few samples at a time inside one parallel
// part, so that the convolution's output stays in the core's cache and is never written whole.
//
// Implementation goals, in order of priority:
// 1. The bits of `DirectConvolution.forward` followed by `ElementwiseKernels.pooledActivation`:
//    both compute every sample on its own, so running them sample block by sample block
//    changes nothing.
// 2. Fast: one hand-off to the helper thread instead of two, and a block's convolution output
//    (about 128 KB) read back from L2 instead of memory.
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987), convolution, ReLU,
// batch-norm and max-pooling layers.

import CKernels

extension DirectConvolution {
    /// Floats of one block's convolution output (about 128 KB).
    static let pooledBlockFloats = 32_768

    /// out = maxpool₂ₓ₂(g(w ⋆ in + b)), g per `order` (see `ElementwiseKernels.pooledActivation`),
    /// with the bits of `forward` then `pooledActivation`.
    ///
    /// - Parameters:
    ///   - input: n×C×H×W; weights: O×C×K×K; bias: O.
    ///   - output: n×O×(H′/2)×(W′/2), H′ = H−K+1, W′ = W−K+1 (both even), every cell written.
    ///   - affine: O channels' BN constants; nil for `.relu`.
    /// - Precondition: `applies(width:kernel:stride: 1, padding: 0)`; H′, W′ even; `affine` as
    ///   `pooledActivation` requires.
    public static func forwardPooled(input: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                     output: UnsafeMutablePointer<Float>, order: ElementwiseKernels.PooledActivationOrder,
                                     affine: ElementwiseKernels.ChannelAffine?,
                                     n: Int, channels: Int, height: Int, width: Int, outputChannels: Int, kernel: Int) {
        let oh = height - kernel + 1, ow = width - kernel + 1
        precondition(oh > 0 && oh % 2 == 0 && ow % 2 == 0, "forwardPooled: convolution output \(oh)×\(ow) is not even")
        precondition((order == .relu) == (affine == nil) && (affine.map { $0.mean.count == outputChannels } ?? true),
                     "forwardPooled \(order): \(affine?.mean.count ?? 0) channel constants for \(outputChannels) channels")
        let sample = outputChannels * oh * ow, pooled = sample / 4, inSample = channels * height * width
        let block = max(1, pooledBlockFloats / sample)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * sample * Parallel.partitions)
        defer { scratch.deallocate() }
        let mean = affine?.mean ?? [], inv = affine?.invStd ?? [], w = affine?.w ?? [], b = affine?.b ?? []
        mean.withUnsafeBufferPointer { mean in
            inv.withUnsafeBufferPointer { inv in
                w.withUnsafeBufferPointer { w in
                    b.withUnsafeBufferPointer { b in
                        Parallel.forEachPart { part in
                            let r = Parallel.range(of: part, count: n), conv = scratch + part * block * sample
                            for s0 in stride(from: r.lowerBound, to: r.upperBound, by: block) {
                                let count = Int32(min(block, r.upperBound - s0))
                                exp_conv_forward(input + s0 * inSample, weights, bias, conv, 0, count, Int32(channels),
                                                 Int32(height), Int32(width), Int32(outputChannels), Int32(kernel))
                                exp_pool2_activation_inference(conv, output + s0 * pooled, mean.baseAddress, inv.baseAddress,
                                                               w.baseAddress, b.baseAddress, order.rawValue, 0, Int(count),
                                                               Int32(outputChannels), Int32(oh), Int32(ow))
                            }
                        }
                    }
                }
            }
        }
    }
}
