// Forward and backward propagation through the whole network.
//
// Source: Boué (arXiv:1811.11987) §3: the forward pass computes A_1 … A_L; the backward pass
// starts from Δ_L = ∂L/∂A_L and applies each layer's recursion Δ_{i−1} = f(Δ_i) down to Δ_1,
// collecting ∂L/∂P along the way. Shortcuts (§2): the bypassed error Δ_i (through S's backward
// for a projection) is added to Δ_j when the walk reaches A_j.

import Layers
import Tensor

/// What a forward pass leaves for the backward pass.
public struct ForwardTrace {
    /// caches[i − 1]: layer i's cache.
    var caches: [Any]
    /// Projection caches by shortcut layer index i.
    var projectionCaches: [Int: Any]
}

/// Parameter gradients ∂L/∂P, in `Network.parameterNames` order.
public struct NetworkGradients<Scalar: TensorScalar>: Sendable {
    /// perLayer[i − 1]: layer i's gradients, in its `parameters` order.
    var perLayer: [[Tensor<Scalar>]]
    var perProjection: [[Tensor<Scalar>]]
    let slots: [(owner: Network<Scalar>.Owner, index: Int)]

    /// Zero gradients shaped like the network's parameters.
    public init(zeroFor network: Network<Scalar>) {
        perLayer = network.layers.map { $0.zeroGradients() }
        perProjection = network.projections.map { $0.zeroGradients() }
        slots = network.parameterSlots
    }

    /// Sets every gradient to zero (once per step).
    public mutating func zero() {
        for i in perLayer.indices { for k in perLayer[i].indices { perLayer[i][k].zero() } }
        for i in perProjection.indices { for k in perProjection[i].indices { perProjection[i][k].zero() } }
    }

    /// The gradients in `parameterNames` order.
    public var tensors: [Tensor<Scalar>] {
        slots.map { slot in
            switch slot.owner {
            case let .layer(i): return perLayer[i][slot.index]
            case let .projection(p): return perProjection[p][slot.index]
            }
        }
    }
}

extension Network {
    /// The forward pass A_0 → A_L.
    ///
    /// - Parameters:
    ///   - input: A_0, n×d×r×r.
    ///   - mode: training (batch statistics, running statistics updated) or inference.
    ///   - keepActivations: return every A_i (for activation maps and diagnostics).
    /// - Returns: the logits A_L (n×m), the trace for `backward`, and A_0…A_L when asked.
    /// - Throws: `LayerError` (e.g. batch norm in training with one value per feature).
    @_specialize(where Scalar == Float)
    public mutating func forward(_ input: Tensor<Scalar>, mode: ForwardMode, keepActivations: Bool = false)
        throws -> (output: Tensor<Scalar>, trace: ForwardTrace, activations: [Tensor<Scalar>])
    {
        var a = input
        var caches: [Any] = []
        caches.reserveCapacity(layers.count)
        var projectionCaches: [Int: Any] = [:]
        var saved: [Int: Tensor<Scalar>] = [:]
        let sources = Set(shortcuts.values.map(\.source))
        var activations: [Tensor<Scalar>] = keepActivations ? [input] : []
        for i in 1...layers.count {
            if sources.contains(i - 1) { saved[i - 1] = a }
            let (out, cache) = try layers[i - 1].forwardErased(a, mode: mode)
            a = out
            caches.append(cache)
            if let shortcut = shortcuts[i] {
                var bypass = saved[shortcut.source]!
                if let p = shortcut.projection {
                    let (projected, pc) = try projections[p].forwardErased(bypass, mode: mode)
                    bypass = projected
                    projectionCaches[i] = pc
                }
                a += bypass
            }
            if keepActivations { activations.append(a) }
        }
        return (a, ForwardTrace(caches: caches, projectionCaches: projectionCaches), activations)
    }

    /// The backward pass Δ_L → Δ_1, accumulating ∂L/∂P into `gradients`.
    ///
    /// - Parameters:
    ///   - delta: Δ_L = ∂L/∂A_L, n×m (from `SoftmaxCrossEntropy`).
    ///   - trace: the trace of the forward pass that produced A_L.
    ///   - gradients: accumulators; the caller zeroes them once per step.
    ///   - needsInputDelta: also compute Δ_0 = ∂L/∂A_0 (for gradient checks on the input).
    /// - Returns: Δ_0 when asked, else an empty tensor.
    @discardableResult
    @_specialize(where Scalar == Float)
    public func backward(_ delta: Tensor<Scalar>, trace: ForwardTrace, gradients: inout NetworkGradients<Scalar>,
                         needsInputDelta: Bool = false) -> Tensor<Scalar> {
        var delta = delta
        var pending: [Int: Tensor<Scalar>] = [:]
        for i in stride(from: layers.count, through: 1, by: -1) {
            if let shortcut = shortcuts[i] {
                var bypassed = delta
                if let p = shortcut.projection {
                    var g = gradients.perProjection[p]
                    gradients.perProjection[p] = []
                    bypassed = projections[p].backwardErased(delta, cache: trace.projectionCaches[i]!, gradients: &g,
                                                             needsDeltaPrev: true)
                    gradients.perProjection[p] = g
                }
                if pending[shortcut.source] == nil { pending[shortcut.source] = bypassed }
                else { pending[shortcut.source]! += bypassed }
            }
            let needed = i > 1 || needsInputDelta
            var g = gradients.perLayer[i - 1]
            gradients.perLayer[i - 1] = []
            delta = layers[i - 1].backwardErased(delta, cache: trace.caches[i - 1], gradients: &g, needsDeltaPrev: needed)
            gradients.perLayer[i - 1] = g
            if needed, let extra = pending.removeValue(forKey: i - 1) { delta += extra }
        }
        return needsInputDelta ? delta : Tensor(shape: [0])
    }

    /// One training evaluation: forward in training mode, softmax cross-entropy, backward.
    ///
    /// - Parameters:
    ///   - images: A_0, n×d×r×r.
    ///   - labels: n class indices in 0..<m.
    ///   - reduction: mean (Δ_L scaled by 1/n) or sum (the paper's).
    ///   - gradients: accumulators (zeroed here first).
    /// - Returns: the loss (nats, Double), the number of correct predictions, and the logits.
    /// - Throws: `LayerError` from the forward pass.
    @_specialize(where Scalar == Float)
    public mutating func lossAndGradients(
        images: Tensor<Scalar>, labels: [Int], reduction: LossReduction = .mean,
        gradients: inout NetworkGradients<Scalar>
    ) throws -> (loss: Double, correct: Int, logits: Tensor<Scalar>) {
        let (logits, trace, _) = try forward(images, mode: .training)
        let (score, delta) = SoftmaxCrossEntropy<Scalar>.evaluate(logits: logits, labels: labels, reduction: reduction)
        gradients.zero()
        backward(delta, trace: trace, gradients: &gradients)
        return (score.loss, score.correct, logits)
    }
}
