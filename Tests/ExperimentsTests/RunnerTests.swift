import Experiments
import Foundation
import XCTest

/// A user plugin defined in a test target: counts the events it sees.
final class EventCounterPlugin: ExperimentPlugin {
    static let name = "event-counter"
    nonisolated(unsafe) static var events: [String] = []
    init(options: JSONObject) throws {}
    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        switch event {
        case let .runStart(resumed): Self.events.append("start resumed=\(resumed)")
        case .stepEnd: Self.events.append("step \(context.step)")
        case .epochEnd: Self.events.append("epoch \(context.epoch) rows=\(context.metrics.epochs.count)")
        case let .runEnd(state): Self.events.append("end \(state.rawValue)")
        }
        return .proceed
    }
}

final class RunnerTests: XCTestCase {
    func testUserPluginSeesEveryEventInOrder() throws {
        let dir = try makeTemporaryDirectory(self)
        EventCounterPlugin.events = []
        let summary = try runSweep(smallSweep(base: #", "plugins": [{"name": "event-counter"}]"#), in: dir,
                                   plugins: [EventCounterPlugin.self])
        XCTAssertEqual(summary.exitCode, 0)
        XCTAssertEqual(summary.runs.map(\.state), [.completed])
        XCTAssertEqual(EventCounterPlugin.events, [
            "start resumed=false", "epoch 0 rows=1",
            "step 1", "step 2", "step 3", "step 4", "epoch 1 rows=2",
            "step 5", "step 6", "step 7", "step 8", "epoch 2 rows=3", "end completed"])
    }

    func testLayoutAndStatusOfACompletedRun() throws {
        let dir = try makeTemporaryDirectory(self)
        try runSweep(smallSweep(extra: #", "seeds": [0, 1], "grid": {"training.batch_size": [32, 64]}"#), in: dir)
        let runs = try statuses(dir)
        XCTAssertEqual(runs.count, 4)
        for (name, status) in runs {
            XCTAssertTrue(name.hasPrefix("batch_size="), name)
            XCTAssertEqual(status.state, .completed)
            XCTAssertEqual(status.epoch, 2)
            XCTAssertEqual(status.step, name.hasPrefix("batch_size=32") ? 16 : 8)
            let run = dir + "/results/small/" + name
            for file in ["config.json", "kernels/epoch_0000/P0.png", "kernels/epoch_0002/P4.png",
                         "activations/epoch_0002/image_00000/A0.png", "activations/epoch_0002/image_00000/A16.png"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/" + file), "\(name)/\(file)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/lock"))
            XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/checkpoint.h5"))
        }
        let sweepJSON = try JSONParser.parse(String(contentsOfFile: dir + "/results/small/sweep.json", encoding: .utf8))
        XCTAssertEqual(sweepJSON[path: "runs"]?.arrayValue?.count, 4)
        XCTAssertEqual(sweepJSON[path: "commands"]?.arrayValue?.count, 1)
    }

    func testCompletedRunsAreSkippedOnRerun() throws {
        let dir = try makeTemporaryDirectory(self)
        try runSweep(smallSweep(), in: dir)
        let again = try runSweep(smallSweep(), in: dir)
        XCTAssertEqual(again.runs.map(\.trained), [false])
        XCTAssertEqual(again.runs.map(\.state), [.completed])
        let forced = try runSweep(smallSweep(), in: dir) { $0.force = true }
        XCTAssertEqual(forced.runs.map(\.trained), [true])
    }

    /// `--set` fixing a swept key changes the directory names the plan computes (the key no longer
    /// varies); the runs already trained are still found by their ids, not trained again into a
    /// second directory (which `exp report` would count twice).
    func testSetFixingASweptKeyFindsTheTrainedRun() throws {
        let dir = try makeTemporaryDirectory(self)
        let sweep = smallSweep(extra: #", "grid": {"training.learning_rate": [0.05, 0.1]}"#)
        let first = try runSweep(sweep, in: dir) { $0.overrides = ["training.epochs=1"] }
        XCTAssertEqual(first.runs.map(\.trained), [true, true])
        let trained = first.runs[1].directory
        XCTAssertTrue(trained.contains("learning_rate=0.1,seed=0-"), trained)
        let fixed = try runSweep(sweep, in: dir) { $0.overrides = ["training.epochs=1", "training.learning_rate=0.1"] }
        XCTAssertEqual(fixed.runs.map(\.trained), [false])
        XCTAssertEqual(fixed.runs.map(\.state), [.completed])
        XCTAssertEqual(fixed.runs.map(\.directory), [trained])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/results/small").filter { $0.contains("seed=") }.count, 2)
    }

    func testDivergenceEndsTheRunAndTheSweepGoesOn() throws {
        let dir = try makeTemporaryDirectory(self)
        let summary = try runSweep(smallSweep(base: #", "model": {"bn": "none"}"#,
                                              extra: #", "grid": {"training.learning_rate": [0.05, 1e6]}"#), in: dir)
        XCTAssertEqual(summary.exitCode, 0)
        let runs = try statuses(dir)
        let diverged = try XCTUnwrap(runs.first { $0.key.contains("1000000") }?.value)
        XCTAssertEqual(diverged.state, .diverged)
        XCTAssertTrue(diverged.error?.contains("learning_rate") ?? false, "\(diverged.error ?? "")")
        let message = diverged.error ?? ""
        XCTAssertTrue(message.hasPrefix("training loss became NaN at step ") || message.hasPrefix("training loss became +∞ at step "),
                      message)
        XCTAssertEqual(runs.first { $0.key.contains("0.05") }?.value.state, .completed)
        let retried = try runSweep(smallSweep(base: #", "model": {"bn": "none"}"#,
                                              extra: #", "grid": {"training.learning_rate": [0.05, 1e6]}"#), in: dir)
        XCTAssertEqual(retried.runs.filter(\.trained).count, 0, "diverged runs rerun only with --retry-diverged")
    }

    func testEarlyStoppingEndsCompletedWithAReason() throws {
        let dir = try makeTemporaryDirectory(self)
        let plugin = #", "plugins": [{"name": "early-stopping", "metric": "train_loss", "mode": "max", "patience": 1}]"#
        var text = smallSweep(base: plugin)
        text = text.replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 5")
        try runSweep(text, in: dir)
        let status = try XCTUnwrap(try statuses(dir).values.first)
        XCTAssertEqual(status.state, .completed)
        XCTAssertEqual(status.stopReason, "early-stopping")
        XCTAssertEqual(status.epoch, 2, "train loss falls, so 'max' stops after one epoch without improvement")
    }

    /// A kernel grid too large to draw fails the run with a message naming the layer and the
    /// remedy (it aborted the process on a 29 GB allocation).
    func testOversizedKernelGridFailsTheRunClearly() throws {
        let dir = try makeTemporaryDirectory(self)
        let sweep = #"""
        {"name": "small", "base": {"dataset": {"train_limit": 2, "test_limit": 1},
         "training": {"epochs": 1, "batch_size": 2}, "exports": {"activation_images": []},
         "model": {"architecture": "layers", "bn": "none",
                   "layers": [{"type": "conv", "out": 4096, "k": 5}, {"type": "flatten"}, {"type": "fc", "out": 10}]},
         "plugins": [{"name": "kernels-png", "factor": 64}, {"name": "activations-png", "enabled": false}]}}
        """#
        let summary = try runSweep(sweep, in: dir)
        XCTAssertEqual(summary.runs.map(\.state), [.failed])
        let error = try XCTUnwrap(try statuses(dir).values.first?.error)
        XCTAssertTrue(error.contains("plugin kernels-png: option factor: the kernel grid of P0 (4096×1×5×5 weights) would be 322×1314817 pixels"), error)
        XCTAssertTrue(error.hasSuffix("lower the factor or disable kernels-png"), error)
    }

    /// A run that early stopping ends before its configured epochs still exports the epoch it
    /// ends on, also when that epoch is not due (exports.*_every = 0 or 4); it was lost before.
    func testEarlyStoppedRunExportsItsLastEpoch() throws {
        let dir = try makeTemporaryDirectory(self)
        let plugin = #", "plugins": [{"name": "early-stopping", "metric": "train_loss", "mode": "max", "patience": 1}]"#
            + #", "exports": {"activation_images": [0], "weights_every": 0, "kernels_every": 0, "activations_every": 4}"#
        var text = smallSweep(base: plugin).replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 6")
        text = text.replacingOccurrences(of: #", "exports": {"activation_images": [0]}"#, with: "")
        try runSweep(text, in: dir)
        let (name, status) = try XCTUnwrap(try statuses(dir).first)
        XCTAssertEqual(status.stopReason, "early-stopping")
        XCTAssertEqual(status.epoch, 2)
        let run = dir + "/results/small/" + name
        XCTAssertEqual(try WeightsFile.read(from: run + "/weights.h5").epochs, [0, 2])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: run + "/kernels").sorted(), ["epoch_0000", "epoch_0002"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: run + "/activations").sorted(), ["epoch_0000", "epoch_0002"])
    }

    func testMissingDatasetFailsTheRunNotTheSweep() throws {
        let dir = try makeTemporaryDirectory(self)
        let missing = #"{"dataset.name": "idx", "dataset.train_images": "/nonexistent/a", "dataset.train_labels": "/nonexistent/b", "dataset.test_images": "/nonexistent/c", "dataset.test_labels": "/nonexistent/d"}"#
        let summary = try runSweep(smallSweep(extra: ", \"zip\": [{}, \(missing)]"), in: dir)
        XCTAssertEqual(summary.exitCode, 1)
        XCTAssertEqual(summary.runs.map(\.state), [.completed, .failed])
        let failed = try XCTUnwrap(try statuses(dir).values.first { $0.state == .failed })
        XCTAssertTrue(failed.error?.contains("/nonexistent/a") ?? false, failed.error ?? "")
    }

    func testResultsUnderARegularFileAreRefusedBeforeTraining() throws {
        let dir = try makeTemporaryDirectory(self)
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try runSweep(smallSweep(), in: dir) { $0.results = dir + "/file/results" }) { error in
            XCTAssertTrue("\(error)".contains("not a directory"), "\(error)")
        }
    }

    func testJobsTwoTrainsEveryRunOnce() throws {
        let dir = try makeTemporaryDirectory(self)
        let summary = try runSweep(smallSweep(extra: #", "seeds": [0, 1, 2, 3]"#), in: dir) { $0.jobs = 2 }
        XCTAssertEqual(summary.runs.count, 4)
        XCTAssertTrue(summary.runs.allSatisfy { $0.trained && $0.state == .completed })
        XCTAssertEqual(Set(summary.runs.map(\.directory)).count, 4)
    }
}

/// A plugin's paths cannot leave its run directory.
final class RunContextPathTests: XCTestCase {
    final class PathProbe: ExperimentPlugin {
        static let name = "path-probe"
        nonisolated(unsafe) static var seen: [String] = []
        init(options: JSONObject) throws {}
        func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
            if case .runStart = event {
                Self.seen = ["../../escape", "/etc/passwd", "a/./b/../c", ""].map { context.path($0) }
                Self.seen.insert(context.runDirectory, at: 0)
            }
            return .proceed
        }
    }

    func testPathsStayInTheRunDirectory() throws {
        let dir = try makeTemporaryDirectory(self)
        try runSweep(smallSweep(base: #", "plugins": [{"name": "path-probe"}]"#), in: dir, plugins: [PathProbe.self])
        let run = PathProbe.seen[0]
        XCTAssertEqual(Array(PathProbe.seen.dropFirst()), [run + "/escape", run + "/etc/passwd", run + "/a/b/c", run])
    }
}

/// kernels-png draws every convolution: the layers' P{j}.png and the 1×1 convolutions that
/// project a shortcut, S{j}.png (SPEC.md: "every convolution layer").
final class KernelsOfProjectionsTests: XCTestCase {
    func testProjectionConvolutionsGetTheirImage() throws {
        let dir = try makeTemporaryDirectory(self)
        let layers = #"""
            , "model": {"architecture": "layers", "bn": "none", "layers": [
              {"type": "conv", "out": 4, "k": 5}, {"type": "relu"}, {"type": "conv", "out": 8, "k": 3, "p": 1},
              {"type": "shortcut", "span": 2}, {"type": "flatten"}, {"type": "fc", "out": 10}]}
            """#
        let summary = try runSweep(smallSweep(base: layers), in: dir)
        let run = try XCTUnwrap(summary.runs.first?.directory)   // (it may diverge: λ = 0.1 without BN)
        let names = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/results/small/\(run)/kernels/epoch_0000").sorted()
        XCTAssertEqual(names.filter { $0.hasPrefix("P") }, ["P0.png", "P2.png"])
        let projections = names.filter { $0.hasPrefix("S") }
        XCTAssertEqual(projections.count, 1, "\(names)")
        // The name is the one weights.h5 gives the projection's tensors.
        let group = try XCTUnwrap(projections.first?.dropLast(4))
        let weights = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/results/small/\(run)/weights.h5"))
        XCTAssertNotNil(weights.range(of: Data(group.utf8)), "no \(group) in weights.h5")
    }
}
