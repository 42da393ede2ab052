// `exp bench --profile`: where a training step's time goes, per layer, forward and backward
// (docs/PERFORMANCE.md's profile). Networks without shortcuts only.

import Datasets
import Foundation
import Layers
import Model
import Tensor

extension BenchEntry {
    /// Milliseconds per layer (median over `steps` training-mode passes at batch size `n`).
    public struct LayerTime: Sendable {
        public let name: String
        public let forward: Double
        public let backward: Double

        /// A row of the profile: `name` ("3 batchnorm"), milliseconds forward and backward.
        public init(name: String, forward: Double, backward: Double) {
            self.name = name
            self.forward = forward
            self.backward = backward
        }
    }

    /// Times each layer's forward and backward on real batches, in training mode (no SGD update),
    /// at the first of `options.batchSizes` and `options.threads` (engine threads, restored on
    /// return), over `options.steps` passes after 2 untimed ones. The options are checked as by
    /// `run`, except that only the batch size measured is checked against the training split
    /// (the others and the inference batch sizes only for their range).
    /// - Throws: `BadInput` for options out of range, a training batch size larger than the
    ///   training split, or a network with shortcuts; `ConfigurationError`, `DatasetError`,
    ///   `LayerError`.
    public static func profile(_ options: Options) throws -> [LayerTime] {
        try checkRanges(options, profile: true)
        let n = options.batchSizes[0], steps = options.steps
        let resolved = try resolve(options.overrides)
        let dataset = try Dataset.load(datasetConfiguration(resolved))
        var used = options
        used.batchSizes = [n]   // the only one measured: 16,64,256 with dataset.train_limit=100 profiles n = 16
        try checkBatchSizes(used, against: dataset, resolved: resolved, inference: false)
        var network = try Network<Float>(resolved.modelConfiguration, inputShape: [dataset.channels, dataset.imageSide, dataset.imageSide],
                                         classCount: dataset.classCount)
        guard network.shortcuts.isEmpty else {
            throw BadInput("exp bench --profile: networks with shortcuts are not profiled (model.architecture = "
                           + "\(resolved["model.architecture"].stringValue ?? "?")); "
                           + "profile a network without them, e.g. --set model.architecture=lenet5, or drop --profile")
        }
        network.initialize(seed: 0)
        let saved = Parallel.threads
        defer { Parallel.setThreads(saved) }
        Parallel.setThreads(options.threads[0])
        BLAS.setThreads(1)   // as Trainer.trainStep
        Allocator.keepFreedMemory()
        let batch = BenchTimer.preload(Batcher(split: dataset.train, batchSize: n, seed: 0, dropLast: true), count: 1)[0]
        var layers = network.layers
        var forward = Array(repeating: [Double](), count: layers.count), backward = forward
        var grads = layers.map { $0.zeroGradients() }
        func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        for step in 0..<(steps + 2) {
            var a = batch.images, caches: [Any] = []
            for i in layers.indices {
                let t = now()
                let (out, cache) = try layers[i].forwardErased(a, mode: .training)
                if step >= 2 { forward[i].append(Double(now() - t) / 1e6) }
                a = out
                caches.append(cache)
            }
            var delta = SoftmaxCrossEntropy<Float>.evaluate(logits: a, labels: batch.labels, reduction: .mean).delta
            for i in layers.indices.reversed() {
                let t = now()
                delta = layers[i].backwardErased(delta, cache: caches[i], gradients: &grads[i], needsDeltaPrev: i > 0)
                if step >= 2 { backward[i].append(Double(now() - t) / 1e6) }
            }
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        return layers.indices.map { i in
            LayerTime(name: "\(i + 1) \(layers[i].type.rawValue)", forward: median(forward[i]), backward: median(backward[i]))
        }
    }

    /// The profile as a table; `threads` is the engine thread count it was measured with.
    public static func profileText(_ times: [LayerTime], batchSize: Int, threads: Int = Parallel.threads) -> String {
        var out = "per-layer median ms at n = \(batchSize) (training mode, engine threads \(threads))\n"
        out += "layer              forward  backward\n"
        // Names are padded by hand: String(format:)'s %s takes a C string, not a Swift String.
        func padded(_ name: String) -> String { name.padding(toLength: max(16, name.count), withPad: " ", startingAt: 0) }
        for t in times { out += padded(t.name) + String(format: " %9.3f %9.3f\n", t.forward, t.backward) }
        let f = times.reduce(0) { $0 + $1.forward }, b = times.reduce(0) { $0 + $1.backward }
        out += padded("sum") + String(format: " %9.3f %9.3f   total %.3f ms\n", f, b, f + b)
        return out
    }
}
