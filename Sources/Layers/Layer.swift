// The layer protocol: forward with an explicit cache, backward that returns the downstream
// error Δ_{i−1} and accumulates parameter gradients.
//
// Source: L. Boué, "Deep learning for pedestrians: backpropagation in CNNs" (arXiv:1811.11987),
// §3 (the recursion Δ_{i−1} from Δ_i) and §4–§9 (the layers).

import Tensor

/// Whether a forward pass trains (batch statistics, caches for backward) or infers.
public enum ForwardMode: Sendable, Equatable {
    /// Training: batch norm uses minibatch statistics and updates its running statistics.
    case training
    /// Inference: batch norm uses its running (or population) statistics.
    case inference
}

/// The kinds of layers, with the names used by `exp model summary` and weights.h5 (SPEC.md).
public enum LayerType: String, Sendable, Codable, CaseIterable {
    case input, conv, relu, leaky_relu, tanh, sigmoid, batch_norm, maxpool, flatten, fc, shortcut
    case softmax_cross_entropy
}

/// Errors a layer reports for inputs the user can cause (through a configuration).
public enum LayerError: Error, Equatable, CustomStringConvertible {
    /// The input shape does not fit the layer (e.g. a 5×5 kernel on a 3×3 image).
    case shapeMismatch(layer: String, expected: String, actual: [Int])
    /// Batch normalisation in training mode with one value per feature (n_eff = 1): the
    /// minibatch variance would be 0 and the normalised output meaningless.
    case singleValuePerFeature(layer: String, shape: [Int])

    public var description: String {
        switch self {
        case let .shapeMismatch(layer, expected, actual):
            return "\(layer): expected input of shape \(expected), got \(actual)"
        case let .singleValuePerFeature(layer, shape):
            return "\(layer): batch normalisation in training sees a single value per feature "
                + "for input \(shape); use a minibatch of at least 2 (training.batch_size) "
                + "or drop the last partial batch (training.drop_last)"
        }
    }
}

/// One layer of the network: A_i = layer(A_{i−1}).
///
/// A layer is a value holding its trainable parameters (`parameters`, e.g. [w, b]) and
/// non-trainable buffers (batch norm's running statistics). `forward` returns the output and
/// a `Cache` holding exactly what `backward` needs; `backward` returns Δ_{i−1} and adds the
/// parameter gradients ∂L/∂P into `gradients` (same order and shapes as `parameters`).
/// The trainer zeroes the gradients once per step.
public protocol Layer<Scalar>: Sendable {
    associatedtype Scalar: TensorScalar
    /// What `backward` needs from `forward`.
    associatedtype Cache

    /// The kind of layer (SPEC.md's `type`).
    var type: LayerType { get }
    /// Trainable parameters in a stable order, e.g. [w, b].
    var parameters: [Tensor<Scalar>] { get set }
    /// Their names, same order: "w", "b".
    var parameterNames: [String] { get }
    /// Non-trainable state saved with the weights (batch norm: running_mean, running_var).
    var buffers: [Tensor<Scalar>] { get set }
    /// Their names, same order.
    var bufferNames: [String] { get }

    /// Mutates parameter `index` in place (SGD), without copying the other parameters.
    /// Layers with stored parameters implement it as `body(&parameters[index])`; the default
    /// goes through the `parameters` getter and setter.
    mutating func updateParameter(_ index: Int, _ body: (inout Tensor<Scalar>) -> Void)

    /// The shape of A_i for an input A_{i−1} of shape `inputShape` (n first).
    /// - Throws: `LayerError.shapeMismatch` when the input does not fit.
    func outputShape(for inputShape: [Int]) throws -> [Int]

    /// A_i from A_{i−1}. Mutating because batch norm updates its running statistics in training.
    /// - Throws: `LayerError` for inputs the layer cannot process.
    mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache)

    /// Δ_{i−1} from Δ_i; adds ∂L/∂w, ∂L/∂b into `gradients`.
    ///
    /// - Parameters:
    ///   - delta: Δ_i, the shape of A_i.
    ///   - cache: what `forward` returned with A_i.
    ///   - gradients: accumulators, one per parameter, same shapes as `parameters`.
    ///   - needsDeltaPrev: false for the first layer, which may skip computing Δ_{i−1}.
    /// - Returns: Δ_{i−1}, the shape of A_{i−1} (an empty tensor when not needed).
    func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                  needsDeltaPrev: Bool) -> Tensor<Scalar>
}

extension Layer {
    public var buffers: [Tensor<Scalar>] {
        get { [] }
        set { precondition(newValue.isEmpty, "\(type) has no buffers") }
    }
    public var bufferNames: [String] { [] }

    public mutating func updateParameter(_ index: Int, _ body: (inout Tensor<Scalar>) -> Void) {
        var all = parameters
        body(&all[index])
        parameters = all
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Zero tensors shaped like the parameters, for gradient accumulation.
    public func zeroGradients() -> [Tensor<Scalar>] { parameters.map { Tensor(shape: $0.shape) } }

    /// `forward` with the cache type erased, for heterogeneous networks.
    public mutating func forwardErased(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Any) {
        let (a, cache) = try forward(aPrev, mode: mode)
        return (a, cache)
    }

    /// `backward` with the cache type erased. - Precondition: `cache` came from `forwardErased`.
    public func backwardErased(_ delta: Tensor<Scalar>, cache: Any, gradients: inout [Tensor<Scalar>],
                               needsDeltaPrev: Bool) -> Tensor<Scalar> {
        guard let typed = cache as? Cache else {
            preconditionFailure("\(type): cache of type \(Swift.type(of: cache)) is not \(Cache.self)")
        }
        return backward(delta, cache: typed, gradients: &gradients, needsDeltaPrev: needsDeltaPrev)
    }
}
