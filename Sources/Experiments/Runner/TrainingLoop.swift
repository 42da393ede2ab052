// The epoch loop of one run, with plugin events, interruption and checkpoints.

import Datasets
import Foundation
import Layers
import Model
import Tensor
import Training

/// The sums of a partly trained epoch (kept in checkpoints for a mid-epoch resume).
public struct EpochAccumulator: Sendable, Equatable {
    /// Σ loss·n (mean reduction) or Σ loss (sum reduction) over the epoch's steps so far.
    public var lossSum = 0.0
    public var correct = 0
    public var count = 0
    /// Training wall time so far (s).
    public var seconds = 0.0
    /// Batches of this epoch done.
    public var batches = 0

    public init() {}

    /// From a checkpoint's `/counters` (names as in `counters`).
    public init(counters: [String: Double], batches: Int) {
        lossSum = counters["epoch_loss_sum"] ?? 0
        correct = Int(counters["epoch_correct"] ?? 0)
        count = Int(counters["epoch_count"] ?? 0)
        seconds = counters["epoch_seconds"] ?? 0
        self.batches = batches
    }

    /// The sums as checkpoint counters (float64; the counts are exact below 2⁵³).
    public var counters: [String: Double] {
        ["epoch_loss_sum": lossSum, "epoch_correct": Double(correct), "epoch_count": Double(count),
         "epoch_seconds": seconds]
    }
}

/// How a run ended.
struct RunOutcome {
    var state: RunState
    var reason: String?
}

/// The loop: epoch 0 evaluation, then epochs of SGD steps, each followed by evaluation.
struct TrainingLoop {
    let context: RunContext
    var trainer: Trainer<Float>
    let plugins: [any ExperimentPlugin]
    /// For each of `plugins`, whether it is built in (`PluginRegistry.isBuiltin`): the loop waits
    /// for the deferred commits before the others.
    let builtins: [Bool]
    let interrupt: InterruptFlag
    let batcher: Batcher
    var startBatch: Int
    var partial: EpochAccumulator
    /// Saves checkpoint.h5 (trainer, accumulator of the current epoch; mid-epoch also
    /// `context.epochStartNetwork`).
    let checkpoint: (Trainer<Float>, EpochAccumulator) throws -> Void
    /// Updates status.json (epoch, step, heartbeat).
    let heartbeat: (RunContext) throws -> Void

    mutating func run(resumed: Bool) throws -> RunOutcome {
        context.network = trainer.network
        if !resumed { context.epochStartNetwork = trainer.network }
        if !resumed {
            let row = try evaluate(epoch: 0, train: nil, seconds: 0,
                                   learningRate: trainer.schedule.rate(step: 0, stepsPerEpoch: context.stepsPerEpoch,
                                                                       epochs: context.epochs))
            context.metrics.epochs = [row]
        }
        if let stop = try dispatch(.runStart(resumed: resumed)) { return try finish(stop) }
        if !resumed, let stop = try dispatch(.epochEnd) { return try finish(stop) }
        if !resumed { try checkpoint(trainer, EpochAccumulator()) }
        while context.epoch < context.epochs {
            let epoch = context.epoch + 1
            if startBatch == 0 { context.epochStartNetwork = trainer.network }   // a mid-epoch resume restored it
            var sums = partial
            partial = EpochAccumulator()
            var clock = Date(), lastHeartbeat = Date()
            for batch in batcher.batches(epoch: epoch, startingAt: startBatch) {
                if interrupt.isRaised {
                    sums.seconds += Date().timeIntervalSince(clock)
                    try context.commits.wait()
                    try checkpoint(trainer, sums)
                    context.network = trainer.network
                    return try finish(RunOutcome(state: .interrupted, reason: nil))
                }
                let images = batch.images
                let result = try trainer.trainStep(images: images, labels: batch.labels,
                                                   stepsPerEpoch: context.stepsPerEpoch, epochs: context.epochs)
                sums.lossSum += trainer.reduction == .mean ? result.loss * Double(result.count) : result.loss
                sums.correct += result.correct
                sums.count += result.count
                sums.batches += 1
                context.step = trainer.step
                context.lastStep = result
                let seen = (context.metrics.steps.last?.samplesSeen ?? 0) + Int64(result.count)
                context.metrics.steps.append(StepMetrics(trainLoss: Float(result.loss), learningRate: result.learningRate,
                                                     samplesSeen: seen))
                if let stop = try dispatch(.stepEnd) {
                    context.network = trainer.network
                    context.gradients = trainer.gradients
                    return try finish(stop)
                }
                if Date().timeIntervalSince(lastHeartbeat) > 30 {
                    try context.commits.wait()
                    try heartbeat(context)
                    lastHeartbeat = Date()
                }
            }
            startBatch = 0
            sums.seconds += Date().timeIntervalSince(clock)
            clock = Date()
            let train = Evaluation(loss: sums.count > 0 ? sums.lossSum / Double(sums.count) : 0,
                                   accuracy: sums.count > 0 ? Double(sums.correct) / Double(sums.count) : 0,
                                   count: sums.count)
            context.network = trainer.network
            context.gradients = trainer.gradients
            let row = try evaluate(epoch: epoch, train: train, seconds: sums.seconds,
                                   learningRate: context.metrics.steps.last?.learningRate ?? 0)
            context.metrics.epochs.append(row)
            context.epoch = epoch
            // The previous epoch end's files are committed (in the background, during this
            // epoch's training) before anything of this one is written.
            try context.commits.wait()
            if let stop = try dispatch(.epochEnd) { return try finish(stop) }
            try checkpoint(trainer, EpochAccumulator())
            try heartbeat(context)
        }
        return try finish(RunOutcome(state: .completed, reason: nil))
    }

