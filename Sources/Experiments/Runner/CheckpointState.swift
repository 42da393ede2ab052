// The resume state of a run (checkpoint.h5's content in memory).

import Model
import Tensor
import Training

/// Everything needed to continue a run exactly where it stopped.
public struct CheckpointState: Sendable {
    /// The run id, for the consistency check against config.json.
    public var runID: String
    /// Parameters by name ("P0.w") and BN buffers ("P2.running_mean").
    public var tensors: [String: Tensor<Float>]
    /// SGD momentum buffers by parameter name (empty before the first step or without momentum).
    public var momentum: [String: Tensor<Float>]
    /// Epochs completed.
    public var epoch: Int
    /// SGD steps completed.
    public var step: Int
    /// The partly trained epoch epoch + 1 (batches done, sums).
    public var partial: EpochAccumulator
    /// The metrics so far.
    public var metrics: MetricsHistory

    public init(runID: String, tensors: [String: Tensor<Float>], momentum: [String: Tensor<Float>], epoch: Int,
                step: Int, partial: EpochAccumulator, metrics: MetricsHistory) {
        self.runID = runID
        self.tensors = tensors
        self.momentum = momentum
        self.epoch = epoch
        self.step = step
        self.partial = partial
        self.metrics = metrics
    }

    /// The state of `trainer` at a run's current position.
    public init(runID: String, trainer: Trainer<Float>, epoch: Int, partial: EpochAccumulator, metrics: MetricsHistory) {
        let network = trainer.network
        var tensors: [String: Tensor<Float>] = [:]
        for (name, t) in zip(network.parameterNames, network.parameters) { tensors[name] = t }
        for (name, t) in zip(network.bufferNames, network.buffers) { tensors[name] = t }
        var momentum: [String: Tensor<Float>] = [:]
        for (name, t) in zip(network.parameterNames, trainer.optimizer.momentumBuffers) { momentum[name] = t }
        self.init(runID: runID, tensors: tensors, momentum: momentum, epoch: epoch, step: trainer.step,
                  partial: partial, metrics: metrics)
    }

    /// Restores parameters, buffers and momentum into `trainer`.
    /// - Throws: `ModelError` when a tensor is missing or has the wrong shape.
    public func restore(into trainer: inout Trainer<Float>) throws {
        var network = trainer.network
        for name in network.parameterNames + network.bufferNames {
            guard let t = tensors[name] else { throw ModelError.unknownTensor(name: name) }
            try network.setTensor(t, named: name)
        }
        trainer.network = network
        trainer.optimizer.momentumBuffers = momentum.isEmpty ? [] : try network.parameterNames.map { name in
            guard let t = momentum[name] else { throw ModelError.unknownTensor(name: name) }
            return t
        }
        trainer.step = step
    }
}
