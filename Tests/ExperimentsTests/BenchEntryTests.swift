@testable import Experiments
import Foundation
import XCTest

/// `exp bench`'s entry point on the committed MNIST: the JSON of SPEC.md, sane numbers, bad input.
final class BenchEntryTests: XCTestCase {
    static let mnist = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/mnist").path

    func testJSONHasSpecShape() throws {
        var options = BenchEntry.Options()
        options.overrides = ["dataset.path=\(Self.mnist)"]
        options.batchSizes = [8]
        options.inferenceBatchSizes = [100]
        options.threads = [1, 2]
        options.steps = 2
        options.repetitions = 3
        options.warmupSteps = 1
        let report = try BenchEntry.run(options)
        let json = try JSONParser.parse(report.json)
        XCTAssertEqual(json[path: "config.model.architecture"]?.stringValue, "lenet5")
        // Keys the bench does not use are not reported: each row has its batch size and threads
        // (the config used to show training.batch_size's default 64, which was not timed).
        XCTAssertNil(json[path: "config.training.batch_size"])
        XCTAssertNil(json[path: "config.training.threads"])
        XCTAssertNil(json[path: "config.exports"])
        XCTAssertNil(json[path: "config.plugins"])
        XCTAssertEqual(json[path: "config.training.momentum"]?.numberValue, 0)
        XCTAssertEqual(json[path: "config.dataset.path"]?.stringValue, Self.mnist)
        XCTAssertGreaterThan(json[path: "peak_rss_bytes"]?.integerValue ?? 0, 0)
        let train = json[path: "train"]?.arrayValue ?? []
        XCTAssertEqual(train.map { $0[path: "threads"]?.integerValue }, [1, 2])
        for row in train + (json[path: "inference"]?.arrayValue ?? []) {
            let median = row[path: "samples_per_second"]?.numberValue ?? 0
            XCTAssertGreaterThan(median, 0)
            XCTAssertLessThanOrEqual(row[path: "samples_per_second_min"]?.numberValue ?? .infinity, median)
            XCTAssertGreaterThanOrEqual(row[path: "samples_per_second_max"]?.numberValue ?? 0, median)
            XCTAssertNotNil(row[path: "seconds_per_epoch"]?.numberValue)
        }
        XCTAssertEqual(report.train[0].epochSamples, 60_000)
        XCTAssertEqual(report.inference.count, 2)
        XCTAssertTrue(report.text.contains("samples/s"))
    }

    /// Options for a quick measurement on the committed MNIST with `overrides`.
    func quick(_ overrides: [String], batchSizes: [Int], inference: [Int] = []) -> BenchEntry.Options {
        var options = BenchEntry.Options()
        options.overrides = ["dataset.path=\(Self.mnist)"] + overrides
        options.batchSizes = batchSizes
        options.inferenceBatchSizes = inference
        options.threads = [1]
        options.steps = 1
        options.repetitions = 1
        options.warmupSteps = 0
        return options
    }

