// Parameter initialisation from the seeded Philox streams.
//
// Sources: PyTorch's Conv2d/Linear `reset_parameters` (kaiming_uniform with a = √5, which
// gives w ~ U(−1/√fan_in, 1/√fan_in), and b ~ U(−1/√fan_in, 1/√fan_in)); He et al. (2015)
// "Delving deep into rectifiers"; Glorot & Bengio (2010). BN: w = 1, b = 0 (PyTorch).
// Deviation: the random bits come from Philox4x32-10, not PyTorch's Mersenne Twister, so the
// distributions match PyTorch's but the values do not.

import Layers
import Tensor

extension Network {
    /// Fills every parameter from its own Philox stream.
    ///
    /// Parameter t (in `parameterNames` order) draws from stream
    /// `RandomStream.initialization(t)` of `seed`, in Double, then rounds to `Scalar`, so Float
    /// and Double networks start from the same values (up to rounding) and any one tensor can
    /// be regenerated alone. Batch norm: w = 1, b = 0; buffers reset to mean 0, variance 1.
    ///
    /// - fan_in / fan_out: convolution d_{i−1}·k·k / d_i·k·k; fully connected f_{i−1} / f_i.
    public mutating func initialize(seed: UInt64) {
        var values = parameters
        let scheme = configuration.initialization
        for (t, slot) in parameterSlots.enumerated() {
            let owner = layer(slot.owner)
            var rng = PhiloxStream(seed: seed, stream: RandomStream.initialization(t))
            let shape = values[t].shape
            if owner.type == .batch_norm {
                values[t] = Tensor(shape: shape, repeating: slot.index == 0 ? 1 : 0)
                continue
            }
            let w = owner.parameters[0].shape
            let (fanIn, fanOut): (Int, Int) = owner.type == .conv
                ? (w[1] * w[2] * w[3], w[0] * w[2] * w[3]) : (w[0], w[1])
            let isWeight = slot.index == 0
            let count = values[t].count
            let scalars: [Double]
            switch (scheme, isWeight) {
            case (.pytorch, _):
                let bound = 1 / Double(fanIn).squareRoot()
                scalars = (0..<count).map { _ in rng.nextUniform(-bound, bound) }
            case (.heNormal, true):
                let std = (2 / Double(fanIn)).squareRoot()
                scalars = (0..<count).map { _ in std * rng.nextNormal() }
            case (.xavierUniform, true):
                let bound = (6 / Double(fanIn + fanOut)).squareRoot()
                scalars = (0..<count).map { _ in rng.nextUniform(-bound, bound) }
            case (_, false):
                scalars = Array(repeating: 0, count: count)
            }
            values[t] = Tensor(shape: shape, scalars: scalars.map { Scalar($0) })
        }
        parameters = values
        buffers = bufferNames.indices.map { t in
            let shape = buffers[t].shape
            return Tensor(shape: shape, repeating: bufferNames[t].hasSuffix("running_var") ? 1 : 0)
        }
    }
}
