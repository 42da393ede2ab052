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

/// Records what status.json says when the run starts (after a resume: where it resumed from).
final class StatusAtStartPlugin: ExperimentPlugin {
    static let name = "status-at-start"
    nonisolated(unsafe) static var seen: [String] = []
    init(options: JSONObject) throws {}
    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        if case .runStart = event, let status = try? RunStatus.read(from: context.path("status.json")) {
            Self.seen.append("\(status.state.rawValue) epoch \(status.epoch) step \(status.step)")
        }
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
        StatusAtStartPlugin.seen = []
        let second = try runSweep(interrupted.replacingOccurrences(of: #"{"name": "interrupt-at-step", "step": 11}"#,
                                                                   with: #"{"name": "interrupt-at-step", "step": 11}, {"name": "status-at-start"}"#),
                                  in: dir, plugins: [InterruptAtStepPlugin.self, StatusAtStartPlugin.self])
        XCTAssertEqual(second.runs.map(\.state), [.completed])
        XCTAssertEqual(StatusAtStartPlugin.seen, ["running epoch 1 step 11"], "status.json says where the run resumed")
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

    /// Trains `sweep` once uninterrupted (into `reference`), once interrupted after `step` and
    /// resumed (into `results`, with `prepare` run on the interrupted run's directory before
    /// the resume); returns the run directory of the resumed run.
    func interruptAndResume(_ sweep: String, atStep step: Int, in dir: String,
                            prepare: (String) throws -> Void = { _ in }) throws -> String {
        try runSweep(sweep, in: dir, results: "reference")
        let flag = InterruptFlag()
        InterruptAtStepPlugin.flag = flag
        defer { InterruptAtStepPlugin.flag = nil }
        let interrupted = sweep.replacingOccurrences(of: #"{"name": "diagnostics"}"#,
                                                     with: #"{"name": "diagnostics"}, {"name": "interrupt-at-step", "step": \#(step)}"#)
        let first = try runSweep(interrupted, in: dir, plugins: [InterruptAtStepPlugin.self], interrupt: flag)
        XCTAssertEqual(first.runs.map(\.state), [.interrupted])
        let runDir = dir + "/results/resume/" + first.runs[0].directory
        try prepare(runDir)
        InterruptAtStepPlugin.flag = nil
        let second = try runSweep(interrupted, in: dir, plugins: [InterruptAtStepPlugin.self])
        XCTAssertEqual(second.runs.map(\.state), [.completed])
        return runDir
    }

    /// Interrupted in the last epoch (step 19 of 3 × 8): every /diagnostics/ series has one
    /// value per /epoch/ row (update_ratio used to be one short) and the same bytes; the
    /// mid-epoch checkpoint holds the network of the epoch's start.
    func testInterruptInTheLastEpochKeepsDiagnosticsWhole() throws {
        let dir = try makeTemporaryDirectory(self)
        var checkpointStart: NetworkTensors<Float>?
        let runDir = try interruptAndResume(Self.sweep, atStep: 19, in: dir) { runDir in
            let state = try CheckpointFile.read(from: runDir + "/checkpoint.h5", as: Float.self)
            XCTAssertEqual(state.epoch, 2)
            XCTAssertEqual(state.batch, 3)
            checkpointStart = state.epochStartNetwork
        }
        // The network at the start of epoch 3 is the one saved at the end of epoch 2.
        let weights = try WeightsFile.read(from: runDir + "/weights.h5")
        XCTAssertEqual(try XCTUnwrap(checkpointStart), weights.snapshots[2])
        let metrics = try MetricsFile.read(from: runDir + "/metrics.h5").record
        XCTAssertEqual(metrics.epochs.count, 4)
        XCTAssertFalse(metrics.diagnostics.isEmpty)
        for (key, series) in metrics.diagnostics {
            XCTAssertEqual(series.count, 4, key)
            XCTAssertFalse(series.contains { $0.isNaN }, key)
        }
        XCTAssertEqual(metrics.diagnostics["P0/update_ratio"]?.first, 0)
        let reference = try resultBytes(dir + "/reference/resume")
        let resumed = try resultBytes(dir + "/results/resume")
        XCTAssertEqual(reference.count, resumed.count)
        for (key, bytes) in reference { XCTAssertEqual(resumed[key], bytes, key) }
    }

    /// A mid-epoch checkpoint written before /epoch_start_network existed: the resume still
    /// works, update_ratio of that epoch is NaN (docs/FORMAT.md's fallback) and every other value,
    /// and the length of every series, is as in an uninterrupted run.
    func testResumeFromACheckpointWithoutTheEpochStartNetwork() throws {
        let dir = try makeTemporaryDirectory(self)
        let runDir = try interruptAndResume(Self.sweep, atStep: 11, in: dir) { runDir in
            var state = try CheckpointFile.read(from: runDir + "/checkpoint.h5", as: Float.self)
            XCTAssertNotNil(state.epochStartNetwork)
            state.epochStartNetwork = nil
            try CheckpointFile.write(state, to: runDir + "/checkpoint.h5", compressed: true)
        }
        let reference = try MetricsFile.read(from: try FileManager.default.contentsOfDirectory(atPath: dir + "/reference/resume")
            .first { !$0.hasPrefix("sweep") }.map { dir + "/reference/resume/" + $0 + "/metrics.h5" }!).record
        let resumed = try MetricsFile.read(from: runDir + "/metrics.h5").record
        XCTAssertEqual(Set(resumed.diagnostics.keys), Set(reference.diagnostics.keys))
        for (key, expected) in reference.diagnostics {
            let series = try XCTUnwrap(resumed.diagnostics[key], key)
            XCTAssertEqual(series.count, 4, key)
            for (epoch, value) in series.enumerated() {
                if key.hasSuffix("/update_ratio") && epoch == 2 {
                    XCTAssertTrue(value.isNaN, "\(key)[2] = \(value)")
                } else {
                    XCTAssertEqual(value.bitPattern, expected[epoch].bitPattern, "\(key)[\(epoch)]")
                }
            }
        }
        XCTAssertEqual(resumed.epochs.map(\.testLoss), reference.epochs.map(\.testLoss))
    }

    /// Early stopping keeps no state (it replays /epoch/): stopped by min_delta 10 and patience 2
    /// at epoch 3 of 5, interrupted in epoch 3, the resumed run stops at the same epoch with the
    /// same bytes.
    func testEarlyStoppingSurvivesAResume() throws {
        let dir = try makeTemporaryDirectory(self)
        let sweep = Self.sweep
            .replacingOccurrences(of: "\"epochs\": 3", with: "\"epochs\": 5")
            .replacingOccurrences(of: #"{"name": "diagnostics"}"#,
                                  with: #"{"name": "diagnostics"}, {"name": "early-stopping", "patience": 2, "min_delta": 10}"#)
        let runDir = try interruptAndResume(sweep, atStep: 20, in: dir)
        let status = try RunStatus.read(from: runDir + "/status.json")
        XCTAssertEqual(status.epoch, 3)
        XCTAssertEqual(status.stopReason, "early-stopping")
        let referenceRun = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir + "/reference/resume")
            .first { !$0.hasPrefix("sweep") })
        let reference = try RunStatus.read(from: dir + "/reference/resume/" + referenceRun + "/status.json")
        XCTAssertEqual(reference.epoch, 3)
        XCTAssertEqual(reference.stopReason, "early-stopping")
        let expected = try resultBytes(dir + "/reference/resume")
        let resumed = try resultBytes(dir + "/results/resume")
        XCTAssertEqual(expected.count, resumed.count)
        for (key, bytes) in expected { XCTAssertEqual(resumed[key], bytes, key) }
    }
}