    /// `--set` of a key the bench does not use is refused with what to give instead (a
    /// training.batch_size used to be accepted, shown in the JSON and ignored).
    func testKeysTheBenchDoesNotUseAreRefused() {
        let cases = [
            ("training.batch_size=32", "--set training.batch_size=32: exp bench does not use training.batch_size; it times the batch sizes of --batch-sizes: give them there, e.g. --batch-sizes 32"),
            ("training.threads=4", "--set training.threads=4: exp bench does not use training.threads; it times the thread counts of --threads: give them there, e.g. --threads 4"),
            ("exports.activation_images=[99999]", "--set exports.activation_images=[99999]: exp bench does not use exports.activation_images; it writes no files: remove this --set"),
            (#"plugins=[{"name":"diagnostics"}]"#, #"--set plugins=[{"name":"diagnostics"}]: exp bench does not use plugins; it runs no plugins: remove this --set"#),
        ]
        for (override, message) in cases {
            XCTAssertThrowsError(try BenchEntry.run(quick([override], batchSizes: [8]))) { error in
                XCTAssertTrue(error is BadInput, "\(error)")
                XCTAssertEqual("\(error)", message)
            }
        }
    }

    /// Keys only a run uses are not checked against the dataset: the placeholder batch size 2
    /// and the default activation images used to refuse these measurements.
    func testSmallDatasetsAreMeasuredAtTheGivenBatchSizes() throws {
        // Was "training.batch_size = 2: leaves a last minibatch of 1 of the 65 training samples".
        let report = try BenchEntry.run(quick(["dataset.train_limit=65"], batchSizes: [64]))
        XCTAssertEqual(report.train.map(\.batchSize), [64])
        // Was "training.batch_size = 2: must be ≤ the 1 training samples".
        XCTAssertEqual(try BenchEntry.run(quick(["dataset.train_limit=1"], batchSizes: [], inference: [10])).inference.map(\.batchSize), [10])
        XCTAssertEqual(try BenchEntry.run(quick(["dataset.train_limit=1", "model.bn=none"], batchSizes: [1])).train.map(\.batchSize), [1])
        // Was "exports.activation_images[1] = 1: must be a test-set index < 1".
        XCTAssertEqual(try BenchEntry.run(quick(["dataset.test_limit=1"], batchSizes: [], inference: [1])).inference.map(\.batchSize), [1])
        // n = 1 with batch norm on vector data cannot train: said in terms of --batch-sizes.
        XCTAssertThrowsError(try BenchEntry.run(quick(["dataset.train_limit=1"], batchSizes: [1]))) { error in
            XCTAssertEqual("\(error)", #"--batch-sizes 1: 1 is too small for batch norm on vector data (model.bn = "after"), "#
                           + "which needs at least 2 samples per minibatch; use batch sizes ≥ 2, or --set model.bn=none")
        }
        // The dataset keys themselves are still checked.
        XCTAssertThrowsError(try BenchEntry.run(quick(["dataset.test_limit=10001"], batchSizes: [8]))) { error in
            XCTAssertEqual("\(error)", "--set: dataset.test_limit = 10001: must be ≤ the 10000 test samples (1 … 10000), or null for all of them")
        }
    }

    /// With learning_rate_scaling, λ follows the timed batch size, not an unused training.batch_size.
    func testLearningRateScalingUsesTheTimedBatchSize() throws {
        let resolved = try BenchEntry.resolve([#"training.learning_rate_scaling={"rule":"linear","base_batch_size":64}"#])
        XCTAssertNil(resolved["training.batch_size"].integerValue)
        XCTAssertEqual(resolved.effectiveLearningRate, 0.1)
    }

    func testBadInputIsAConfigurationError() {
        var options = BenchEntry.Options()
        options.overrides = ["model.no_such_key=1"]
        XCTAssertThrowsError(try BenchEntry.run(options)) { XCTAssertTrue($0 is ConfigurationError, "\($0)") }
        options = BenchEntry.Options()
        options.steps = 0
        XCTAssertThrowsError(try BenchEntry.run(options))
        options = BenchEntry.Options()
        options.warmupSteps = -1
        XCTAssertThrowsError(try BenchEntry.run(options)) {
            XCTAssertEqual("\($0)", "warm-up steps -1: must be in 0…100000, e.g. 5 warm-up steps")
        }
        options.warmupSteps = 0
        options.threads = []
        XCTAssertThrowsError(try BenchEntry.profile(options)) {
            XCTAssertEqual("\($0)", "exp bench --profile --threads none: nothing to measure; give at least one thread count, e.g. --threads 1")
        }
    }

    /// The profile table names every layer (Swift Strings through `%s` used to print blanks).
    func testProfileTextNamesLayers() {
        let times = [BenchEntry.LayerTime(name: "1 convolution", forward: 0.25, backward: 0.5),
                     BenchEntry.LayerTime(name: "2 relu", forward: 0.125, backward: 0.125)]
        let lines = BenchEntry.profileText(times, batchSize: 64).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[2], "1 convolution        0.250     0.500")
        XCTAssertEqual(lines[3], "2 relu               0.125     0.125")
        XCTAssertEqual(lines[4], "sum                  0.375     0.625   total 1.000 ms")
    }
}
