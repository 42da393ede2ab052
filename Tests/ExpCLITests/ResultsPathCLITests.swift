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
}
