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

    /// Times each layer's forward and backward on real batches, in training mode (no SGD update).
    /// - Throws: `LayerError`; a `ConfigurationError` for networks with shortcuts.
    public static func profile(overrides: [String], batchSize n: Int, steps: Int) throws -> [LayerTime] {
        BLAS.setThreads(1)   // as Trainer.trainStep
        Allocator.keepFreedMemory()
        let resolved = try resolve(overrides)
        let dataset = try Dataset.load(datasetConfiguration(resolved))
        var network = try Network<Float>(resolved.modelConfiguration)
        network.initialize(seed: 0)
        guard network.shortcuts.isEmpty else {
            throw ConfigurationError(file: "--set", keyPath: "--profile", kind: .unreadable(reason: "networks with shortcuts are not profiled"))
        }
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

    /// The profile as a table.
    public static func profileText(_ times: [LayerTime], batchSize: Int) -> String {
        var out = "per-layer median ms at n = \(batchSize) (training mode, engine threads \(Parallel.threads))\n"
        out += "layer              forward  backward\n"
        // Names are padded by hand: String(format:)'s %s takes a C string, not a Swift String.
        func padded(_ name: String) -> String { name.padding(toLength: max(16, name.count), withPad: " ", startingAt: 0) }
        for t in times { out += padded(t.name) + String(format: " %9.3f %9.3f\n", t.forward, t.backward) }
        let f = times.reduce(0) { $0 + $1.forward }, b = times.reduce(0) { $0 + $1.backward }
        out += padded("sum") + String(format: " %9.3f %9.3f   total %.3f ms\n", f, b, f + b)
        return out
    }
}
