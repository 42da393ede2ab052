// The inference-only forward pass: logits without caches, with the ReLU / batch norm / max
// pooling runs after each convolution fused into one pass with it (Layers' PooledActivation),
// and ReLU → BN elsewhere (NormalizedActivation).
//
// Source: Boué (arXiv:1811.11987) §3 (the forward pass A_1 … A_L) and §2 (shortcuts add S(A_j)).
// Deviations: none in the values: `infer` returns the bits of `forward(_:mode: .inference)`'s
// output while the BN parameters and statistics are finite (NaN inputs or weights included);
// with NaN or ±∞ among them (a diverged network), the same numbers and NaN at the same logits,
// but a NaN logit's sign bit may differ (InferenceFusionTests); a fused block never spans a
// shortcut's source or target.

import Layers
import Tensor

extension Network {
    /// A_L for A_0 in inference mode (BN with running or population statistics), keeping no
    /// caches, so no backward pass can follow; the same bits as
    /// `forward(input, mode: .inference).output` while the BN parameters and statistics are
    /// finite, and otherwise the same numbers and NaN at the same places (the sign of a NaN
    /// may differ). The steps are `inferencePlan`'s: layers ReLU →
    /// BN → maxpool 2×2, BN → ReLU → maxpool and ReLU → maxpool (`PooledActivation`), with the
    /// direct-kernel convolution before them (a few samples at a time, its output kept in
    /// cache), and ReLU → BN or BN → ReLU elsewhere (`NormalizedActivation`) run as one pass;
    /// a fused step whose kernel does not take this input runs its layers one by one.
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
        func runLayers(_ count: Int) throws {   // shortcuts only end at single-layer steps
            for _ in 0..<count {
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
        }
        func runBlock(_ block: InferenceBlock<Scalar>) throws {
            if let out = block.forward(a) { a = out; i += block.layerCount } else { try runLayers(block.layerCount) }
        }
        for step in inferenceSteps() {
            if sources.contains(i - 1) { saved[i - 1] = a }
            switch step {
            case .layer:
                try runLayers(1)
            case let .block(block):
                try runBlock(block)
            case let .convolved(conv, block):
                if let out = block.forward(after: conv, a) {
                    a = out
                    i += step.layerCount
                } else {   // e.g. a padded convolution: the convolution alone, then the block
                    try runLayers(1)
                    try runBlock(.pooled(block))
                }
            }
        }
        return a
    }

    /// The steps of `infer`, by the number of layers each runs, e.g. lenet5 (bn after):
    /// [4, 4, 1, 1, 2, 1, 2, 1] (conv + ReLU → BN → pool twice, flatten, fc, ReLU → BN, …).
    public var inferencePlan: [Int] { inferenceSteps().map(\.layerCount) }

    /// Greedy from the input: a direct-kernel convolution followed by a pooled block, else a
    /// fused block, else one layer. A run never contains a shortcut's source A_j except as its
    /// input or output, nor a layer a shortcut ends at.
    func inferenceSteps() -> [InferenceStep<Scalar>] {
        let sources = Set(shortcuts.values.map(\.source))
        var steps: [InferenceStep<Scalar>] = []
        var i = 1
        while i <= layers.count {
            if let conv = layers[i - 1] as? Convolution<Scalar>, shortcuts[i] == nil, !sources.contains(i),
               case let .pooled(block)? = fusedBlock(at: i + 1, sources: sources) {
                steps.append(.convolved(conv, block))
            } else if let block = fusedBlock(at: i, sources: sources) {
                steps.append(.block(block))
            } else {
                steps.append(.layer)
            }
            i += steps.last!.layerCount
        }
        return steps
    }

    /// The fused block starting at layer i (A_{i−1} → A_{i+k−1}), when none of A_i … A_{i+k−2}
    /// is a shortcut's source and no shortcut ends at layers i … i+k−1. A pooled block (3 or 2
    /// layers) is preferred to ReLU → BN alone.
    func fusedBlock(at i: Int, sources: Set<Int>) -> InferenceBlock<Scalar>? {
        guard i <= layers.count else { return nil }
        let rest = layers[(i - 1)...]
        guard let block = PooledActivation(rest).map(InferenceBlock.pooled)
                ?? NormalizedActivation(rest).map(InferenceBlock.normalized) else { return nil }
        let inside = i..<(i + block.layerCount)
        guard !inside.contains(where: { shortcuts[$0] != nil }),
              !inside.dropLast().contains(where: { sources.contains($0) }) else { return nil }
        return block
    }
}

/// One step of `Network.infer`.
enum InferenceStep<Scalar: TensorScalar> {
    /// One layer, by its `forward`.
    case layer
    /// A fused block.
    case block(InferenceBlock<Scalar>)
    /// A convolution and the pooled block after it, in sample blocks.
    case convolved(Convolution<Scalar>, PooledActivation<Scalar>)

    /// The number of layers the step runs.
    var layerCount: Int {
        switch self {
        case .layer: return 1
        case let .block(block): return block.layerCount
        case let .convolved(_, block): return 1 + block.layerCount
        }
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
