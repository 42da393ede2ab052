import Experiments
import Foundation
import XCTest

/// Two `exp run` processes on the same results directory never train the same run twice.
final class ConcurrentProcessesTests: XCTestCase {
    static let directoryVariable = "EXP_TEST_CONCURRENT_DIR"
    static let sweep = smallSweep(name: "shared", extra: #", "seeds": [0, 1, 2, 3, 4, 5]"#)
        .replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 1")

    /// The child side: runs the sweep and writes the directories it trained to a file.
    func testChildRunsSharedSweep() throws {
        guard let dir = ProcessInfo.processInfo.environment[Self.directoryVariable] else {
            throw XCTSkip("runs only as a child of testTwoProcessesShareTheRuns")
        }
        let summary = try runSweep(Self.sweep, in: dir)
        let trained = summary.runs.filter(\.trained).map(\.directory)
        try trained.joined(separator: "\n").write(toFile: dir + "/trained-\(getpid())", atomically: true, encoding: .utf8)
    }

    func testTwoProcessesShareTheRuns() throws {
        let dir = try makeTemporaryDirectory(self)
        try Self.sweep.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        let executable = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let children = (0..<2).map { _ -> Process in
            let child = Process()
            child.executableURL = executable
            child.arguments = ["ExperimentsTests.ConcurrentProcessesTests/testChildRunsSharedSweep"]
            child.environment = ProcessInfo.processInfo.environment.merging([Self.directoryVariable: dir]) { $1 }
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            return child
        }
        for child in children { try child.run() }
        for child in children { child.waitUntilExit() }
        XCTAssertEqual(children.map(\.terminationStatus), [0, 0])
        let lists = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("trained-") }
            .map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8).split(separator: "\n").map(String.init) }
        XCTAssertEqual(lists.count, 2)
        let all = lists.flatMap { $0 }
        XCTAssertEqual(all.count, 6, "every run trained exactly once: \(lists)")
        XCTAssertEqual(Set(all).count, 6)
        XCTAssertTrue(try statuses(dir, sweep: "shared").values.allSatisfy { $0.state == .completed })
        let sweepJSON = try JSONParser.parse(String(contentsOfFile: dir + "/results/shared/sweep.json", encoding: .utf8))
        XCTAssertEqual(sweepJSON[path: "commands"]?.arrayValue?.count, 2)
        XCTAssertEqual(sweepJSON[path: "runs"]?.arrayValue?.count, 6)
    }
}
