// The resume state of a run (SPEC.md "Results layout": checkpoint.h5, written at every epoch
// end and on SIGINT/SIGTERM, removed when the run ends; docs/FORMAT.md "checkpoint.h5").

import HDF5
import Model
import Tensor
import Training

/// Everything needed to continue a run exactly where it stopped, except what is derived
/// from the configuration (the data, the shuffle order of an epoch from the seed) and the
/// weights history, which is read back from weights.h5 (`WeightsFile.read`, then
/// `WeightsHistory.discard(after: epoch)`).
///
/// Tensors keep the network's own element type (float32 for `Float`), so a resumed run is
/// bit-identical to an uninterrupted one.
public struct CheckpointState<Scalar: TensorScalar & HDF5Scalar>: Sendable, Equatable {
    /// `run_id`, checked on read against the run's.
    public var runID: String
    /// `config_json`, the run's resolved configuration as JSON text.
    public var configJSON: String
    /// Epochs completed (as status.json's `epoch`).
    public var epoch: Int
    /// SGD steps completed over the whole run (as status.json's `step`).
    public var step: Int
    /// Minibatches completed within epoch `epoch + 1`: 0 at an epoch end, > 0 for a
    /// checkpoint taken mid-epoch (SIGINT/SIGTERM).
    public var batch: Int
    /// Parameters and BN buffers (group `/network`).
    public var network: NetworkTensors<Scalar>
    /// SGD momentum buffers v by parameter (group `/momentum`, datasets `w`, `b` per layer);
    /// no layers when the optimizer has none yet (before the first step or without momentum).
    public var momentum: NetworkTensors<Scalar>
    /// The metrics so far, including the step rows of a partial epoch.
    public var metrics: MetricsRecord
    /// The network as it was when epoch `epoch + 1` began (group `/epoch_start_network`, layer
    /// groups as `/network`), kept only in a mid-epoch checkpoint (`batch` > 0; at an epoch end
    /// it equals `network`): plugins that compare an epoch's end with its start (diagnostics'
    /// `update_ratio`) see it as `RunContext.epochStartNetwork` after a resume. Nil at an epoch
    /// end and in mid-epoch checkpoints written by builds before it existed.
    public var epochStartNetwork: NetworkTensors<Scalar>?
    /// Named numbers the runner and plugins need to continue (group `/counters`, float64
    /// scalars): e.g. the partial epoch's loss sum, correct count and seconds, the
    /// early-stopping best value. Names contain no `/`.
    public var counters: [String: Double]

    /// A state from plain values.
    public init(runID: String, configJSON: String, epoch: Int, step: Int, batch: Int,
                network: NetworkTensors<Scalar>, momentum: NetworkTensors<Scalar>,
                metrics: MetricsRecord, counters: [String: Double] = [:], epochStartNetwork: NetworkTensors<Scalar>? = nil) {
        precondition(counters.keys.allSatisfy { !$0.isEmpty && !$0.contains("/") }, "checkpoint counter names must not contain /")
        self.runID = runID
        self.configJSON = configJSON
        self.epoch = epoch
        self.step = step
        self.batch = batch
        self.network = network
        self.momentum = momentum
        self.metrics = metrics
        self.counters = counters
        self.epochStartNetwork = epochStartNetwork
    }

    /// Captures a live network and optimizer (and, for a mid-epoch checkpoint, the network at
    /// the start of the epoch: `epochStartNetwork`, stored only when `batch` > 0).
    /// - Precondition: `optimizer.momentumBuffers` is empty or aligned with `network.parameterNames`.
    public init(runID: String, configJSON: String, epoch: Int, step: Int, batch: Int,
                network: Network<Scalar>, optimizer: SGD<Scalar>, metrics: MetricsRecord, counters: [String: Double] = [:],
                epochStartNetwork: Network<Scalar>? = nil) {
        let buffers = optimizer.momentumBuffers
        precondition(buffers.isEmpty || buffers.count == network.parameterNames.count, "momentum buffers do not match the parameters")
        var momentum = NetworkTensors<Scalar>(network: network)
        momentum.layers = buffers.isEmpty ? [] : momentum.layers.map { layer in
            var layer = layer
            layer.tensors = [:]
            for (t, name) in network.parameterNames.enumerated() where NetworkTensors<Scalar>.split(name).group == layer.name {
                layer.tensors[NetworkTensors<Scalar>.split(name).dataset] = buffers[t]
            }
            return layer
        }
        self.init(runID: runID, configJSON: configJSON, epoch: epoch, step: step, batch: batch,
                  network: NetworkTensors(network: network), momentum: momentum, metrics: metrics, counters: counters,
                  epochStartNetwork: batch > 0 ? epochStartNetwork.map { NetworkTensors(network: $0) } : nil)
    }

    /// Sets `network`'s parameters and buffers and `optimizer`'s momentum buffers from this state.
    /// - Parameter path: the checkpoint's path, for error messages.
    /// - Throws: `ResultsFileError` (.missingObject, .wrongShape) when the state does not fit the network.
    public func restore(into network: inout Network<Scalar>, optimizer: inout SGD<Scalar>, path: String) throws {
        var restored = network
        try self.network.apply(to: &restored, path: path, kind: .checkpoint, groupPath: "/network")
        var buffers: [Tensor<Scalar>] = []
        if !momentum.layers.isEmpty {
            for (t, name) in network.parameterNames.enumerated() {
                let (group, dataset) = NetworkTensors<Scalar>.split(name)
                let objectPath = "/momentum/\(group)/\(dataset)"
                guard let v = momentum.tensor(named: name) else {
                    throw ResultsFileError(path: path, kind: .checkpoint, problem: .missingObject(objectPath))
                }
                let expected = network.parameters[t].shape
                guard v.shape == expected else {
                    throw ResultsFileError(path: path, kind: .checkpoint, problem: .wrongShape(object: objectPath, expected: expected, found: v.shape))
                }
                buffers.append(v)
            }
        }
        network = restored
        optimizer.momentumBuffers = buffers
    }

    /// The network at the start of epoch `epoch + 1`: `network` itself for a checkpoint taken
    /// at an epoch end (`batch` = 0); for a mid-epoch one, `network` (already restored by
    /// `restore(into:optimizer:path:)`) with `/epoch_start_network`'s tensors, or nil when the
    /// checkpoint predates that group.
    /// - Parameter path: the checkpoint's path, for error messages.
    /// - Throws: `ResultsFileError` (.missingObject, .wrongShape) when the group does not fit the network.
    public func epochStart(of network: Network<Scalar>, path: String) throws -> Network<Scalar>? {
        guard batch > 0 else { return network }
        guard let epochStartNetwork else { return nil }
        var start = network
        try epochStartNetwork.apply(to: &start, path: path, kind: .checkpoint, groupPath: "/epoch_start_network")
        return start
    }
}
