// Inference only: [ReLU, batch norm] or [batch norm, ReLU] not followed by a 2×2 max pooling
// (the fully connected layers' ReLU → BN, the residual blocks' conv → ReLU → BN) as one pass
// without x̂ (Tensor's `ElementwiseKernels.reluBatchNormInference`, CKernels bn_inference.c),
// with the bits of the two layers run one after the other in `.inference` mode.
//
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987): ReLU and batch-norm (§9)
// layers; BN in inference with the running statistics (Ioffe & Szegedy, arXiv:1502.03167, §3.1).
// Deviations: none in the values. No cache: nothing here supports a backward pass.

import Tensor

/// ReLU → BN or BN → ReLU, fused for inference (Float, `ElementwiseKernels.isEnabled`).
public struct NormalizedActivation<Scalar: TensorScalar>: Sendable {
    /// The number of layers this block replaces: 2.
    public var layerCount: Int { 2 }
    let reluFirst: Bool
    let batchNorm: BatchNorm<Scalar>

    /// The block at the start of `layers` (ReLU then BN, or BN then ReLU), or nil.
    public init?(_ layers: ArraySlice<any Layer<Scalar>>) {
        guard Scalar.self == Float.self, ElementwiseKernels.isEnabled, layers.count >= 2 else { return nil }
        let first = layers[layers.startIndex], second = layers[layers.startIndex + 1]
        func isReLU(_ layer: any Layer<Scalar>) -> Bool {
            guard let activation = layer as? Activation<Scalar>, case .relu = activation.kind else { return false }
            return true
        }
        if isReLU(first), let bn = second as? BatchNorm<Scalar> {
            (reluFirst, batchNorm) = (true, bn)
        } else if let bn = first as? BatchNorm<Scalar>, isReLU(second) {
            (reluFirst, batchNorm) = (false, bn)
        } else {
            return nil
        }
    }

    /// A_{i+1} from A_{i−1} (n×d or n×d×r×r, shape unchanged) in inference mode, or nil when the
    /// input does not suit (rank < 2, axis 1 ≠ d, no elements); the caller then runs the layers.
    public func forward(_ aPrev: Tensor<Scalar>) -> Tensor<Scalar>? {
        let s = aPrev.shape
        guard s.count >= 2, s[1] == batchNorm.featureCount, aPrev.count > 0, ElementwiseKernels.isEnabled else { return nil }
        let affine = batchNorm.inferenceAffine(), rr = s.dropFirst(2).reduce(1, *)
        return aPrev.withUnsafeBufferPointer { x in
            Tensor<Scalar>(shape: s) { y in   // the kernel writes every cell
                ElementwiseKernels.reluBatchNormInference(Float.pointer(x), Float.mutablePointer(y), reluFirst: reluFirst,
                                                          affine: affine, n: s[0], d: s[1], rr: rr)
            }
        }
    }
}
