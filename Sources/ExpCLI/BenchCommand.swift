// `exp bench`: training-step and inference throughput of the configured network (SPEC.md).

import ArgumentParser
import Experiments
import Foundation
import Tensor

/// `exp bench [--set KEY=VALUE]... [--batch-sizes 16,64,256] [--inference-batch-sizes 1000]
/// [--threads 1,2] [--steps N] [--repetitions N] [--format text|json]`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training-step and inference throughput on real MNIST batches.",
        discussion: """
            Medians over --repetitions timings of --steps warm SGD steps each (min and max in \
            brackets), seconds per epoch (60,000 training / 10,000 test samples) and the peak \
            resident memory. Build with `swift build -c release`: debug numbers are meaningless.
            Example: exp bench --batch-sizes 64 --threads 2 --format json
            """)

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a configuration key, e.g. model.bn=before (repeatable); not training.batch_size or training.threads (give --batch-sizes, --threads), exports or plugins, which the bench does not use.", valueName: "KEY=VALUE"))
    var overrides: [String] = []
    @Option(help: ArgumentHelp("Training batch sizes, comma-separated, each at most the training set (none: no training).", valueName: "LIST"))
    var batchSizes: String = "16,64,256"
    @Option(help: ArgumentHelp("Inference batch sizes, comma-separated, each at most the test set (none: no inference).", valueName: "LIST"))
    var inferenceBatchSizes: String = "1000"
    @Option(help: ArgumentHelp("Engine thread counts, comma-separated, each in 1…256.", valueName: "LIST"))
    var threads: String = "1,2"
    @Option(help: "Timed SGD steps per repetition (1…100000).")
    var steps: Int = 50
    @Option(help: "Timed repetitions, 1…1000 (the median is reported).")
    var repetitions: Int = 5
    @Option(help: "text or json.")
    var format: BenchEntry.Format = .text
    @Flag(help: "Instead: per-layer forward/backward times at the first batch size and thread count.")
    var profile = false

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; benchmark numbers are meaningless without `-c release`")
        #endif
        let options = try reportingBadInput { () throws -> BenchEntry.Options in
            var options = BenchEntry.Options()
            options.overrides = overrides
            options.batchSizes = try list(batchSizes, "--batch-sizes")
            options.inferenceBatchSizes = try list(inferenceBatchSizes, "--inference-batch-sizes")
            options.threads = try list(threads, "--threads")
            options.steps = steps
            options.repetitions = repetitions
            return options
        }
        if profile {
            if format == .json {
                printError("exp bench --profile prints a text table only; drop --format json (or --profile)")
                throw ExitCode(64)
            }
            let times = try reportingBadInput { try BenchEntry.profile(options) }
            try printOutput(BenchEntry.profileText(times, batchSize: options.batchSizes[0], threads: options.threads[0]))
            return
        }
        let report = try reportingBadInput { () throws -> BenchEntry.Report in
            try BenchEntry.run(options) { line in
                StandardStreams.writeDiagnostic("bench: \(line)\n")
            }
        }
        try printOutput(format == .json ? report.json : report.text)
    }

    /// "16,64,256" → [16, 64, 256]; "none" (or an empty string) is an empty list. An empty item
    /// ("16,,64", "64,") is an error, not skipped.
    /// - Throws: `ValidationError` naming the option and the item.
    private func list(_ text: String, _ option: String) throws -> [Int] {
        if text == "none" || text.isEmpty { return [] }
        return try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
            guard let value = Int(item.trimmingCharacters(in: .whitespaces)), value >= 1 else {
                throw ValidationError("\(option): '\(item)' in '\(text)' is not a positive integer (write e.g. 16,64,256 or none)")
            }
            return value
        }
    }
}

extension BenchEntry.Format: ExpressibleByArgument {}
