import Foundation
import HDF5
import TestSupport
import XCTest

/// `CommitQueue`: the deferred fsync + rename of atomic writes, in submission order; after a
/// failure nothing later is committed (so the files in place are those of a prefix of the writes).
final class CommitQueueTests: XCTestCase {
    struct Failure: Error, Equatable { let step: Int }

    func testStepsRunInOrderAndAFailureAbandonsEveryLaterStep() throws {
        let queue = CommitQueue()
        let lock = NSLock()
        var log: [String] = []
        func record(_ entry: String) { lock.lock(); log.append(entry); lock.unlock() }
        let gate = queue.blockUntilSignalled()
        for step in 1...4 {
            queue.submit(path: "file\(step)", commit: {
                if step == 2 { throw Failure(step: 2) }
                record("commit \(step)")
            }, abandon: { record("abandon \(step)") })
        }
        lock.lock()
        XCTAssertEqual(log, [], "nothing runs while the queue is blocked")
        lock.unlock()
        gate.signal()
        XCTAssertThrowsError(try queue.wait()) { XCTAssertEqual($0 as? Failure, Failure(step: 2)) }
        XCTAssertEqual(log, ["commit 1", "abandon 3", "abandon 4"])
        // The queue stays failed: every later wait, settle and step says so; new steps are abandoned.
        XCTAssertThrowsError(try queue.wait()) { XCTAssertEqual($0 as? Failure, Failure(step: 2)) }
        XCTAssertThrowsError(try queue.settle("other")) { XCTAssertEqual($0 as? Failure, Failure(step: 2)) }
        queue.submit(path: "file5", commit: { record("commit 5") }, abandon: { record("abandon 5") })
        XCTAssertThrowsError(try queue.wait())
        XCTAssertEqual(log.last, "abandon 5")
    }

    /// `settle` waits only when a pending step writes the path; `wait` on an idle queue returns.
    func testSettleWaitsOnlyForItsPath() throws {
        let queue = CommitQueue()
        try queue.wait()
        let gate = queue.blockUntilSignalled(path: "busy")
        let start = Date()
        try queue.settle("idle")
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5, "a path without a pending step does not wait")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { gate.signal() }
        try queue.settle("busy")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.19, "settle waited for the step writing the path")
        try queue.wait()
    }

    /// `HDF5File.writeAtomically` with a queue: the file is complete in its temporary when the call
    /// returns and appears under its name only when the queue runs; a second write of the same path
    /// waits for the first; a rename that fails (a directory in the way) is thrown by `wait()`,
    /// with the temporary removed and the directory untouched.
    func testDeferredHDF5WritesAppearInOrderAndFailuresReachWait() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/a.h5", temporary = path + ".tmp.\(getpid())"
        let queue = CommitQueue()
        let gate = queue.blockUntilSignalled()
        try HDF5File.writeAtomically(to: path, commits: queue) { try $0.setAttribute("generation", .int64(1)) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "not renamed while the queue is blocked")
        XCTAssertTrue(FileManager.default.fileExists(atPath: temporary))
        gate.signal()
        try HDF5File.writeAtomically(to: path, commits: queue) { try $0.setAttribute("generation", .int64(2)) }
        try queue.wait()
        let file = try HDF5File.open(path)
        XCTAssertEqual(try file.int64Attribute("generation"), 2)
        try file.close()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["a.h5"])

        let blocked = directory + "/dir.h5"
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        try HDF5File.writeAtomically(to: blocked, commits: queue) { try $0.setAttribute("generation", .int64(3)) }
        XCTAssertThrowsError(try queue.wait()) { error in
            XCTAssertEqual((error as? HDF5Error)?.operation, "commit file", "\(error)")
            XCTAssertTrue("\(error)".contains(blocked), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["a.h5", "dir.h5"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: blocked), ["inside"])
    }
}
