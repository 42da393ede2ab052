import Experiments
import Foundation
import XCTest

/// Raises the run's interrupt flag (as SIGINT does) after a given step.
final class InterruptAtStepPlugin: ExperimentPlugin {
    static let name = "interrupt-at-step"
    static let optionKeys: [String]? = ["step"]
    nonisolated(unsafe) static var flag: InterruptFlag?
    let step: Int
    init(options: JSONObject) throws { step = Int(options["step"]?.integerValue ?? 1) }
    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        if case .stepEnd = event, context.step == step { Self.flag?.raise() }
        return .proceed
    }
}

/// A resumed run ends bit-identical to one never interrupted (SPEC.md "Bit-identical").
final class ResumeTests: XCTestCase {
    static let sweep = smallSweep(name: "resume", base: #", "plugins": [{"name": "diagnostics"}]"#)
        .replacingOccurrences(of: "\"batch_size\": 64", with: "\"batch_size\": 32, \"momentum\": 0.9")
        .replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 3")

    /// SIGINT in the middle of epoch 2 (step 11 of 8 per epoch): exit 130, status interrupted,
    /// checkpoint.h5 kept; the rerun resumes mid-epoch and ends with the same bytes.
    func testInterruptMidEpochThenResumeIsBitIdentical() throws {
        let dir = try makeTemporaryDirectory(self)
        try runSweep(Self.sweep, in: dir, results: "reference")
        let flag = InterruptFlag()
        InterruptAtStepPlugin.flag = flag
        let interrupted = Self.sweep.replacingOccurrences(of: #"[{"name": "diagnostics"}]"#,
                                                           with: #"[{"name": "diagnostics"}, {"name": "interrupt-at-step", "step": 11}]"#)
        let first = try runSweep(interrupted, in: dir, plugins: [InterruptAtStepPlugin.self], interrupt: flag)
        XCTAssertEqual(first.exitCode, 130)
        XCTAssertEqual(first.runs.map(\.state), [.interrupted])
        let runDir = dir + "/results/resume/" + first.runs[0].directory
        XCTAssertTrue(FileManager.default.fileExists(atPath: runDir + "/checkpoint.h5"))
        let status = try RunStatus.read(from: runDir + "/status.json")
        XCTAssertEqual(status.state, .interrupted)
        XCTAssertEqual(status.step, 11)
        XCTAssertEqual(status.epoch, 1)

        InterruptAtStepPlugin.flag = nil
        let second = try runSweep(interrupted, in: dir, plugins: [InterruptAtStepPlugin.self])
        XCTAssertEqual(second.runs.map(\.state), [.completed])
        XCTAssertFalse(FileManager.default.fileExists(atPath: runDir + "/checkpoint.h5"))
        let reference = try resultBytes(dir + "/reference/resume")
        let resumed = try resultBytes(dir + "/results/resume")
        XCTAssertEqual(reference.count, resumed.count)
        XCTAssertGreaterThan(reference.count, 50)
        for (key, bytes) in reference { XCTAssertEqual(resumed[key], bytes, key) }
    }

    static let childVariable = "EXP_TEST_RESUME_CHILD_DIR"

    /// The child side of the SIGKILL test: trains the sweep until killed.
    func testChildTrainsUntilKilled() throws {
        guard let dir = ProcessInfo.processInfo.environment[Self.childVariable] else {
            throw XCTSkip("runs only as the child of testKillThenResumeIsBitIdentical")
        }
        try runSweep(Self.sweep, in: dir)
    }

    /// SIGKILL after the first epoch's checkpoint (mid-epoch 2): the stale lock is taken over,
    /// the run resumes from the checkpoint and ends with the same bytes as an uninterrupted one.
    func testKillThenResumeIsBitIdentical() throws {
        let dir = try makeTemporaryDirectory(self)
        try runSweep(Self.sweep, in: dir, results: "reference")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["ExperimentsTests.ResumeTests/testChildTrainsUntilKilled"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: dir]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(120)
        var killedAt: RunStatus?
        while Date() < deadline, child.isRunning {
            if let runs = try? FileManager.default.contentsOfDirectory(atPath: dir + "/results/resume"),
               let run = runs.first(where: { !$0.hasPrefix("sweep") }),
               let status = try? RunStatus.read(from: dir + "/results/resume/\(run)/status.json"), status.epoch >= 1 {
                kill(child.processIdentifier, SIGKILL)
                killedAt = status
                break
            }
            usleep(20_000)
        }
        child.waitUntilExit()
        let status = try XCTUnwrap(killedAt, "the child finished or never reached epoch 1")
        XCTAssertEqual(status.state, .running)
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        let resumed = try runSweep(Self.sweep, in: dir)
        XCTAssertEqual(resumed.runs.map(\.state), [.completed])
        let reference = try resultBytes(dir + "/reference/resume")
        let after = try resultBytes(dir + "/results/resume")
        XCTAssertEqual(reference.count, after.count)
        for (key, bytes) in reference { XCTAssertEqual(after[key], bytes, key) }
    }
}
