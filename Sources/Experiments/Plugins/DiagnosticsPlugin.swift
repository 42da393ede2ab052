// diagnostics: per trainable layer and epoch, the numbers the batch-size and BN questions are
// about — gradient and weight norms, update/weight ratio, BN batch statistics, dead ReLUs.

import Layers
import Model
import Tensor

/// Adds to metrics.h5's /diagnostics/ one value per epoch (epoch 0 included) for each
/// trainable layer P{j} (and shortcut projection S{j}):
/// - `P{j}/grad_norm`: ‖∂L/∂w‖₂ of the epoch's last SGD step (0 at epoch 0);
/// - `P{j}/weight_norm`: ‖w‖₂ at the epoch's end;
/// - `P{j}/update_ratio`: ‖w_e − w_{e−1}‖₂ / ‖w_{e−1}‖₂ over the epoch (0 at epoch 0), with
///   w_{e−1} from `RunContext.epochStartNetwork`, which checkpoints keep, so a resumed run
///   gives the same bytes; NaN for an epoch resumed mid-way from a checkpoint of an earlier
///   build, which did not keep it;
/// and for every batch-norm layer `P{j}/bn_batch_mean`, `P{j}/bn_batch_var` (the mean over
/// channels of the batch mean and variance of its input), for every ReLU layer i
/// `A{i}/dead_relu_fraction` (the fraction of its units that are zero for every sample).
/// BN and ReLU numbers are measured in training mode on a fixed probe batch: the first 256
/// training images in file order, on a copy of the network (the run is not changed).
/// The plugin keeps no state between events: everything comes from the `RunContext`, so an
/// interrupted and resumed run writes the same series as an uninterrupted one, each with one
/// value per `/epoch/` row.
public final class DiagnosticsPlugin: ExperimentPlugin {
    public static let name = "diagnostics"
    /// Probe batch size.
    static let probeCount = 256

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        guard case .epochEnd = event else { return .proceed }
        let network = context.network
        var values: [String: Double] = [:]
        let gradients = context.gradients?.tensors
        // Epoch 0 compares the initial weights with themselves (ratio 0).
        let start = context.epoch == 0 ? network : context.epochStartNetwork
        for (t, name) in network.parameterNames.enumerated() where name.hasSuffix(".w") {
            let layer = String(name.dropLast(2))
            let w = network.parameters[t]
            values["\(layer)/weight_norm"] = w.norm
            values["\(layer)/grad_norm"] = gradients.map { $0[t].norm } ?? 0
            if let previous = start?.parameters[t] {
                var difference = w
                for i in 0..<difference.count { difference[i] -= previous[i] }
                values["\(layer)/update_ratio"] = previous.norm > 0 ? difference.norm / previous.norm : 0
            } else {
                values["\(layer)/update_ratio"] = .nan   // resumed mid-epoch from an old checkpoint
            }
        }
        try probe(context, into: &values)
        var history = context.metrics
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            var series = history.diagnostics[key] ?? []
            // Epochs before a resume or before the layer existed are NaN, so rows line up with /epoch/.
            while series.count < context.epoch { series.append(.nan) }
            series.append(value)
            history.diagnostics[key] = series
        }
        context.metrics = history
        return .proceed
    }

    /// BN batch statistics and dead-ReLU fractions on the probe batch.
    func probe(_ context: RunContext, into values: inout [String: Double]) throws {
        let split = context.dataset.train
        let n = min(Self.probeCount, split.count)
        guard n >= 2 else { return }
        let images = Tensor<Float>(shape: [n, 1, split.imageSide, split.imageSide],
                                   scalars: split.images(0..<n))
        var copy = context.network
        let activations = try copy.forward(images, mode: .training, keepActivations: true).activations
        for (offset, layer) in copy.layers.enumerated() {
            let input = activations[offset], output = activations[offset + 1]
            if layer.type == .batch_norm {
                let (mean, variance) = Self.channelMoments(input)
                values["P\(offset)/bn_batch_mean"] = mean
                values["P\(offset)/bn_batch_var"] = variance
            } else if layer.type == .relu {
                let perSample = output.count / n
                var dead = 0
                for u in 0..<perSample where (0..<n).allSatisfy({ output[$0 * perSample + u] == 0 }) { dead += 1 }
                values["A\(offset + 1)/dead_relu_fraction"] = Double(dead) / Double(max(perSample, 1))
            }
        }
    }

    /// The mean over channels of the per-channel batch mean and biased variance (axis 1).
    static func channelMoments(_ a: Tensor<Float>) -> (Double, Double) {
        let n = a.shape[0], d = a.shape[1], inner = a.count / max(n * d, 1)
        var meanSum = 0.0, varSum = 0.0
        for c in 0..<d {
            var s = 0.0, s2 = 0.0
            for i in 0..<n { for j in 0..<inner { let v = Double(a[(i * d + c) * inner + j]); s += v; s2 += v * v } }
            let count = Double(n * inner), mean = s / count
            meanSum += mean
            varSum += max(s2 / count - mean * mean, 0)
        }
        return (meanSum / Double(d), varSum / Double(d))
    }
}
