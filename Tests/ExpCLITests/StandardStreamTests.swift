import Experiments
import Foundation
import XCTest

/// Failed writes to stderr and stdout, in the real `exp` executable started through /bin/sh:
/// stderr on a full device, closed descriptors and a reader that goes away never kill a run
/// (no trap, no SIGPIPE): it completes and status.json says so. Results that cannot reach
/// stdout make the command exit 1 (SPEC.md: a failure) with a message on stderr.
final class StandardStreamTests: XCTestCase {
    static let sweep = #"""
        {"name": "streams", "base": {"dataset": {"train_limit": 128, "test_limit": 50},
         "training": {"epochs": 2, "batch_size": 64}, "exports": {"activation_images": [0]}}}
        """#

    /// The `exp` executable built next to the test bundle.
    static var exp: String? {
        guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var directory = (me as NSString).deletingLastPathComponent
        if directory.hasSuffix(".xctest") { directory = (directory as NSString).deletingLastPathComponent }
        let path = directory + "/exp"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    var directory = ""

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self, "streams")
        try Self.sweep.write(toFile: directory + "/c.json", atomically: true, encoding: .utf8)
        try "{".write(toFile: directory + "/bad.json", atomically: true, encoding: .utf8)
    }

    /// Runs `script` with /bin/sh in the test directory, `$EXP` the executable; returns the
    /// shell's exit status (the script reports exp's own status through a file where a pipe
    /// would hide it) and what the script wrote to its stdout and stderr.
    func shell(_ script: String) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let exp = Self.exp else { throw XCTSkip("no exp executable next to the tests") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(["EXP": exp, "SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// The status of the sweep's one run.
    func runStatus() throws -> RunStatus {
        let root = directory + "/results/streams"
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: root).first { $0.hasPrefix("seed=") })
        return try RunStatus.read(from: root + "/" + run + "/status.json")
    }

    func testRunWithStderrOnAFullDeviceCompletes() throws {
        let result = try shell(#""$EXP" run c.json 2>/dev/full"#)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("completed\tresults/streams/seed=0-"), result.stdout)
        XCTAssertEqual(try runStatus().state, .completed)
    }

    func testRunWithStdoutAndStderrClosedCompletesAndExitsOne() throws {
        let result = try shell(#""$EXP" run c.json 2>&- >&-"#)
        // The run completed; only its listing on stdout is lost.
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(try runStatus().state, .completed)
        // Nothing meant for stdout or stderr went into a results file opened on descriptor 1 or 2.
        let runDirectory = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: directory + "/results/streams")
            .first { $0.hasPrefix("seed=") })
        let config = try String(contentsOfFile: "\(directory)/results/streams/\(runDirectory)/config.json", encoding: .utf8)
        XCTAssertTrue(config.hasPrefix("{"), config)
        XCTAssertFalse(config.contains("exp:"), config)
    }

    func testReaderThatGoesAwayDoesNotKillTheRun() throws {
        let result = try shell(#"{ "$EXP" run c.json; echo $? > code; } 2>&1 | head -c 1; sleep 0"#)
        XCTAssertEqual(result.status, 0, result.stderr)
        let code = try String(contentsOfFile: directory + "/code", encoding: .utf8)
        // Not 141 (SIGPIPE): the run finished; its listing could not be written (exit 1).
        XCTAssertEqual(code, "1\n")
        XCTAssertEqual(try runStatus().state, .completed)
    }

    func testBadInputWithStderrOnAFullDeviceExits64() throws {
        let result = try shell(#""$EXP" run bad.json 2>/dev/full"#)
        XCTAssertEqual(result.status, 64)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/results"))
    }

    func testBenchWithStderrOnAFullDeviceExitsZero() throws {
        let mnist = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/mnist").path
        let result = try shell(#""$EXP" bench --set dataset.path=\#(mnist) --set dataset.train_limit=100 --set dataset.test_limit=50 "#
                               + "--batch-sizes 16 --inference-batch-sizes 10 --threads 1 --steps 1 --repetitions 1 2>/dev/full")
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("samples"), result.stdout)
    }

    func testResultsThatCannotReachStdoutExitOneWithAMessage() throws {
        XCTAssertEqual(try shell(#""$EXP" run c.json"#).status, 0)
        for command in ["status --results results", "status --results results --format json", "run c.json --dry-run",
                        "model summary", "run c.json"] {
            let result = try shell(#""$EXP" "# + command + " >/dev/full")
            XCTAssertEqual(result.status, 1, command)
            XCTAssertTrue(result.stderr.contains("exp: cannot write the output to stdout: No space left on device\n"),
                          "\(command): \(result.stderr)")
        }
    }
}
