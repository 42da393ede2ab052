@testable import Experiments
import Foundation
import XCTest

/// Throws at the end of epoch 1: the run fails there.
final class FailAtEpochOnePlugin: ExperimentPlugin {
    static let name = "fail-at-epoch-one"
    init(options: JSONObject) throws {}
    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        if case .epochEnd = event, context.epoch == 1 {
            throw BadInput("simulated write failure at epoch 1\nsecond line")
        }
        return .proceed
    }
}

/// What `exp run` tells the user on stderr (the runner's log): one line per failed run with
/// its reason, and a note when a sweep file replaces another definition of the same sweep.
final class RunMessagesTests: XCTestCase {
    func testARunFailingDuringTrainingLogsItsReasonOnOneLine() throws {
        let dir = try makeTemporaryDirectory(self)
        let log = MessageLog()
        let summary = try runSweep(smallSweep(base: #", "plugins": [{"name": "fail-at-epoch-one"}]"#), in: dir,
                                   plugins: [FailAtEpochOnePlugin.self], log: log)
        XCTAssertEqual(summary.exitCode, 1)
        let run = try XCTUnwrap(summary.runs.first?.directory)
        XCTAssertEqual(log.lines, ["\(run): failed: simulated write failure at epoch 1; second line"])
        XCTAssertEqual(try statuses(dir)[run]?.error, "simulated write failure at epoch 1\nsecond line")
    }

    /// 9×9 IDX images cannot go through lenet5 (28×28): the run fails when it builds its
    /// network, and says why.
    func testImagesOfTheWrongSizeLogTheReason() throws {
        let dir = try makeTemporaryDirectory(self)
        func idx(_ path: String, magic: UInt32, dimensions: [UInt32], bytes: [UInt8]) throws {
            var data = [UInt8]()
            for word in [magic] + dimensions { data += withUnsafeBytes(of: word.bigEndian) { Array($0) } }
            try Data(data + bytes).write(to: URL(fileURLWithPath: dir + "/" + path))
        }
        for (split, count) in [("train", 32), ("test", 8)] {
            try idx("\(split)-images", magic: 0x803, dimensions: [UInt32(count), 9, 9],
                    bytes: (0..<count * 81).map { UInt8($0 % 251) })
            try idx("\(split)-labels", magic: 0x801, dimensions: [UInt32(count)], bytes: (0..<count).map { UInt8($0 % 10) })
        }
        let log = MessageLog()
        let summary = try runSweep("""
            {"name": "small", "base": {"dataset": {"name": "idx", "train_images": "\(dir)/train-images",
              "train_labels": "\(dir)/train-labels", "test_images": "\(dir)/test-images", "test_labels": "\(dir)/test-labels"},
             "training": {"epochs": 1, "batch_size": 16}, "exports": {"activation_images": [0]}}}
            """, in: dir, log: log)
        XCTAssertEqual(summary.exitCode, 1)
        let run = try XCTUnwrap(summary.runs.first?.directory)
        let error = try XCTUnwrap(try statuses(dir)[run]?.error)
        XCTAssertEqual(log.lines, ["\(run): failed: " + error.split(whereSeparator: \.isNewline).joined(separator: "; ")])
        XCTAssertFalse(error.isEmpty)
    }

    /// Another sweep file with the same name: a note naming sweep.json, the sweep and the count
    /// of earlier runs; the same file again, or the first run, says nothing.
    func testAnotherDefinitionOfTheSameSweepIsNoted() throws {
        let dir = try makeTemporaryDirectory(self)
        let log = MessageLog()
        let first = smallSweep(base: #", "plugins": [{"name": "progress", "enabled": false}]"#, extra: #", "seeds": [0, 1]"#)
        try runSweep(first, in: dir, log: log)
        XCTAssertEqual(log.lines, [])
        // The same definition, formatted differently: no note.
        try runSweep(first.replacingOccurrences(of: "\n", with: " "), in: dir, log: log)
        XCTAssertEqual(log.lines, [])
        let second = smallSweep(base: #", "plugins": [{"name": "progress", "enabled": false}]"#, extra: #", "seeds": [5]"#)
        let summary = try runSweep(second, in: dir, log: log)
        XCTAssertEqual(summary.exitCode, 0)
        XCTAssertEqual(log.lines, ["note: \(dir)/results/small/sweep.json recorded another definition of sweep \"small\"; "
                                   + "its 2 earlier runs stay there (exp report shows them apart); give the sweep another name "
                                   + "or use --results to keep them apart"])
        // Runs are still found by id: sweep.json lists all three, with the new definition.
        let text = try String(contentsOfFile: dir + "/results/small/sweep.json", encoding: .utf8)
        let json = try JSONParser.parse(text)
        XCTAssertEqual(json[path: "runs"]?.arrayValue?.count, 3)
        XCTAssertEqual(json[path: "definition.seeds"]?.canonicalJSON, "[5]")
    }
}
