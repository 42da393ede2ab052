@testable import Experiments
import Foundation
import XCTest

/// A weights.h5 that does not hold what its run saved (snapshots lost, another run's file, a
/// dataset deleted) makes a finished or resumable run damaged: `exp status` says why and
/// `exp run` trains it from scratch to the bytes of an undamaged run (docs/SWEEPS.md).
final class DamagedWeightsTests: XCTestCase {
    /// 4 epochs of 4 steps (256 images, n = 64), weights saved every epoch.
    static let base = smallSweep(name: "wdmg").replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 4")
        .replacingOccurrences(of: "200", with: "50")

    func render(_ dir: String) throws -> String {
        try StatusEntry.render(sweeps: [], results: dir + "/results", json: false,
                               catalog: PluginRegistry(extra: [InterruptAtStepPlugin.self]).catalog)
    }

    /// Rewrites weights.h5 after changing its history.
    func edit(_ path: String, _ change: (inout WeightsHistory) -> Void) throws {
        var history = try WeightsFile.read(from: path)
        change(&history)
        try WeightsFile.write(history, to: path)
    }

    /// Removes dataset `dataset` of layer `layer` from the snapshot of `epoch`.
    func dropDataset(_ history: inout WeightsHistory, epoch: Int, layer: String, dataset: String) {
        var snapshot = history.snapshots[epoch]!
        let index = snapshot.layers.firstIndex { $0.name == layer }!
        snapshot.layers[index].tensors[dataset] = nil
        history.snapshots[epoch] = snapshot
    }

    func testDueEpochs() {
        XCTAssertEqual(RunInspector.dueWeightEpochs(every: 1, through: 3, last: true), [0, 1, 2, 3])
        XCTAssertEqual(RunInspector.dueWeightEpochs(every: 2, through: 5, last: true), [0, 2, 4, 5])
        XCTAssertEqual(RunInspector.dueWeightEpochs(every: 2, through: 5, last: false), [0, 2, 4])
        XCTAssertEqual(RunInspector.dueWeightEpochs(every: 0, through: 6, last: true), [0, 6])
        XCTAssertEqual(RunInspector.dueWeightEpochs(every: 0, through: 6, last: false), [0])
        XCTAssertEqual(RunInspector.dueWeightEpochs(every: 3, through: 0, last: true), [0])
    }

