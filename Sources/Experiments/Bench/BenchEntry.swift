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
        /// `--set KEY=VALUE` overrides of SPEC.md's defaults.
        public var overrides: [String] = []
        /// Training batch sizes, each in 1…60000 and at most the training split.
        public var batchSizes: [Int] = [16, 64, 256]
        /// Inference batch sizes, each in 1…60000 and at most the test split.
        public var inferenceBatchSizes: [Int] = [1000]
        /// Engine thread counts, each in 1…256; at least one.
        public var threads: [Int] = [1, 2]
        /// Timed steps per repetition, 1…100000 (with `profile`: timed passes).
        public var steps: Int = 50
        /// Timed repetitions, 1…1000 (the median is reported).
        public var repetitions: Int = 5
        /// Untimed steps before the first repetition, 0…100000.
        public var warmupSteps: Int = 5
        /// SPEC.md's defaults: batch sizes 16, 64, 256; inference 1000; threads 1, 2; 50 steps × 5.
        public init() {}
    }

    /// One measured configuration (samples per second: median, min, max over repetitions).
    public struct Row: Sendable, Equatable {
        /// The batch size n.
        public let batchSize: Int
        /// The engine thread count.
        public let threads: Int
        /// Median samples per second over the repetitions.
        public let samplesPerSecond: Double
        /// The slowest repetition's samples per second.
        public let minimum: Double
        /// The fastest repetition's samples per second.
        public let maximum: Double
        /// Samples in an epoch of this kind (60,000 training, 10,000 test).
        public let epochSamples: Int
        /// `epochSamples` at the median rate.
        public var secondsPerEpoch: Double { Double(epochSamples) / samplesPerSecond }
    }

    /// The measurements of one `exp bench`.
    public struct Report: Sendable {
        /// The resolved configuration measured.
        public let configuration: ResolvedConfiguration
        /// Training rows, per thread count then batch size.
        public let train: [Row]
        /// Inference rows, per thread count then batch size.
        public let inference: [Row]
        /// The process's peak resident set size in bytes.
        public let peakResidentBytes: Int
    }

    /// Output formats.
    public enum Format: String, CaseIterable, Sendable { case text, json }

    /// Resolves the configuration, loads its dataset and measures.
    /// - Parameter progress: called with a line per finished measurement (stderr in the CLI).
    /// - Throws: `BadInput` for options out of range, nothing to measure, or batch sizes larger
    ///   than the loaded splits; `ConfigurationError` for bad overrides; `DatasetError`, `LayerError`.
    public static func run(_ options: Options, progress: (String) -> Void = { _ in }) throws -> Report {
        try checkRanges(options, profile: false)
        let resolved = try resolve(options.overrides)
        Allocator.keepFreedMemory()
        let dataset = try Dataset.load(datasetConfiguration(resolved))
        try checkBatchSizes(options, against: dataset, resolved: resolved, inference: true)
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

    /// The largest accepted batch size (MNIST's training set), thread count, steps, repetitions
    /// and warm-up steps; the checks of `checkRanges`.
    static let limits = (batchSize: 60_000, threads: 256, steps: 100_000, repetitions: 1000, warmupSteps: 100_000)

    /// Checks the options that need no data, before anything is loaded: every batch size in
    /// 1…60000, every thread count in 1…256, `steps` in 1…100000, `repetitions` in 1…1000,
    /// `warmupSteps` in 0…100000, and that there is something to measure (a thread count; a
    /// batch size of either kind, or with `profile` a training batch size).
    /// - Throws: `BadInput` naming the option, the value and the accepted range.
    static func checkRanges(_ options: Options, profile: Bool) throws {
        let command = profile ? "exp bench --profile" : "exp bench"
        for (name, list) in [("--batch-sizes", options.batchSizes), ("--inference-batch-sizes", options.inferenceBatchSizes)] {
            if let bad = list.first(where: { $0 < 1 || $0 > limits.batchSize }) {
                throw BadInput("\(name) \(text(list)): \(bad) is out of range; each batch size must be in 1…\(limits.batchSize) "
                               + "(at most the training set), e.g. \(name) 16,64,256")
            }
        }
        if let bad = options.threads.first(where: { $0 < 1 || $0 > limits.threads }) {
            throw BadInput("--threads \(text(options.threads)): \(bad) is out of range; each thread count must be in 1…\(limits.threads), e.g. --threads 1,2")
        }
        for (name, value, range, example) in [("--steps", options.steps, 1...limits.steps, "--steps 50"),
                                              ("--repetitions", options.repetitions, 1...limits.repetitions, "--repetitions 5"),
                                              ("warm-up steps", options.warmupSteps, 0...limits.warmupSteps, "5 warm-up steps")]
        where !range.contains(value) {
            throw BadInput("\(name) \(value): must be in \(range.lowerBound)…\(range.upperBound), e.g. \(example)")
        }
        if options.threads.isEmpty {
            throw BadInput("\(command) --threads none: nothing to measure; give at least one thread count, e.g. --threads 1")
        }
        if profile, options.batchSizes.isEmpty {
            throw BadInput("exp bench --profile --batch-sizes none: the profile times training steps at the first "
                           + "training batch size; give one, e.g. --batch-sizes 64")
        }
        if options.batchSizes.isEmpty, options.inferenceBatchSizes.isEmpty {
            throw BadInput("exp bench --batch-sizes none --inference-batch-sizes none: nothing to measure; "
                           + "give training or inference batch sizes, e.g. --batch-sizes 64")
        }
    }

    /// Checks the batch sizes against the loaded splits (and a training batch size of 1 against
    /// batch norm on vector data, which needs 2 samples): a training batch size must not exceed
    /// the training split (after `dataset.validation` and `dataset.train_limit`; batches are
    /// whole), an inference batch size (when `inference`) not the test split (after
    /// `dataset.test_limit`). Larger values are refused, not clamped.
    /// - Throws: `BadInput` naming the option, the value, the split's size and what limits it.
    static func checkBatchSizes(_ options: Options, against dataset: Dataset, resolved: ResolvedConfiguration,
                                inference: Bool) throws {
        let train = dataset.train.count, test = dataset.test.count
        if resolved.hasVectorBatchNorm, options.batchSizes.contains(1) {
            let bn = resolved["model.architecture"] == "layers" ? "a batch_norm entry after flatten/fc in model.layers"
                : "model.bn = \(resolved["model.bn"].canonicalJSON)"
            throw BadInput("--batch-sizes \(text(options.batchSizes)): 1 is too small for batch norm on vector data (\(bn)), "
                           + "which needs at least 2 samples per minibatch; use batch sizes ≥ 2, or --set model.bn=none")
        }
        if let bad = options.batchSizes.first(where: { $0 > train }) {
            var why: [String] = [], fixes = ["use batch sizes of at most \(train)"]
            if let limit = resolved["dataset.train_limit"].integerValue {
                why.append("dataset.train_limit = \(limit)")
                fixes.append("raise dataset.train_limit")
            }
            if let held = resolved["dataset.validation"].integerValue, held > 0 {
                why.append("dataset.validation = \(held) held out")
                fixes.append("lower dataset.validation")
            }
            throw BadInput("--batch-sizes \(text(options.batchSizes)): \(bad) is larger than the training set, which holds "
                           + "\(train) samples" + (why.isEmpty ? "" : " (\(why.joined(separator: ", ")))")
                           + "; " + fixes.joined(separator: ", or "))
        }
        if inference, let bad = options.inferenceBatchSizes.first(where: { $0 > test }) {
            let why = resolved["dataset.test_limit"].integerValue.map { " (dataset.test_limit = \($0))" } ?? ""
            throw BadInput("--inference-batch-sizes \(text(options.inferenceBatchSizes)): \(bad) is larger than the test set, "
                           + "which holds \(test) images\(why); use batch sizes of at most \(test), or none")
        }
    }

    /// "16,64" for a list, "none" for an empty one (as the options are written).
    static func text(_ list: [Int]) -> String {
        list.isEmpty ? "none" : list.map(String.init).joined(separator: ",")
    }

    /// Keys `exp bench` does not use, refused in `--set` with what to give instead: the bench
    /// times the batch sizes of `--batch-sizes` at the thread counts of `--threads`, and writes
    /// no files and runs no plugins.
    static let unusedKeys: [(prefix: String, hint: String)] = [
        ("training.batch_size", "it times the batch sizes of --batch-sizes: give them there, e.g. --batch-sizes VALUE"),
        ("training.threads", "it times the thread counts of --threads: give them there, e.g. --threads VALUE"),
        ("exports", "it writes no files: remove this --set"),
        ("plugins", "it runs no plugins: remove this --set"),
    ]

    /// The keys of the resolved configuration `Report.configuration` leaves out, because the bench
    /// does not use them (each row has its own batch size and thread count).
    static let omittedSections = ["exports", "plugins"], omittedTrainingKeys = ["batch_size", "threads"]

    /// The resolved configuration of SPEC.md's defaults with `--set` overrides, without the keys
    /// the bench does not use (`unusedKeys`): those are neither accepted in `--set` nor checked
    /// against the dataset (`ConfigurationResolver.checksRunKeysAgainstDataset` off), nor
    /// reported.
    /// - Throws: `BadInput` for a `--set` of an unused key; `ConfigurationError` for bad overrides.
    static func resolve(_ overrides: [String]) throws -> ResolvedConfiguration {
        let parsed = try overrides.map { try Override.parse($0) }
        for override in parsed {
            if let unused = unusedKeys.first(where: { override.key == $0.prefix || override.key.hasPrefix($0.prefix + ".") }) {
                let value = override.value.stringValue ?? override.value.canonicalJSON
                throw BadInput("--set \(override.key)=\(override.value.canonicalJSON): exp bench does not use \(override.key); "
                               + unused.hint.replacingOccurrences(of: "VALUE", with: value))
            }
        }
        var resolver = ConfigurationResolver(file: "--set")
        resolver.checksRunKeysAgainstDataset = false
        let resolved = try resolver.resolve(base: Override.apply(parsed, to: .object(JSONObject())), seed: 0)
        var root = resolved.json.objectValue!
        for section in omittedSections { root[section] = nil }
        if var training = root["training"]?.objectValue {
            for key in omittedTrainingKeys { training[key] = nil }
            root["training"] = .object(training)
        }
        return ResolvedConfiguration(json: .object(root))
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
