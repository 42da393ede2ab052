// The library entry point behind `exp bench` (SPEC.md "Command line", issue 7): training-step
// and inference throughput of the configured network on real minibatches.
//
// Method: per (threads, batch size) a fresh network (seed 0) and trainer; `warmupSteps` steps
// that are not timed, then `repetitions` timings of `steps` consecutive SGD steps each, on the
// seeded shuffle's batches (as in a run). Throughput = samples / wall seconds; the report gives
// the median over repetitions with min and max. Inference: forward passes in inference mode
// over test-set batches. Peak RSS from getrusage (the whole process, data included).

import Datasets
import Foundation
import Layers
import Model
import Tensor
import Training

/// `exp bench [--set KEY=VALUE]... [--batch-sizes …] [--inference-batch-sizes …] [--threads …]
/// [--steps N] [--repetitions N] [--format text|json]`.
public enum BenchEntry {
    /// What to measure.
    public struct Options: Sendable {
        public var overrides: [String] = []
        public var batchSizes: [Int] = [16, 64, 256]
        public var inferenceBatchSizes: [Int] = [1000]
        public var threads: [Int] = [1, 2]
        /// Timed steps per repetition.
        public var steps: Int = 50
        public var repetitions: Int = 5
        /// Untimed steps before the first repetition.
        public var warmupSteps: Int = 5
        public init() {}
    }

    /// One measured configuration (samples per second: median, min, max over repetitions).
    public struct Row: Sendable, Equatable {
        public let batchSize: Int
        public let threads: Int
        public let samplesPerSecond: Double
        public let minimum: Double
        public let maximum: Double
        /// Samples in an epoch of this kind (60,000 training, 10,000 test).
        public let epochSamples: Int
        public var secondsPerEpoch: Double { Double(epochSamples) / samplesPerSecond }
    }

    /// The measurements of one `exp bench`.
    public struct Report: Sendable {
        public let configuration: ResolvedConfiguration
        public let train: [Row]
        public let inference: [Row]
        public let peakResidentBytes: Int
    }

    /// Output formats.
    public enum Format: String, CaseIterable, Sendable { case text, json }

    /// Resolves the configuration, loads its dataset and measures.
    /// - Parameter progress: called with a line per finished measurement (stderr in the CLI).
    /// - Throws: `ConfigurationError` for bad overrides or options, `DatasetError`, `LayerError`.
    public static func run(_ options: Options, progress: (String) -> Void = { _ in }) throws -> Report {
        let resolved = try resolve(options.overrides)
        for (name, list) in [("--batch-sizes", options.batchSizes), ("--inference-batch-sizes", options.inferenceBatchSizes)]
        where list.contains(where: { $0 < 1 || $0 > 60_000 }) {
            throw BadInput("\(name) \(list.map(String.init).joined(separator: ",")): each value must be in 1…60000 (the training set)")
        }
        guard !options.threads.contains(where: { $0 < 1 || $0 > 256 }) else {
            throw BadInput("--threads \(options.threads.map(String.init).joined(separator: ",")): each value must be in 1…256")
        }
        guard (1...100_000).contains(options.steps), (1...1000).contains(options.repetitions) else {
            throw BadInput("--steps \(options.steps) / --repetitions \(options.repetitions): must be in 1…100000 and 1…1000")
        }
        Allocator.keepFreedMemory()
        let dataset = try Dataset.load(datasetConfiguration(resolved))
        var network = try Network<Float>(resolved.modelConfiguration, inputShape: [dataset.channels, dataset.imageSide, dataset.imageSide],
                                         classCount: dataset.classCount)
        network.initialize(seed: UInt64(resolved.seed))
        var train: [Row] = [], inference: [Row] = []
        let saved = Parallel.threads
        defer { Parallel.setThreads(saved) }
        for threads in options.threads {
            Parallel.setThreads(threads)
            for n in options.batchSizes {
                let rates = try BenchTimer.training(network: network, resolved: resolved, split: dataset.train,
                                                    batchSize: n, options: options)
                train.append(row(rates, batchSize: n, threads: threads, epochSamples: 60_000))
                progress("train n=\(n) threads=\(threads): \(Int(train.last!.samplesPerSecond)) samples/s")
            }
            for n in options.inferenceBatchSizes {
                let rates = try BenchTimer.inference(network: network, split: dataset.test, batchSize: n, options: options)
                inference.append(row(rates, batchSize: n, threads: threads, epochSamples: 10_000))
                progress("inference n=\(n) threads=\(threads): \(Int(inference.last!.samplesPerSecond)) samples/s")
            }
        }
        return Report(configuration: resolved, train: train, inference: inference, peakResidentBytes: peakResidentBytes())
    }

    /// The resolved configuration of SPEC.md's defaults with `--set` overrides.
    static func resolve(_ overrides: [String]) throws -> ResolvedConfiguration {
        let parsed = try overrides.map { try Override.parse($0) }
        return try ConfigurationResolver(file: "--set").resolve(base: Override.apply(parsed, to: .object(JSONObject())), seed: 0)
    }

    /// `dataset.*` as the Datasets module takes it.
    static func datasetConfiguration(_ r: ResolvedConfiguration) -> DatasetConfiguration {
        func int(_ key: String) -> Int? { r[key].integerValue.map { Int($0) } }
        return DatasetConfiguration(
            name: r["dataset.name"].stringValue ?? "mnist", path: r["dataset.path"].stringValue,
            trainImages: r["dataset.train_images"].stringValue, trainLabels: r["dataset.train_labels"].stringValue,
            testImages: r["dataset.test_images"].stringValue, testLabels: r["dataset.test_labels"].stringValue,
            normalize: Normalization(rawValue: r["dataset.normalize"].stringValue ?? "standardize") ?? .standardize,
            trainLimit: int("dataset.train_limit"), testLimit: int("dataset.test_limit"),
            validation: int("dataset.validation") ?? 0)
    }

    static func row(_ rates: [Double], batchSize: Int, threads: Int, epochSamples: Int) -> Row {
        let sorted = rates.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return Row(batchSize: batchSize, threads: threads, samplesPerSecond: median,
                   minimum: sorted.first!, maximum: sorted.last!, epochSamples: epochSamples)
    }

    /// The process's peak resident set size in bytes (getrusage; Linux reports KiB).
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}
