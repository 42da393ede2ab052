// The inference-only forward pass: logits without caches, with the ReLU / batch norm / max
// pooling runs after each convolution fused into one pass (Layers' PooledActivation), and ReLU →
// BN elsewhere (NormalizedActivation).
//
// Source: Boué (arXiv:1811.11987) §3 (the forward pass A_1 … A_L) and §2 (shortcuts add S(A_j)).
// Deviations: none in the values: `infer` returns the bits of `forward(_:mode: .inference)`'s
// output (InferenceFusionTests); a fused block never spans a shortcut's source or target.

import Layers
import Tensor

extension Network {
    /// A_L for A_0 in inference mode (BN with running or population statistics), keeping no
    /// caches, so no backward pass can follow; the same bits as
    /// `forward(input, mode: .inference).output`. Layers ReLU → BN → maxpool 2×2, BN → ReLU →
    /// maxpool and ReLU → maxpool (`PooledActivation`), and ReLU → BN or BN → ReLU otherwise
    /// (`NormalizedActivation`), run as one pass when the data A_i inside the run feeds no
    /// shortcut and receives none; everything else runs layer by layer.
    ///
    /// - Parameter input: A_0, n×d×r×r.
    /// - Returns: the logits A_L, n×m.
    /// - Throws: `LayerError` for inputs the layers do not take.
    @_specialize(where Scalar == Float)
    public func infer(_ input: Tensor<Scalar>) throws -> Tensor<Scalar> {
        var a = input
        var saved: [Int: Tensor<Scalar>] = [:]
        let sources = Set(shortcuts.values.map(\.source))
        var i = 1   // the next layer: A_{i−1} → A_i
        while i <= layers.count {
            if sources.contains(i - 1) { saved[i - 1] = a }
            if let block = fusedBlock(at: i, sources: sources), let out = block.forward(a) {
                a = out
                i += block.layerCount
                continue
            }
            var layer = layers[i - 1]
            a = try layer.forwardErased(a, mode: .inference).0
            if let shortcut = shortcuts[i] {
                var bypass = saved[shortcut.source]!
                if let p = shortcut.projection {
                    var projection = projections[p]
                    bypass = try projection.forwardErased(bypass, mode: .inference).0
                }
                a += bypass
            }
            i += 1
        }
        return a
    }

    /// The fused block starting at layer i (A_{i−1} → A_{i+k−1}), when none of A_i … A_{i+k−2}
    /// is a shortcut's source and no shortcut ends at layers i … i+k−1. A pooled block (3 or 2
    /// layers) is preferred to ReLU → BN alone.
    func fusedBlock(at i: Int, sources: Set<Int>) -> InferenceBlock<Scalar>? {
        let rest = layers[(i - 1)...]
        guard let block = PooledActivation(rest).map(InferenceBlock.pooled)
                ?? NormalizedActivation(rest).map(InferenceBlock.normalized) else { return nil }
        let inside = i..<(i + block.layerCount)
        guard !inside.contains(where: { shortcuts[$0] != nil }),
              !inside.dropLast().contains(where: { sources.contains($0) }) else { return nil }
        return block
    }

    /// The number of fused blocks `infer` runs (diagnostics and tests).
    public var fusedInferenceBlockCount: Int {
        let sources = Set(shortcuts.values.map(\.source))
        var count = 0, i = 1
        while i <= layers.count {
            if let block = fusedBlock(at: i, sources: sources) { count += 1; i += block.layerCount } else { i += 1 }
        }
        return count
    }
}

/// A run of layers `Network.infer` computes in one pass.
enum InferenceBlock<Scalar: TensorScalar> {
    /// ReLU / BN / 2×2 max pooling (CKernels pool_inference.c).
    case pooled(PooledActivation<Scalar>)
    /// ReLU → BN or BN → ReLU (CKernels bn_inference.c).
    case normalized(NormalizedActivation<Scalar>)

    /// The number of layers replaced.
    var layerCount: Int {
        switch self {
        case let .pooled(b): return b.layerCount
        case let .normalized(b): return b.layerCount
        }
    }

    /// The block's output, or nil when the input does not suit it (the layers then run).
    func forward(_ aPrev: Tensor<Scalar>) -> Tensor<Scalar>? {
        switch self {
        case let .pooled(b): return b.forward(aPrev)
        case let .normalized(b): return b.forward(aPrev)
        }
    }
}

