import Foundation
import XCTest

/// A full disk is a failure (SPEC.md exit 1), not bad input (64): `exp run` when sweep.json
/// cannot be written, `exp report` when a notebook cannot. Runs on a small tmpfs filled to the
/// last byte; skipped where mounting one is not permitted.
final class FullDiskCLITests: XCTestCase {
    /// A 64 KiB tmpfs under a temporary directory, filled up by one file.
    func fullDisk() throws -> String {
        let mountPoint = try temporaryDirectory(self, "full") + "/disk"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard Glibc.mount("tmpfs", mountPoint, "tmpfs", 0, "size=64k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here: \(String(cString: strerror(errno)))")
        }
        addTeardownBlock { _ = Glibc.umount(mountPoint) }
        let fd = open(mountPoint + "/filler", O_WRONLY | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let block = [UInt8](repeating: 0, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        close(fd)
        return mountPoint
    }

    func testSweepJSONOnAFullDiskExitsOne() throws {
        let disk = try fullDisk()
        let dir = try temporaryDirectory(self)
        try #"{"name": "full", "base": {"dataset": {"train_limit": 64, "test_limit": 10}, "training": {"epochs": 1}}}"#
            .write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        let (code, _, stderr) = try runExp(["run", dir + "/sweep.json", "--results", disk + "/results"])
        XCTAssertEqual(code, 1, stderr)
        XCTAssertTrue(stderr.contains("exp: cannot write \(disk)/results/full/sweep.json: No space left on device"), stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: disk + "/results/full/sweep.json"))
    }

    func testReportOnAFullDiskExitsOne() throws {
        let disk = try fullDisk()
        let results = try temporaryDirectory(self) + "/results"
        try FileManager.default.createDirectory(atPath: results + "/s", withIntermediateDirectories: true)
        try #"{"name": "s", "description": "", "definition": {"name": "s"}, "commands": [], "runs": []}"#
            .write(toFile: results + "/s/sweep.json", atomically: true, encoding: .utf8)
        let (code, _, stderr) = try runExp(["report", "--results", results, "--out", disk + "/out"])
        XCTAssertEqual(code, 1, stderr)
        XCTAssertTrue(stderr.contains("No space left on device"), stderr)
    }
}
