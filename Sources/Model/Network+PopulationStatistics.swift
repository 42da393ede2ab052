// Exact population statistics for batch-norm inference (paper §9).
//
// Source: Boué (arXiv:1811.11987) §9 and Ioffe & Szegedy (2015), Algorithm 2: at inference,
// batch norm uses the mean and (unbiased) variance of its input over the whole training set,
// instead of the running averages gathered during training.

import Layers
import Tensor

extension Network {
    /// Replaces every batch-norm layer's running statistics with the exact mean and unbiased
    /// variance of its input over `batches` (the training set), in inference mode.
    ///
    /// Layer by layer: the input of BN layer k depends on the statistics of the BN layers
    /// before it, so each BN layer is measured after the earlier ones are set (one pass over
    /// the data per BN layer, each a full inference forward). Accumulation is in Double, in batch order (deterministic).
    /// - Parameter batches: a function returning the images of the training set in chunks
    ///   (n×d×r×r), called once per BN layer.
    /// - Throws: `LayerError` from the forward pass.
    public mutating func setPopulationStatistics(
        _ batches: () -> AnySequence<Tensor<Scalar>>
    ) throws {
        for k in layers.indices where layers[k].type == .batch_norm {
            guard var bn = layers[k] as? BatchNorm<Scalar> else { continue }
            var accumulator = BatchNormStatisticsAccumulator(featureCount: bn.featureCount)
            for images in batches() {
                var copy = self
                accumulator.add(try copy.forward(images, mode: .inference, keepActivations: true).activations[k])
            }
            bn.setPopulationStatistics(from: accumulator)
            layers[k] = bn
        }
    }

}
