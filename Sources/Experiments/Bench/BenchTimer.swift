// The timed loops of `exp bench`: SGD steps and inference forward passes on real batches.

import Datasets
import Foundation
import Layers
import Model
import Tensor
import Training

/// Timed loops; each returns one throughput (samples/s) per repetition.
enum BenchTimer {
    /// SGD steps of a fresh trainer on the seeded shuffle of `split` (epoch 0, wrapping around).
    static func training(network: Network<Float>, resolved: ResolvedConfiguration, split: DatasetSplit,
                         batchSize: Int, options: BenchEntry.Options) throws -> [Double] {
        // The timed n is this row's training.batch_size (learning_rate_scaling scales λ by it).
        let resolved = ResolvedConfiguration(json: Override.apply([Override(key: "training.batch_size", value: .int(Int64(batchSize)))],
                                                                  to: resolved.json))
        var trainer = Trainer(network: network, optimizer: SGD(momentum: resolved["training.momentum"].numberValue ?? 0,
                                                                weightDecay: resolved["training.weight_decay"].numberValue ?? 0),
                              schedule: resolved.learningRateSchedule, reduction: resolved.lossReduction)
        let batcher = Batcher(split: split, batchSize: batchSize, seed: UInt64(resolved.seed), dropLast: true)
        let batches = preload(batcher, count: min(batcher.batchCount, options.warmupSteps + options.steps))
        let epochs = resolved["training.epochs"].integerValue.map { Int($0) } ?? 5
        var next = 0
        func step() throws {
            let b = batches[next % batches.count]
            next += 1
            _ = try trainer.trainStep(images: b.images, labels: b.labels, stepsPerEpoch: batcher.batchCount, epochs: epochs)
        }
        for _ in 0..<options.warmupSteps { try step() }
        var rates: [Double] = []
        for _ in 0..<options.repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<options.steps { try step() }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(options.steps * batchSize) / seconds)
        }
        return rates
    }

    /// Inference-mode forward passes (logits and the score, as an evaluation does) over `split`.
    static func inference(network: Network<Float>, split: DatasetSplit, batchSize: Int,
                          options: BenchEntry.Options) throws -> [Double] {
        let batcher = Batcher(split: split, batchSize: min(batchSize, split.count), seed: 0, shuffle: false, dropLast: true)
        let batches = preload(batcher, count: batcher.batchCount)
        var next = 0
        func pass() throws {
            let b = batches[next % batches.count]
            next += 1
            let logits = try network.infer(b.images)   // as Trainer.evaluate
            _ = SoftmaxCrossEntropy<Float>.score(logits: logits, labels: b.labels, reduction: .sum)
        }
        let passes = max(10, (options.steps * 64) / max(batchSize, 1))   // as pytorch_lenet.py
        for _ in 0..<max(1, options.warmupSteps / 2) { try pass() }
        var rates: [Double] = []
        for _ in 0..<options.repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<passes { try pass() }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(passes * batcher.batchSize) / seconds)
        }
        return rates
    }

    /// The first `count` batches of epoch 0, copied out (so the timed loop does no batching).
    static func preload(_ batcher: Batcher, count: Int) -> [Minibatch] {
        var out: [Minibatch] = []
        var sequence = batcher.batches(epoch: 0)
        while out.count < max(1, count), let b = sequence.next() { out.append(b) }
        return out
    }
}
