import Foundation
import XCTest

/// `exp run` refuses a results directory it cannot create safely before any training: exit 64,
/// a message naming the offending path, nothing written.
final class ResultsPathCLITests: XCTestCase {
    let sweep = #"{"name": "small", "base": {"dataset": {"train_limit": 64, "test_limit": 10}, "training": {"epochs": 1}}}"#

    func testResultsUnderARegularFileExits64NamingThePath() throws {
        let dir = try temporaryDirectory(self)
        try sweep.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        let (code, _, stderr) = try runExp(["run", dir + "/sweep.json", "--results", dir + "/file/results"])
        XCTAssertEqual(code, 64, stderr)
        XCTAssertTrue(stderr.contains("exp: cannot write \(dir)/file: exists and is not a directory"), stderr)
        XCTAssertEqual(try String(contentsOfFile: dir + "/file", encoding: .utf8), "x")
    }

    func testSymlinkedSweepDirectoryExits64NamingTheLink() throws {
        let dir = try temporaryDirectory(self)
        let elsewhere = try temporaryDirectory(self, "elsewhere")
        try sweep.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/results", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir + "/results/small", withDestinationPath: elsewhere)
        let (code, _, stderr) = try runExp(["run", dir + "/sweep.json", "--results", dir + "/results"])
        XCTAssertEqual(code, 64, stderr)
        XCTAssertTrue(stderr.contains("exp: cannot write \(dir)/results/small: is a symbolic link"), stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [])
    }

    /// `exp run` ignores SIGINT/SIGTERM while it trains (a dispatch source handles them) and
    /// restores them afterwards: ignored signals are inherited across exec, and a test process
    /// that kept them ignored could no longer stop the servers it starts (FetchTests hung).
    func testSignalDispositionsAreRestoredAfterARun() throws {
        let dir = try temporaryDirectory(self)
        try sweep.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        func ignored(_ signalNumber: Int32) throws -> Bool {
            // SigIgn in /proc/self/status: a hex mask, bit n − 1 for signal n.
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") })
            let mask = try XCTUnwrap(UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16))
            return mask & (1 << UInt64(signalNumber - 1)) != 0
        }
        XCTAssertFalse(try ignored(SIGTERM))
        let (code, _, stderr) = try runExp(["run", dir + "/sweep.json", "--results", dir + "/results"])
        XCTAssertEqual(code, 0, stderr)
        XCTAssertFalse(try ignored(SIGTERM), "SIGTERM still ignored after exp run")
        XCTAssertFalse(try ignored(SIGINT), "SIGINT still ignored after exp run")
    }
}
