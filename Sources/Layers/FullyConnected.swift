// Fully connected layer: A_i = A_{i−1} w + b.
//
// Source: Boué (arXiv:1811.11987) §6 "Fully connected layer": forward A_i = A_{i−1} w + b̃;
// backward Δ_{i−1} = Δ_i wᵗ, ∂w = A_{i−1}ᵗ Δ_i, ∂b = Σ_s Δ_i (sum over the minibatch).
// Deviations: none. w is f_{i−1}×f_i as in the paper (the transpose of PyTorch's Linear.weight).

import Tensor

/// A fully connected (dense) layer on n×f_{i−1} data.
///
/// Parameters: w of shape f_{i−1}×f_i, b of shape f_i.
public struct FullyConnected<Scalar: TensorScalar>: Layer {
    public let type = LayerType.fc
    /// f_{i−1}, the input features.
    public let inputFeatures: Int
    /// f_i, the output features.
    public let outputFeatures: Int
    /// [w (f_{i−1}×f_i), b (f_i)].
    public var parameters: [Tensor<Scalar>]
    /// In place: `body(&parameters[index])` (SGD without copies).
    public mutating func updateParameter(_ index: Int, _ body: (inout Tensor<Scalar>) -> Void) {
        body(&parameters[index])
    }
    public var parameterNames: [String] { ["w", "b"] }

    /// What backward needs: A_{i−1} (n×f_{i−1}).
    public struct Cache { public let aPrev: Tensor<Scalar> }

    /// A layer with zero weights (initialise through Model's initialisers).
    public init(inputFeatures: Int, outputFeatures: Int) {
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        parameters = [Tensor(shape: [inputFeatures, outputFeatures]), Tensor(shape: [outputFeatures])]
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] == inputFeatures else {
            throw LayerError.shapeMismatch(layer: "fc \(inputFeatures)→\(outputFeatures)",
                                           expected: "n×\(inputFeatures)", actual: inputShape)
        }
        return [inputShape[0], outputFeatures]
    }

    /// A_i = A_{i−1} w + b: n×f_{i−1} → n×f_i (paper §6).
    @_specialize(where Scalar == Float)
    public mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        _ = try outputShape(for: aPrev.shape)
        if usesKernels(n: aPrev.shape[0]) { return (kernelForward(aPrev), Cache(aPrev: aPrev)) }
        var a = aPrev.matmul(parameters[0])
        let f = outputFeatures
        let b = parameters[1].scalars
        a.withUnsafeMutableBufferPointer { p in
            for row in 0..<aPrev.shape[0] {
                for j in 0..<f { p[row * f + j] += b[j] }
            }
        }
        return (a, Cache(aPrev: aPrev))
    }

    /// Δ_{i−1} = Δ_i wᵗ; ∂w += A_{i−1}ᵗ Δ_i; ∂b += Σ_s Δ_i (paper §6).
    @_specialize(where Scalar == Float)
    public func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                         needsDeltaPrev: Bool) -> Tensor<Scalar> {
        let n = delta.shape[0], f = outputFeatures
        if usesKernels(n: n) {
            var gw = gradients[0]
            gradients[0] = Tensor(shape: [0])
            let deltaPrev = kernelBackward(delta, aPrev: cache.aPrev, weightGradient: &gw, needsDeltaPrev: needsDeltaPrev)
            gradients[0] = gw
            addBiasGradient(delta, into: &gradients[1])
            return deltaPrev
        }
        gradients[0] += cache.aPrev.matmul(delta, transposeSelf: true)
        gradients[1].withUnsafeMutableBufferPointer { gb in
            for row in 0..<n {
                for j in 0..<f { gb[j] += delta.scalars[row * f + j] }
            }
        }
        guard needsDeltaPrev else { return Tensor(shape: [0]) }
        return delta.matmul(parameters[0], transposeOther: true)
    }

    /// ∂b += Σ_s Δ_i (samples in order).
    @inlinable
    func addBiasGradient(_ delta: Tensor<Scalar>, into gb: inout Tensor<Scalar>) {
        let n = delta.shape[0], f = outputFeatures
        gb.withUnsafeMutableBufferPointer { g in
            delta.withUnsafeBufferPointer { d in
                for row in 0..<n { for j in 0..<f { g[j] += d[row * f + j] } }
            }
        }
    }
}
