import Experiments
import Foundation
import XCTest

/// Damaged earlier results: `exp status` lists the run as damaged with the reason, `exp run`
/// reruns it (from scratch: the files a resume would continue are gone) and ends with the bytes
/// of an undamaged run.
final class DamagedResultsTests: XCTestCase {
    static let sweep = smallSweep(name: "dmg", extra: #", "seeds": [0, 1, 2, 3, 4]"#)
        .replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 1").replacingOccurrences(of: "200", with: "50")

    /// Keeps the first half of a file.
    func truncate(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
    }

    /// Overwrites bytes 0..<512 (the HDF5 superblock and root group) with 0xA5.
    func garble(_ path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 512))
        try handle.close()
    }

    func render(_ dir: String) throws -> String {
        try StatusEntry.render(sweeps: [], results: dir + "/results", json: false,
                               catalog: PluginRegistry(extra: [InterruptAtStepPlugin.self]).catalog)
    }

    func testDamagedFinishedRunsAreListedAndRetrainedBitIdentical() throws {
        let dir = try makeTemporaryDirectory(self)
        let first = try runSweep(Self.sweep, in: dir)
        XCTAssertEqual(first.exitCode, 0)
        let reference = try resultBytes(dir + "/results/dmg")
        let runs = first.runs.map { dir + "/results/dmg/" + $0.directory }
        try truncate(runs[0] + "/metrics.h5")
        try truncate(runs[1] + "/weights.h5")
        try "{\"status\": \"compl".write(toFile: runs[2] + "/status.json", atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: runs[3] + "/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"learning_rate\": 0.1", with: "\"learning_rate\": 0.2")
            .write(toFile: runs[3] + "/config.json", atomically: true, encoding: .utf8)

        let listing = try render(dir)
        XCTAssertTrue(listing.hasPrefix("dmg: 5 runs (1 completed, 4 damaged)\n"), listing)
        let lines = listing.split(separator: "\n").dropFirst().map(String.init)
        XCTAssertTrue(lines[0].contains("damaged") && lines[0].contains(runs[0] + "/metrics.h5"), lines[0])
        XCTAssertTrue(lines[1].contains("damaged") && lines[1].contains(runs[1] + "/weights.h5"), lines[1])
        XCTAssertTrue(lines[2].contains("damaged") && lines[2].contains(runs[2] + "/status.json is damaged: not valid JSON"), lines[2])
        XCTAssertTrue(lines[3].contains("damaged") && lines[3].contains(runs[3] + "/config.json belongs to run"), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("  completed"), lines[4])

        let second = try runSweep(Self.sweep, in: dir)
        XCTAssertEqual(second.exitCode, 0)
        XCTAssertEqual(second.runs.map(\.trained), [true, true, true, true, false])
        XCTAssertEqual(second.runs.map(\.state), [.completed, .completed, .completed, .completed, .completed])
        let after = try resultBytes(dir + "/results/dmg")
        XCTAssertEqual(after.count, reference.count)
        for (key, bytes) in reference { XCTAssertEqual(after[key], bytes, key) }
        XCTAssertTrue(try render(dir).hasPrefix("dmg: 5 runs (5 completed)\n"))
    }

    /// An interrupted run whose checkpoint.h5 (or the weights.h5 it would continue) is garbled
    /// is damaged; the rerun trains it from scratch to the same bytes.
    func testGarbledCheckpointOfAnInterruptedRunIsRetrainedFromScratch() throws {
        let dir = try makeTemporaryDirectory(self)
        let text = smallSweep(name: "dmg", base: #", "plugins": [{"name": "interrupt-at-step"}]"#)
            .replacingOccurrences(of: "200", with: "50")
        try runSweep(smallSweep(name: "dmg").replacingOccurrences(of: "200", with: "50"), in: dir, results: "reference")
        for damage in [(file: "checkpoint.h5", garble: true), (file: "weights.h5", garble: false)] {
            try? FileManager.default.removeItem(atPath: dir + "/results")
            let flag = InterruptFlag()
            InterruptAtStepPlugin.flag = flag
            let first = try runSweep(text, in: dir, plugins: [InterruptAtStepPlugin.self], interrupt: flag)
            InterruptAtStepPlugin.flag = nil
            XCTAssertEqual(first.runs.map(\.state), [.interrupted])
            let run = dir + "/results/dmg/" + first.runs[0].directory
            if damage.garble { try garble(run + "/" + damage.file) } else { try truncate(run + "/" + damage.file) }
            let listing = try render(dir)
            XCTAssertTrue(listing.contains("damaged") && listing.contains(run + "/" + damage.file), listing)
            let second = try runSweep(text, in: dir, plugins: [InterruptAtStepPlugin.self])
            XCTAssertEqual(second.runs.map(\.state), [.completed])
            let reference = try resultBytes(dir + "/reference/dmg"), after = try resultBytes(dir + "/results/dmg")
            XCTAssertEqual(after.count, reference.count, damage.file)
            for (key, bytes) in reference { XCTAssertEqual(after[key], bytes, "\(damage.file): \(key)") }
        }
    }
}
