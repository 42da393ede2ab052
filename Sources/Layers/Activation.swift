// Element-wise activation layers: A_i = g(A_{i−1}) for ReLU, leaky ReLU, tanh and sigmoid.
//
// Source: Boué (arXiv:1811.11987) section "Non-linear activation layer" (ReLU): forward A_i = g(A_{i−1});
// backward Δ_{i−1} = Δ_i ∘ g′(A_{i−1}) (Hadamard product), no parameters.
// Deviations: the paper uses ReLU only; leaky ReLU, tanh and sigmoid follow the same recursion.
// g′(0) := 0 for ReLU and g′(0) := slope for leaky ReLU (PyTorch's convention: the gradient
// at 0 is that of the negative side). tanh and sigmoid cache the output A_i, since
// g′ = 1 − A_i² and g′ = A_i (1 − A_i); ReLU and leaky ReLU cache the input A_{i−1}.

import Tensor

/// Which non-linearity g.
public enum ActivationKind: Sendable, Equatable {
    /// g(x) = max(0, x); g′(x) = 1 for x > 0, else 0 (g′(0) = 0, as PyTorch).
    case relu
    /// g(x) = x for x > 0, else slope·x; g′(x) = 1 for x > 0, else slope.
    /// PyTorch's default negative slope is 0.01.
    case leakyReLU(negativeSlope: Double = 0.01)
    /// g(x) = tanh x; g′ = 1 − g².
    case tanh
    /// g(x) = 1 / (1 + e^{−x}); g′ = g (1 − g).
    case sigmoid
}

/// An element-wise non-linearity A_i = g(A_{i−1}) on data of any shape (n×d×r×r, n×f, …).
///
/// Backward: Δ_{i−1} = Δ_i ∘ g′(A_{i−1}) (paper, ReLU section). No parameters, no buffers.
public struct Activation<Scalar: TensorScalar>: Layer {
    /// Which non-linearity g.
    public typealias Kind = ActivationKind

    /// What backward needs: the input for ReLU-like kinds, the output for tanh and sigmoid.
    public enum Cache {
        /// A_{i−1} (shape of the input): g′ depends on its sign (relu, leaky ReLU).
        case input(Tensor<Scalar>)
        /// A_i (shape of the input): g′ is a function of it (tanh, sigmoid).
        case output(Tensor<Scalar>)
    }

    /// The non-linearity.
    public let kind: Kind
    /// No trainable parameters.
    public var parameters: [Tensor<Scalar>] {
        get { [] }
        set { precondition(newValue.isEmpty, "\(type) has no parameters") }
    }
    public var parameterNames: [String] { [] }

    /// The matching `LayerType`: relu, leaky_relu, tanh or sigmoid.
    public var type: LayerType {
        switch kind {
        case .relu: return .relu
        case .leakyReLU: return .leaky_relu
        case .tanh: return .tanh
        case .sigmoid: return .sigmoid
        }
    }

    /// An activation layer of the given kind (ReLU by default).
    /// - Precondition: a leaky ReLU's negative slope is finite.
    public init(_ kind: Kind = .relu) {
        if case let .leakyReLU(slope) = kind {
            precondition(slope.isFinite, "leaky ReLU negative slope must be finite, got \(slope)")
        }
        self.kind = kind
    }

    /// The output has the input's shape, whatever its rank.
    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    /// A_i = g(A_{i−1}) element-wise; same shape as A_{i−1} (paper, ReLU section).
    @_specialize(where Scalar == Float)
    public mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        if case .relu = kind, Scalar.self == Float.self, ElementwiseKernels.isEnabled, aPrev.count > 0 {   // CKernels, same values
            let a = aPrev.withUnsafeBufferPointer { x in
                Tensor<Scalar>(shape: aPrev.shape) { y in
                    ElementwiseKernels.reluForward(Float.pointer(x), Float.mutablePointer(y), count: y.count)
                }
            }
            return (a, .input(aPrev))
        }
        var a = aPrev
        a.withUnsafeMutableBufferPointer { p in
            switch kind {
            case .relu:  // `< 0` (not `!(> 0)`) so that NaN propagates, as in PyTorch
                for i in p.indices where p[i] < 0 { p[i] = 0 }
            case let .leakyReLU(slope):
                let s = Scalar(slope)
                for i in p.indices where p[i] < 0 { p[i] *= s }
            case .tanh:
                for i in p.indices { p[i] = Scalar.tanh(p[i]) }
            case .sigmoid:
                for i in p.indices { p[i] = Self.sigmoid(p[i]) }
            }
        }
        switch kind {
        case .relu, .leakyReLU: return (a, .input(aPrev))
        case .tanh, .sigmoid: return (a, .output(a))
        }
    }

    /// Δ_{i−1} = Δ_i ∘ g′(A_{i−1}) (paper, ReLU section); no parameter gradients.
    @_specialize(where Scalar == Float)
    public func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                         needsDeltaPrev: Bool) -> Tensor<Scalar> {
        guard needsDeltaPrev else { return Tensor(shape: [0]) }
        var deltaPrev = delta
        let saved: Tensor<Scalar>
        switch cache {
        case let .input(t), let .output(t): saved = t
        }
        precondition(saved.shape == delta.shape,
                     "\(type): Δ_i shape \(delta.shape) differs from the cached \(saved.shape)")
        if case .relu = kind, Scalar.self == Float.self, ElementwiseKernels.isEnabled, delta.count > 0 {
            return saved.withUnsafeBufferPointer { x in
                delta.withUnsafeBufferPointer { dl in
                    Tensor<Scalar>(shape: delta.shape) { out in
                        ElementwiseKernels.reluBackward(Float.pointer(x), Float.pointer(dl), Float.mutablePointer(out), count: out.count)
                    }
                }
            }
        }
        deltaPrev.withUnsafeMutableBufferPointer { dp in
            saved.withUnsafeBufferPointer { x in
                switch kind {
                case .relu:
                    for i in dp.indices where !(x[i] > 0) { dp[i] = 0 }
                case let .leakyReLU(slope):
                    let s = Scalar(slope)
                    for i in dp.indices where !(x[i] > 0) { dp[i] *= s }
                case .tanh:
                    for i in dp.indices { dp[i] *= 1 - x[i] * x[i] }
                case .sigmoid:
                    for i in dp.indices { dp[i] *= x[i] * (1 - x[i]) }
                }
            }
        }
        return deltaPrev
    }

    /// σ(x) = 1 / (1 + e^{−x}), evaluated without overflow for large |x|.
    static func sigmoid(_ x: Scalar) -> Scalar {
        if x >= 0 { return 1 / (1 + Scalar.exp(-x)) }
        let e = Scalar.exp(x)
        return e / (1 + e)
    }
}
