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

    func testBadInputIsAConfigurationError() {
        var options = BenchEntry.Options()
        options.overrides = ["model.no_such_key=1"]
        XCTAssertThrowsError(try BenchEntry.run(options)) { XCTAssertTrue($0 is ConfigurationError, "\($0)") }
        options = BenchEntry.Options()
        options.steps = 0
        XCTAssertThrowsError(try BenchEntry.run(options))
    }
}
