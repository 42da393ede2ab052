// Stochastic gradient descent with momentum and weight decay.
//
// Source: Boué (arXiv:1811.11987) eq. (4)–(5): P ← P − λ ∂L/∂P. Momentum and weight decay
// follow PyTorch's torch.optim.SGD (dampening 0, not Nesterov):
//   g ← ∂L/∂P + weight_decay · P
//   v ← g on the first step, else momentum · v + g
//   P ← P − λ · v          (P ← P − λ · g without momentum)

import Model
import Tensor

/// The SGD optimizer and its state (the momentum buffers v, one per parameter).
public struct SGD<Scalar: TensorScalar>: Sendable {
    /// μ in [0, 1); 0 turns momentum off.
    public var momentum: Double
    /// The L2 coefficient added to the gradient, ≥ 0.
    public var weightDecay: Double
    /// v per parameter in `Network.parameterNames` order; empty until the first step.
    public var momentumBuffers: [Tensor<Scalar>]

    /// A fresh optimizer with no momentum history.
    public init(momentum: Double = 0, weightDecay: Double = 0) {
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.momentumBuffers = []
    }

    /// One update P ← P − λ·v of every parameter of `network` (see the file header).
    ///
    /// - Parameters:
    ///   - network: the parameters to update.
    ///   - gradients: ∂L/∂P from `Network.backward`.
    ///   - learningRate: λ for this step.
    @_specialize(where Scalar == Float)
    public mutating func step(_ network: inout Network<Scalar>, gradients: NetworkGradients<Scalar>,
                              learningRate: Double) {
        let grads = gradients.tensors
        let lr = Scalar(learningRate), mu = Scalar(momentum), wd = Scalar(weightDecay)
        let first = momentumBuffers.isEmpty
        if first && momentum != 0 { momentumBuffers = grads.map { Tensor(shape: $0.shape) } }
        network.updateParameters { t, parameter in   // in place: no copy of the parameters
            let g = grads[t]
            parameter.withUnsafeMutableBufferPointer { p in
                g.withUnsafeBufferPointer { gp in
                    if momentum == 0 {
                        for i in p.indices { p[i] -= lr * (gp[i] + wd * p[i]) }
                    } else {
                        momentumBuffers[t].withUnsafeMutableBufferPointer { v in
                            for i in p.indices {
                                let d = gp[i] + wd * p[i]
                                v[i] = first ? d : mu * v[i] + d
                                p[i] -= lr * v[i]
                            }
                        }
                    }
                }
            }
        }
    }
}
