import Experiments
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
        // training.batch_size is not timed (--batch-sizes is); the config shows its default.
        XCTAssertEqual(json[path: "config.training.batch_size"]?.integerValue, 64)
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

    /// A batch size the user sets is reported as set.
    func testConfigKeepsTheUsersBatchSize() throws {
        var options = BenchEntry.Options()
        options.overrides = ["dataset.path=\(Self.mnist)", "training.batch_size=32"]
        options.batchSizes = [8]
        options.inferenceBatchSizes = []
        options.threads = [1]
        options.steps = 1
        options.repetitions = 1
        options.warmupSteps = 0
        let json = try JSONParser.parse(try BenchEntry.run(options).json)
        XCTAssertEqual(json[path: "config.training.batch_size"]?.integerValue, 32)
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
