import Foundation
@testable import Experiments
import HDF5
import XCTest

/// Damaged, foreign and inconsistent files give `ResultsFileError`s that name the file, the
/// problem and the remedy.
final class ResultsErrorTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try ResultsFixtures.directory(self) }

    private func problem(_ body: () throws -> Void) -> ResultsFileError.Problem? {
        do { try body() } catch let error as ResultsFileError { return error.problem } catch { XCTFail("\(error)") }
        return nil
    }

    private func writeMetrics(_ path: String) throws {
        try MetricsFile.write(ResultsFixtures.record(), to: path, provenance: try ResultsFixtures.provenance(configJSON: "{}"))
    }

    func testMissingFile() {
        XCTAssertEqual(problem { _ = try MetricsFile.read(from: directory + "/metrics.h5") }, .missing)
        XCTAssertEqual(problem { _ = try WeightsFile.epochs(in: directory) }, .missing, "a directory is not a file")
    }

    func testGarbageAndTruncatedFiles() throws {
        let garbage = directory + "/metrics.h5"
        try Data("not an HDF5 file at all\n".utf8).write(to: URL(fileURLWithPath: garbage))
        XCTAssertEqual(problem { _ = try MetricsFile.read(from: garbage) }, .notHDF5(hasSignature: false))
        try Data().write(to: URL(fileURLWithPath: garbage))
        XCTAssertEqual(problem { _ = try MetricsFile.read(from: garbage) }, .notHDF5(hasSignature: false))

        let whole = directory + "/whole.h5"
        try writeMetrics(whole)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let truncated = directory + "/truncated.h5"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        XCTAssertEqual(problem { _ = try MetricsFile.read(from: truncated) }, .notHDF5(hasSignature: true))
        let error = ResultsFileError(path: "r/metrics.h5", kind: .metrics, problem: .notHDF5(hasSignature: false))
        XCTAssertEqual(error.description, "r/metrics.h5 is truncated or not an HDF5 file; rerun with --force or let exp run rerun this run")
    }

    func testWrongFormatAndVersion() throws {
        let path = directory + "/metrics.h5"
        try writeMetrics(path)
        XCTAssertEqual(problem { _ = try WeightsFile.read(from: path) }, .wrongFormat(found: "exp-metrics"))
        XCTAssertEqual(problem { _ = try CheckpointFile.read(from: path, as: Float.self) }, .wrongFormat(found: "exp-metrics"))
        try HDF5File.writeAtomically(to: directory + "/plain.h5") { _ in }
        XCTAssertEqual(problem { _ = try MetricsFile.read(from: self.directory + "/plain.h5") }, .wrongFormat(found: nil))
        try HDF5File.writeAtomically(to: directory + "/v2.h5") { file in
            try file.setAttribute("format", .string("exp-weights"))
            try file.setAttribute("format_version", .int64(2))
        }
        XCTAssertEqual(problem { _ = try WeightsFile.read(from: self.directory + "/v2.h5") }, .unsupportedVersion(found: 2))
        let description = ResultsFileError(path: "w.h5", kind: .weights, problem: .unsupportedVersion(found: 2)).description
        XCTAssertTrue(description.contains("format_version 2 is not supported"), description)
    }

    func testMissingDatasetAndWrongShape() throws {
        let path = directory + "/metrics.h5"
        try writeMetrics(path)
        let provenance = try ResultsFixtures.provenance(configJSON: "{}")
        // The wrapper cannot delete links: write the damaged layouts directly.
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("format", .string("exp-metrics"))
            try file.setAttribute("format_version", .int64(1))
            try provenance.write(to: file)
            try file.writeDataset("epoch/epoch", values: [Int32(0), 1], shape: [2])
        }
        XCTAssertEqual(problem { _ = try MetricsFile.read(from: path) }, .missingObject("/epoch/train_loss"))
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("format", .string("exp-metrics"))
            try file.setAttribute("format_version", .int64(1))
            try provenance.write(to: file)
            try file.writeDataset("epoch/epoch", values: [Int32(0), 1], shape: [2])
            for name in ["train_loss", "train_accuracy", "test_loss", "test_accuracy", "learning_rate", "seconds"] {
                let rows = name == "seconds" ? 3 : 2
                try file.writeDataset("epoch/" + name, values: [Double](repeating: 0.5, count: rows), shape: [rows])
            }
        }
        XCTAssertEqual(problem { _ = try MetricsFile.read(from: path) }, .wrongShape(object: "/epoch/seconds", expected: [2], found: [3]))
    }

    func testMissingAttributeAndWrongType() throws {
        let path = directory + "/weights.h5"
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("format", .string("exp-weights"))
            try file.setAttribute("format_version", .int64(1))
            try file.setAttribute("config_json", .string("{}"))
            try file.setAttribute("last_epoch", .int64(0))
            let layer = try file.createGroup("epoch_0000/P0")
            try layer.setAttribute("layer", .string("conv"))
            try layer.writeDataset("w", values: [Double](repeating: 0, count: 150), shape: [6, 1, 5, 5])
        }
        XCTAssertEqual(problem { _ = try WeightsFile.read(from: path) }, .missingObject("/epoch_0000/P0@index"))
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("format", .string("exp-weights"))
            try file.setAttribute("format_version", .int64(1))
            try file.setAttribute("config_json", .string("{}"))
            try file.setAttribute("last_epoch", .int64(0))
            let layer = try file.createGroup("epoch_0000/P0")
            try layer.setAttribute("layer", .string("conv"))
            try layer.setAttribute("index", .int64(1))
            try layer.writeDataset("w", values: [Double](repeating: 0, count: 150), shape: [6, 1, 5, 5])
        }
        XCTAssertEqual(problem { _ = try WeightsFile.read(from: path) },
                       .wrongType(object: "/epoch_0000/P0/w", expected: "float32", found: "float64"))
    }
}
