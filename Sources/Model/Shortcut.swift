// The shortcut layer: A_i = A_{i−1} + S(A_j), the block's input added to its output.
//
// Source: Boué (arXiv:1811.11987) §2 side note on shortcut connections: forward adds the
// bypassed data; backward adds Δ_i to the downstream error of the block's input A_j.
// The layer itself passes A_{i−1} and Δ_i through unchanged; `Network` performs the addition
// and routes the bypassed error, because those need A_j, which this layer does not see.

import Layers
import Tensor

/// The identity half of a shortcut: A_i = A_{i−1} here, + S(A_j) added by `Network`.
public struct ShortcutLayer<Scalar: TensorScalar>: Layer {
    public let type = LayerType.shortcut
    public var parameters: [Tensor<Scalar>] = []
    public var parameterNames: [String] { [] }
    /// j, the index of the bypassed data A_j.
    public let source: Int

    public struct Cache {}

    public init(source: Int) { self.source = source }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    /// A_{i−1} unchanged: any shape.
    public mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        (aPrev, Cache())
    }

    /// Δ_{i−1} = Δ_i (the main path's share; the bypassed share goes to Δ_j).
    public func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                         needsDeltaPrev: Bool) -> Tensor<Scalar> {
        delta
    }
}
