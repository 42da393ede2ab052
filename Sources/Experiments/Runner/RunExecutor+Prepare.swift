// Building a run's network, trainer and batcher, fresh or from checkpoint.h5.

import Datasets
import Foundation
import Model
import Tensor
import Training

/// What `prepare` builds besides the context.
struct PreparedRun {
    var trainer: Trainer<Float>
    var batcher: Batcher
    var startBatch: Int
    var partial: EpochAccumulator
    var resumed: Bool
}

extension RunExecutor {
    var checkpointPath: String { request.directory + "/checkpoint.h5" }

    /// The network (initialised from the run seed), the trainer and the batcher; restored from
    /// checkpoint.h5 when resuming and one is there.
    func prepare() throws -> (RunContext, PreparedRun) {
        let configuration = request.run.configuration
        var network = try Network<Float>(configuration.modelConfiguration, inputShape: [1, dataset.imageSide, dataset.imageSide],
                                         classCount: dataset.classCount)
        network.initialize(seed: UInt64(configuration.seed))
        var trainer = Trainer(network: network,
                              optimizer: SGD<Float>(momentum: configuration.momentum, weightDecay: configuration.weightDecay),
                              schedule: configuration.learningRateSchedule, reduction: configuration.lossReduction)
        let batcher = Batcher(split: dataset.train, batchSize: configuration.batchSize, seed: UInt64(configuration.seed),
                              shuffle: configuration.shuffle, dropLast: configuration.dropLast,
                              skipSingletonBatch: network.hasBatchNorm)
        if let bad = configuration.activationImages.first(where: { $0 >= dataset.test.count }) {
            throw BadInput("exports.activation_images contains \(bad), but the test set has \(dataset.test.count) images; "
                           + "use indices below \(dataset.test.count)")
        }
        var metrics = MetricsRecord()
        var epoch = 0, startBatch = 0, partial = EpochAccumulator(), resumed = false
        var epochStartNetwork: Network<Float>? = trainer.network
        if request.resume, FileManager.default.fileExists(atPath: checkpointPath) {
            do {
                var restored = trainer.network, optimizer = trainer.optimizer
                let state = try CheckpointFile.restore(from: checkpointPath, runID: request.run.id,
                                                       network: &restored, optimizer: &optimizer)
                let start = try state.epochStart(of: restored, path: checkpointPath)   // before anything is replaced
                epochStartNetwork = start
                trainer.network = restored
                trainer.optimizer = optimizer
                trainer.step = state.step
                metrics = state.metrics
                epoch = state.epoch
                startBatch = state.batch
                partial = EpochAccumulator(counters: state.counters, batches: state.batch)
                resumed = true
            } catch {
                log("\(error); training \(request.run.directoryName) from scratch")
                try? FileManager.default.removeItem(atPath: checkpointPath)
            }
        }
        var provenance = request.provenance
        provenance.skippedSamplesPerEpoch = Int64(batcher.skippedSampleCount)
        let context = RunContext(configuration: configuration, sweepName: request.sweepName, runID: request.run.id,
                                 runDirectory: request.directory, provenance: provenance, dataset: dataset,
                                 epochs: configuration.epochs, stepsPerEpoch: batcher.batchCount,
                                 skippedSamplesPerEpoch: batcher.skippedSampleCount, network: trainer.network,
                                 metrics: metrics)
        context.epoch = epoch
        context.step = trainer.step
        context.epochStartNetwork = epochStartNetwork
        context.concurrentRuns = request.concurrentRuns
        return (context, PreparedRun(trainer: trainer, batcher: batcher, startBatch: startBatch, partial: partial,
                                     resumed: resumed))
    }
}