    /// Sends `event` to every plugin in order; the first stop decision wins (all plugins still
    /// see the event). Before a plugin that is not built in, the deferred commits are waited
    /// for, so it finds the files of the plugins before it in place.
    func dispatch(_ event: TrainingEvent) throws -> RunOutcome? {
        var outcome: RunOutcome?
        for (plugin, builtin) in zip(plugins, builtins) {
            if !builtin { try context.commits.wait() }
            if case let .stop(state, reason) = try plugin.handle(event, context: context), outcome == nil {
                outcome = RunOutcome(state: state, reason: reason)
            }
        }
        return outcome
    }

    /// Ends the run: waits for the deferred commits, sends `runEnd`, and returns once the files
    /// it wrote are committed too.
    func finish(_ outcome: RunOutcome) throws -> RunOutcome {
        try context.commits.wait()
        _ = try dispatch(.runEnd(outcome.state))
        try context.commits.wait()
        return outcome
    }

    /// The epoch row: the given training numbers, the test (and validation) evaluation. With
    /// `model.bn_inference = population` the BN statistics are first recomputed exactly over the
    /// training set (paper §9); they then replace the running statistics in the network.
    /// `train` nil (row 0): the training set is evaluated in inference mode too.
    mutating func evaluate(epoch: Int, train: Evaluation?, seconds: Double, learningRate: Double) throws -> EpochMetrics {
        if context.configuration.usesPopulationStatistics && trainer.network.hasBatchNorm {
            let split = context.dataset.train
            try trainer.network.setPopulationStatistics { AnySequence(Self.chunks(of: split).lazy.map(\.images)) }
            context.network = trainer.network
        }
        let train = try train ?? evaluation(of: context.dataset.train)
        let test = try evaluation(of: context.dataset.test)
        let validation = context.dataset.validation.count > 0 ? try evaluation(of: context.dataset.validation) : nil
        return EpochMetrics(epoch: epoch, trainLoss: train.loss, trainAccuracy: train.accuracy, testLoss: test.loss,
                        testAccuracy: test.accuracy, validationLoss: validation?.loss,
                        validationAccuracy: validation?.accuracy, learningRate: learningRate, seconds: seconds)
    }

    /// Inference-mode loss and accuracy over a split, in chunks of ``evaluationChunk``.
    func evaluation(of split: DatasetSplit) throws -> Evaluation {
        try trainer.evaluate(Self.chunks(of: split, size: Self.evaluationChunk))
    }

    /// Samples per inference forward in ``evaluation(of:)``. `Network.infer` convolves and
    /// pools about 128 KB of output at a time, so larger chunks no longer leave L2: `exp bench
    /// --batch-sizes none --inference-batch-sizes 250,500,1000,2000 --threads 2` gave, in 3
    /// rounds (2026-11-30 14:11), 399–432k / 429–466k / 444–479k / 445–449k samples/s, i.e. the
    /// 10,000-image test evaluation of every epoch in ~21.5 ms instead of ~24 ms at 250 (the
    /// layer-by-layer path peaked at 250: docs/PERFORMANCE.md). Accuracy does not depend on the
    /// chunk; the loss only through the order of its Float64 sum.
    static let evaluationChunk = 1000

    /// A split in chunks of `size` samples (images n×1×r×r, labels; default 1000, the chunks of
    /// the population statistics), in file order: a `Batcher` without shuffling, so every chunk
    /// is gathered into one reused buffer (by the engine's two parts) instead of a new array per chunk.
    static func chunks(of split: DatasetSplit, size: Int = 1000) -> LazyMapSequence<MinibatchSequence, (images: Tensor<Float>, labels: [Int])> {
        Batcher(split: split, batchSize: size, seed: 0, shuffle: false).batches(epoch: 0).lazy.map { ($0.images, $0.labels) }
    }
}
