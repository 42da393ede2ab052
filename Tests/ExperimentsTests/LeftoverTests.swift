import Experiments
import Foundation
import TestSupport
import XCTest

/// What a process killed at the wrong moment leaves behind is cleaned up by the next run
/// (found by scripts/fault-injection.sh): temporaries of dead writers, and the lock of a run
/// whose final status.json was written just before the kill.
final class LeftoverTests: XCTestCase {
    func testStaleTemporariesAreRemovedNotOursNorLinks() throws {
        let dir = try makeTemporaryDirectory(self)
        let dead = try deadPID()
        try FileManager.default.createDirectory(atPath: dir + "/kernels/epoch_0001", withIntermediateDirectories: true)
        for name in ["metrics.h5.tmp.\(dead)", "kernels/epoch_0001/P0.png.tmp.\(dead)", "status.json.tmp.\(getpid())",
                     "notes.tmp.txt", "config.json"] {
            try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: dir + "/weights.h5.tmp.\(dead)", withDestinationPath: "/etc/hostname")
        let removed = AtomicFile.removeStaleTemporaries(under: dir).sorted()
        XCTAssertEqual(removed, [dir + "/kernels/epoch_0001/P0.png.tmp.\(dead)", dir + "/metrics.h5.tmp.\(dead)"])
        let left = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
        XCTAssertEqual(left, ["config.json", "kernels", "kernels/epoch_0001", "notes.tmp.txt", "status.json.tmp.\(getpid())",
                              "weights.h5.tmp.\(dead)"])
        XCTAssertEqual(AtomicFile.removeStaleTemporaries(under: dir + "/kernels", recursive: false), [])
    }

    func testDeadProcessLockOfACompletedRunIsRemoved() throws {
        let dir = try makeTemporaryDirectory(self)
        let text = smallSweep().replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 1")
        let first = try runSweep(text, in: dir)
        let run = dir + "/results/small/" + first.runs[0].directory
        try "{\"host\":\"\(RunLock.hostName)\",\"pid\":\(try deadPID())}\n".write(toFile: run + "/lock", atomically: false, encoding: .utf8)
        try "x".write(toFile: dir + "/results/small/sweep.json.tmp.\(try deadPID())", atomically: false, encoding: .utf8)
        let second = try runSweep(text, in: dir)
        XCTAssertEqual(second.runs.map(\.trained), [false])
        XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/lock"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/results/small").sorted(),
                       ["seed=0-\(first.runs[0].directory.suffix(8))", "sweep.json"])
    }
}