    /// Completed runs with snapshots deleted, another run's weights.h5, a required dataset
    /// deleted from the last snapshot, or a stray snapshot after the last epoch.
    func testCompletedRunsWithWrongWeightsAreDamagedAndRetrained() throws {
        let dir = try makeTemporaryDirectory(self)
        let sweep = smallSweep(name: "wdmg", extra: #", "seeds": [0, 1, 2, 3, 4]"#)
            .replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 3").replacingOccurrences(of: "200", with: "50")
        let first = try runSweep(sweep, in: dir)
        XCTAssertEqual(first.exitCode, 0)
        XCTAssertEqual(first.runs.count, 5)
        let reference = try resultBytes(dir + "/results/wdmg")
        let runs = first.runs.map { dir + "/results/wdmg/" + $0.directory }
        XCTAssertEqual(try WeightsFile.epochs(in: runs[0] + "/weights.h5"), [0, 1, 2, 3])
        try edit(runs[0] + "/weights.h5") { $0.snapshots[1] = nil; $0.snapshots[2] = nil }
        try FileManager.default.removeItem(atPath: runs[1] + "/weights.h5")
        try FileManager.default.copyItem(atPath: runs[4] + "/weights.h5", toPath: runs[1] + "/weights.h5")
        try edit(runs[2] + "/weights.h5") { self.dropDataset(&$0, epoch: 3, layer: "P0", dataset: "w") }
        try edit(runs[3] + "/weights.h5") { $0.snapshots[4] = $0.snapshots[3] }

        let listing = try render(dir)
        XCTAssertTrue(listing.hasPrefix("wdmg: 5 runs (1 completed, 4 damaged)\n"), listing)
        let lines = listing.split(separator: "\n").dropFirst().map(String.init)
        XCTAssertTrue(lines[0].contains("damaged") && lines[0].contains(
            runs[0] + "/weights.h5 lacks the snapshot of epoch 1 (it holds epochs 0, 3; due through epoch 3: 0, 1, 2, 3)"), lines[0])
        let otherID = String(first.runs[4].directory.suffix(8))
        XCTAssertTrue(lines[1].contains(runs[1] + "/weights.h5 belongs to run \(otherID), not "), lines[1])
        XCTAssertTrue(lines[2].contains(runs[2] + "/weights.h5 lacks /epoch_0003/P0/w"), lines[2])
        XCTAssertTrue(lines[3].contains(runs[3] + "/weights.h5 holds a snapshot of epoch 4, after the run's last epoch 3"), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("  completed"), lines[4])

        let second = try runSweep(sweep, in: dir)
        XCTAssertEqual(second.exitCode, 0)
        XCTAssertEqual(second.runs.map(\.trained), [true, true, true, true, false])
        XCTAssertEqual(second.runs.map(\.state), [.completed, .completed, .completed, .completed, .completed])
        let after = try resultBytes(dir + "/results/wdmg")
        XCTAssertEqual(after.count, reference.count)
        for (key, bytes) in reference { XCTAssertEqual(after[key], bytes, key) }
        XCTAssertTrue(try render(dir).hasPrefix("wdmg: 5 runs (5 completed)\n"))
    }

    /// An interrupted run (checkpoint at epoch 2, mid epoch 3) whose weights.h5 was deleted,
    /// replaced by an older copy, by another run's, or lost a dataset: damaged, and the rerun
    /// trains it from scratch to the bytes of an uninterrupted run (before: it resumed and kept
    /// a weights.h5 without epochs 0–2, without epoch 2, or holding the other run's snapshots).
    func testInterruptedRunWithWrongWeightsIsRetrainedFromScratch() throws {
        let dir = try makeTemporaryDirectory(self)
        let text = smallSweep(name: "wdmg", base: #", "plugins": [{"name": "interrupt-at-step", "step": 10}]"#)
            .replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 4").replacingOccurrences(of: "200", with: "50")
        try runSweep(Self.base, in: dir, results: "reference")
        let reference = try resultBytes(dir + "/reference/wdmg")
        let damages: [(name: String, message: String, damage: (String) throws -> Void)] = [
            ("deleted", "/weights.h5 is missing (checkpoint.h5 is at epoch 2)",
             { try FileManager.default.removeItem(atPath: $0) }),
            ("older", "/weights.h5 lacks the snapshot of epoch 2 (it holds epochs 0, 1; due through epoch 2: 0, 1, 2)",
             { try self.edit($0) { $0.snapshots[2] = nil } }),
            ("other run", "/weights.h5 belongs to run ",
             { try self.edit($0) {
                 $0.configJSON = $0.configJSON.replacingOccurrences(of: "\"seed\": 0", with: "\"seed\": 7")
                     .replacingOccurrences(of: "\"seed\":0", with: "\"seed\":7")
             } }),
            ("dataset", "/weights.h5 lacks /epoch_0001/P0/b",
             { try self.edit($0) { self.dropDataset(&$0, epoch: 1, layer: "P0", dataset: "b") } }),
        ]
        for damage in damages {
            try? FileManager.default.removeItem(atPath: dir + "/results")
            let flag = InterruptFlag()
            InterruptAtStepPlugin.flag = flag
            let first = try runSweep(text, in: dir, plugins: [InterruptAtStepPlugin.self], interrupt: flag)
            InterruptAtStepPlugin.flag = nil
            XCTAssertEqual(first.runs.map(\.state), [.interrupted], damage.name)
            let run = dir + "/results/wdmg/" + first.runs[0].directory
            XCTAssertEqual(try CheckpointFile.read(from: run + "/checkpoint.h5", as: Float.self).epoch, 2)
            XCTAssertEqual(try WeightsFile.epochs(in: run + "/weights.h5"), [0, 1, 2])
            XCTAssertTrue(try render(dir).contains("  interrupted"), damage.name)
            try damage.damage(run + "/weights.h5")
            let listing = try render(dir)
            XCTAssertTrue(listing.contains("damaged") && listing.contains(run + damage.message), "\(damage.name): \(listing)")
            let second = try runSweep(text, in: dir, plugins: [InterruptAtStepPlugin.self])
            XCTAssertEqual(second.runs.map(\.state), [.completed], damage.name)
            XCTAssertEqual(try WeightsFile.epochs(in: run + "/weights.h5"), [0, 1, 2, 3, 4], damage.name)
            let after = try resultBytes(dir + "/results/wdmg")
            XCTAssertEqual(after.count, reference.count, damage.name)
            for (key, bytes) in reference { XCTAssertEqual(after[key], bytes, "\(damage.name): \(key)") }
        }
    }

    /// Interrupted with weights-hdf5 off, resumed with it on (observer plugins are not part
    /// of the run id): `exp status` still shows it interrupted (config.json has the plugin
    /// off), but `exp run` trains it from scratch so that weights.h5 holds epochs 0–4, not 3–4.
    func testResumeTurningWeightsOnTrainsFromScratch() throws {
        let dir = try makeTemporaryDirectory(self)
        let on = smallSweep(name: "wdmg", base: #", "plugins": [{"name": "interrupt-at-step", "step": 10}]"#)
            .replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 4").replacingOccurrences(of: "200", with: "50")
        let off = on.replacingOccurrences(of: #""step": 10}]"#, with: #""step": 10}, {"name": "weights-hdf5", "enabled": false}]"#)
        XCTAssertNotEqual(on, off)
        try runSweep(Self.base, in: dir, results: "reference")
        let reference = try resultBytes(dir + "/reference/wdmg")
        let flag = InterruptFlag()
        InterruptAtStepPlugin.flag = flag
        let first = try runSweep(off, in: dir, plugins: [InterruptAtStepPlugin.self], interrupt: flag)
        InterruptAtStepPlugin.flag = nil
        XCTAssertEqual(first.runs.map(\.state), [.interrupted])
        let run = dir + "/results/wdmg/" + first.runs[0].directory
        XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/weights.h5"))
        XCTAssertTrue(try render(dir).contains("  interrupted"))
        let registry = PluginRegistry(extra: [InterruptAtStepPlugin.self])
        let id = String(first.runs[0].directory.suffix(8))
        let (state, _, problem) = RunInspector.state(of: run, id: id, catalog: registry.catalog,
                                                     continuing: try JSONParser.parse(bytes: Array(#"{"plugins": []}"#.utf8), file: "x"))
        XCTAssertEqual(state, .damaged)
        XCTAssertEqual(problem, run + "/weights.h5 is missing (checkpoint.h5 is at epoch 2)")
        let second = try runSweep(on, in: dir, plugins: [InterruptAtStepPlugin.self])
        XCTAssertEqual(second.runs.map(\.directory), first.runs.map(\.directory))
        XCTAssertEqual(second.runs.map(\.state), [.completed])
        XCTAssertEqual(try WeightsFile.epochs(in: run + "/weights.h5"), [0, 1, 2, 3, 4])
        let after = try resultBytes(dir + "/results/wdmg")
        XCTAssertEqual(after.count, reference.count)
        for (key, bytes) in reference { XCTAssertEqual(after[key], bytes, key) }
    }

    /// Interrupted with exports.weights_every = 2, resumed with 1 (exports are outside the run
    /// id): the snapshots before the interrupt followed 2, so the completed run is not damaged
    /// and a rerun skips it (it was flagged and retrained from scratch).
    func testResumeWithAnotherWeightsEveryStaysCompleted() throws {
        let dir = try makeTemporaryDirectory(self)
        let every2 = smallSweep(name: "wdmg", base: #", "plugins": [{"name": "interrupt-at-step", "step": 10}]"#)
            .replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 4").replacingOccurrences(of: "200", with: "50")
            .replacingOccurrences(of: #""activation_images": [0]"#, with: #""activation_images": [0], "weights_every": 2"#)
        let flag = InterruptFlag()
        InterruptAtStepPlugin.flag = flag
        let first = try runSweep(every2, in: dir, plugins: [InterruptAtStepPlugin.self], interrupt: flag)
        InterruptAtStepPlugin.flag = nil
        XCTAssertEqual(first.runs.map(\.state), [.interrupted])
        let run = dir + "/results/wdmg/" + first.runs[0].directory
        XCTAssertEqual(try WeightsFile.epochs(in: run + "/weights.h5"), [0, 2])
        let second = try runSweep(every2, in: dir, plugins: [InterruptAtStepPlugin.self]) { $0.overrides = ["exports.weights_every=1"] }
        XCTAssertEqual(second.runs.map(\.state), [.completed])
        XCTAssertEqual(try WeightsFile.epochs(in: run + "/weights.h5"), [0, 2, 3, 4])
        let listing = try render(dir)
        XCTAssertFalse(listing.contains("damaged"), listing)
        let third = try runSweep(every2, in: dir, plugins: [InterruptAtStepPlugin.self]) { $0.overrides = ["exports.weights_every=1"] }
        XCTAssertEqual(third.runs.map(\.trained), [false])
    }
}
