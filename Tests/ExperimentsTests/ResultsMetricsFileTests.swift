import Foundation
@testable import Experiments
import HDF5
import XCTest

final class ResultsMetricsFileTests: XCTestCase {
    func testRoundTripIsBitExact() throws {
        let directory = try ResultsFixtures.directory(self)
        let configuration = try ResultsFixtures.configuration(validation: 5000)
        let provenance = try ResultsFixtures.provenance(configJSON: configuration.json.canonicalJSON)
        let record = ResultsFixtures.record()
        try MetricsFile.write(record, to: directory + "/metrics.h5", provenance: provenance)
        let read = try MetricsFile.read(from: directory + "/metrics.h5")
        XCTAssertEqual(read.provenance, provenance)
        XCTAssertEqual(read.record.epochs.count, 4)
        XCTAssertEqual(read.record.steps.count, 15)
        XCTAssertEqual(read.record.diagnostics, record.diagnostics)
        // Bit patterns, not ==: −0.0 and subnormals must survive.
        for (a, b) in zip(read.record.epochs, record.epochs) {
            XCTAssertEqual(a.epoch, b.epoch)
            XCTAssertEqual(a.testLoss.bitPattern, b.testLoss.bitPattern)
            XCTAssertEqual(a.validationAccuracy?.bitPattern, b.validationAccuracy?.bitPattern)
        }
        XCTAssertEqual(read.record, record)
        XCTAssertEqual(try HDF5File.open(directory + "/metrics.h5").readDataset("epoch/epoch", as: Int32.self).values, [0, 1, 2, 3])
    }

    func testWithoutValidationOrDiagnosticsOrSteps() throws {
        let directory = try ResultsFixtures.directory(self)
        let provenance = try ResultsFixtures.provenance(configJSON: "{}")
        var record = ResultsFixtures.record(epochs: 1, validation: false, diagnostics: false)
        record.steps = []
        try MetricsFile.write(record, to: directory + "/metrics.h5", provenance: provenance)
        let read = try MetricsFile.read(from: directory + "/metrics.h5")
        XCTAssertEqual(read.record, record)
        XCTAssertFalse(read.record.hasValidation)
        let file = try HDF5File.open(directory + "/metrics.h5")
        defer { try? file.close() }
        XCTAssertEqual(try file.children(), ["diagnostics", "epoch", "step"])
        XCTAssertFalse(try file.exists("epoch/val_loss"))
        XCTAssertEqual(try file.openDataset("step/train_loss").shape(), [0])
    }

    func testRootAttributesAreTheSpecsWithTheirTypes() throws {
        let directory = try ResultsFixtures.directory(self)
        try MetricsFile.write(ResultsFixtures.record(), to: directory + "/m.h5", provenance: try ResultsFixtures.provenance(configJSON: "{\"a\":1}"))
        let file = try HDF5File.open(directory + "/m.h5")
        defer { try? file.close() }
        XCTAssertEqual(try file.attributeNames(), ["blas", "config_json", "datasets", "engine_version", "format", "format_version",
                                                  "git_commit", "git_dirty", "host", "run_id", "seed", "skipped_samples_per_epoch",
                                                  "sweep", "swift_version"])
        XCTAssertEqual(try file.stringAttribute("format"), "exp-metrics")
        XCTAssertEqual(try file.int64Attribute("format_version"), 1)
        XCTAssertEqual(try file.int64Attribute("git_dirty"), 1)
        XCTAssertEqual(try file.stringAttribute("blas"), #"{"core":"Haswell","library":"openblas","threads":1}"#)
        XCTAssertTrue(try file.stringAttribute("datasets").hasPrefix(#"{"files":[{"content_sha256":"#))
    }

    /// A write that fails half-way (a diagnostics key that is both a dataset and a group)
    /// leaves the previous file intact and no temporary behind.
    func testAFailedWriteLeavesThePreviousFileIntact() throws {
        let directory = try ResultsFixtures.directory(self)
        let path = directory + "/metrics.h5"
        let provenance = try ResultsFixtures.provenance(configJSON: "{}")
        let good = ResultsFixtures.record(epochs: 2)
        try MetricsFile.write(good, to: path, provenance: provenance)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var bad = ResultsFixtures.record(epochs: 3)
        bad.diagnostics = ["P0": [1, 2, 3], "P0/grad_norm": [1, 2, 3]]
        XCTAssertThrowsError(try MetricsFile.write(bad, to: path, provenance: provenance)) { error in
            XCTAssertTrue(error is HDF5Error, "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try MetricsFile.read(from: path).record, good)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["metrics.h5"])
    }

    /// Two writes of the same record give the same bytes (SPEC.md "Bit-identical").
    func testWritesAreDeterministic() throws {
        let directory = try ResultsFixtures.directory(self)
        let provenance = try ResultsFixtures.provenance(configJSON: "{}")
        try MetricsFile.write(ResultsFixtures.record(), to: directory + "/a.h5", provenance: provenance)
        try MetricsFile.write(ResultsFixtures.record(), to: directory + "/b.h5", provenance: provenance)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/a.h5")),
                       try Data(contentsOf: URL(fileURLWithPath: directory + "/b.h5")))
    }
}
