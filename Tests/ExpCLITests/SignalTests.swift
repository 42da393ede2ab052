import ArgumentParser
import Experiments
import Foundation
import XCTest

@testable import ExpCLI

/// SIGINT and SIGTERM make `exp run` finish the step, save checkpoint.h5, mark the run
/// interrupted and exit 130 (SPEC.md exit codes).
final class SignalTests: XCTestCase {
    static let variable = "EXP_TEST_SIGNAL_DIR"

    /// The child: `exp run` through the CLI; writes its exit code to DIR/exit-code.
    func testChildRunsTheCLI() throws {
        guard let dir = ProcessInfo.processInfo.environment[Self.variable] else {
            throw XCTSkip("runs only as a child of the signal tests")
        }
        var code: Int32 = 0
        do {
            var command = try Exp.parseAsRoot(["run", dir + "/sweep.json", "--results", dir + "/results"])
            try command.run()
        } catch let exit as ExitCode {
            code = exit.rawValue
        }
        try "\(code)".write(toFile: dir + "/exit-code", atomically: true, encoding: .utf8)
    }

    /// Sends `signalNumber` to the child `count` times, `spacing` microseconds apart.
    func interrupt(with signalNumber: Int32, count: Int = 1, spacing: useconds_t = 0) throws {
        let dir = NSTemporaryDirectory() + "exp-signal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"""
        {"name": "signal", "base": {"dataset": {"train_limit": 1024, "test_limit": 100},
         "training": {"epochs": 20, "batch_size": 16}, "exports": {"activation_images": [0]}}}
        """#.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["ExpCLITests.SignalTests/testChildRunsTheCLI"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.variable: dir]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(120)
        var sent = false
        while Date() < deadline, child.isRunning, !sent {
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/results/signal")) ?? []
            if let run = runs.first(where: { !$0.hasPrefix("sweep") }),
               let status = try? RunStatus.read(from: "\(dir)/results/signal/\(run)/status.json"), status.epoch >= 1 {
                for i in 0..<count {
                    if i > 0 { usleep(spacing) }
                    kill(child.processIdentifier, signalNumber)
                }
                sent = true
            }
            usleep(20_000)
        }
        child.waitUntilExit()
        XCTAssertTrue(sent, "the run never reached epoch 1")
        XCTAssertEqual(try String(contentsOfFile: dir + "/exit-code", encoding: .utf8), "130")
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir + "/results/signal")
            .first { !$0.hasPrefix("sweep") })
        let status = try RunStatus.read(from: "\(dir)/results/signal/\(run)/status.json")
        XCTAssertEqual(status.state, .interrupted)
        XCTAssertNil(status.finished)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/results/signal/\(run)/checkpoint.h5"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir)/results/signal/\(run)/lock"))
        let checkpoint = try CheckpointFile.read(from: "\(dir)/results/signal/\(run)/checkpoint.h5", as: Float.self)
        XCTAssertEqual(checkpoint.step, status.step)
    }

    func testSIGINTSavesAndExits130() throws { try interrupt(with: SIGINT) }
    func testSIGTERMSavesAndExits130() throws { try interrupt(with: SIGTERM) }

    /// `timeout 60 exp run …` sends SIGTERM to exp and then to its process group: the second,
    /// microseconds later, is the same request, not "exit at once" (which left status.json
    /// running and no checkpoint). 2 ms apart, so that the two arrive as two deliveries.
    func testRepeatedSIGTERMWithinASecondIsOneRequest() throws {
        try interrupt(with: SIGTERM, count: 2, spacing: 2_000)
    }

    /// The rule behind it: repeats within `sameRequestInterval` of the first signal are the same
    /// request; a signal after that exits at once.
    func testInterruptRequestsSeparateRepeatsFromASecondRequest() {
        let requests = InterruptRequests()
        XCTAssertEqual(InterruptRequests.sameRequestInterval, 1)
        XCTAssertEqual(requests.receive(at: 100), .interrupt)
        XCTAssertEqual(requests.receive(at: 100.000_01), .sameRequest)
        XCTAssertEqual(requests.receive(at: 100.9), .sameRequest)
        XCTAssertEqual(requests.receive(at: 101.0), .exitNow)
        XCTAssertEqual(requests.receive(at: 250), .exitNow)
    }
}
