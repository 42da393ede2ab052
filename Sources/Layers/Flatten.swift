// Flatten: n×d×r×r image data → n×(d·r·r) vectors, and fold back in backward.
//
// Source: Boué (arXiv:1811.11987) the flattening layer (Table 1, layer 9): the data-reshaping layer between the
// convolutional part and the fully connected part; backward folds Δ_i back to the image
// shape, since flattening only relabels the elements (row-major order kept).
// Deviations: any rank ≥ 2 is accepted (n×f passes through unchanged).

import Tensor

/// Reshapes n×d×r×r (or any n×…) data into n×(d·r·r) rows in row-major (NCHW) order.
///
/// Backward: Δ_{i−1} = fold(Δ_i), the inverse reshape to the cached input shape.
public struct Flatten<Scalar: TensorScalar>: Layer {
    public let type = LayerType.flatten

    /// What backward needs: the shape of A_{i−1} (e.g. [n, d, r, r]).
    public struct Cache: Sendable { public let inputShape: [Int] }

    /// No trainable parameters.
    public var parameters: [Tensor<Scalar>] {
        get { [] }
        set { precondition(newValue.isEmpty, "flatten has no parameters") }
    }
    public var parameterNames: [String] { [] }

    /// A flatten layer.
    public init() {}

    /// [n, d, r, r] → [n, d·r·r].
    /// - Throws: `LayerError.shapeMismatch` for input of rank < 2.
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2 else {
            throw LayerError.shapeMismatch(layer: "flatten", expected: "n×d×r×r", actual: inputShape)
        }
        return [inputShape[0], inputShape.dropFirst().reduce(1, *)]
    }

    /// A_i = flatten(A_{i−1}): n×d×r×r → n×(d·r·r); the elements are not moved.
    @_specialize(where Scalar == Float)
    public mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        let shape = try outputShape(for: aPrev.shape)
        return (aPrev.reshaped(shape), Cache(inputShape: aPrev.shape))
    }

    /// Δ_{i−1} = fold(Δ_i): n×(d·r·r) → n×d×r×r.
    @_specialize(where Scalar == Float)
    public func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                         needsDeltaPrev: Bool) -> Tensor<Scalar> {
        guard needsDeltaPrev else { return Tensor(shape: [0]) }
        precondition(delta.count == cache.inputShape.reduce(1, *),
                     "flatten: Δ_i of shape \(delta.shape) cannot fold to \(cache.inputShape)")
        return delta.reshaped(cache.inputShape)
    }
}
