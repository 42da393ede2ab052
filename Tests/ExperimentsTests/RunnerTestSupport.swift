import Experiments
import Foundation
import XCTest

/// A temporary directory removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "exp-runner-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// A small sweep on an MNIST subset: 256 training and 200 test images, 2 epochs of n = 64.
func smallSweep(name: String = "small", base: String = "", extra: String = "") -> String {
    """
    {"name": "\(name)",
     "base": {"dataset": {"train_limit": 256, "test_limit": 200},
              "training": {"epochs": 2, "batch_size": 64}, "exports": {"activation_images": [0]}\(base)}\(extra)}
    """
}

/// Plans and runs a sweep file written into `directory`; returns the summary.
@discardableResult
func runSweep(_ text: String, in directory: String, plugins: [any ExperimentPlugin.Type] = [],
              interrupt: InterruptFlag = InterruptFlag(), results: String = "results",
              log: MessageLog? = nil,
              configure: (inout RunOptions) -> Void = { _ in }) throws -> RunSummary {
    let path = directory + "/sweep.json"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    var options = RunOptions(sweepPath: path)
    options.results = directory + "/" + results
    options.argv = ["exp", "run", path]
    configure(&options)
    let registry = PluginRegistry(extra: plugins)
    let (sweep, runs) = try RunEntry.plan(options, registry: registry)
    let runner = SweepRunner(options: options, registry: registry,
                             build: BuildInfo(engineVersion: "test", gitCommit: "none", gitDirty: false),
                             interrupt: interrupt, log: { log?.append($0) })
    return try runner.run(sweep: sweep, runs: runs)
}

/// The messages a runner logged (for the user's stderr).
final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    /// The messages so far, in order.
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
    /// Adds a message.
    func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
}

/// status.json of every run of a sweep, by directory name.
func statuses(_ directory: String, sweep: String = "small") throws -> [String: RunStatus] {
    let root = directory + "/results/" + sweep
    var result: [String: RunStatus] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: root) where name != "sweep.json" && name != "sweep.lock" {
        result[name] = try RunStatus.read(from: root + "/" + name + "/status.json")
    }
    return result
}

/// Every dataset of every HDF5 file of every run, as raw bytes keyed by "run/file:dataset",
/// without /epoch/seconds (SPEC.md's definition of bit-identical runs): /epoch/ rows, /step/
/// columns, every /diagnostics/ series (a NaN where the reference has a number, or a series one
/// value shorter, differs) and every weights.h5 tensor.
func resultBytes(_ root: String) throws -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    for run in try FileManager.default.contentsOfDirectory(atPath: root) where !run.hasPrefix("sweep") {
        let metrics = try MetricsFile.read(from: "\(root)/\(run)/metrics.h5").record
        for (i, row) in metrics.epochs.enumerated() {
            var copy = row
            copy.seconds = 0
            result["\(run)/metrics:epoch\(i)"] = Array("\(copy)".utf8)
        }
        result["\(run)/metrics:steps"] = metrics.steps.flatMap { s in
            withUnsafeBytes(of: s.trainLoss.bitPattern) { Array($0) } + withUnsafeBytes(of: s.learningRate.bitPattern) { Array($0) }
                + withUnsafeBytes(of: s.samplesSeen) { Array($0) }
        }
        for (key, series) in metrics.diagnostics {
            result["\(run)/metrics:diagnostics/\(key)"] = series.flatMap { v in withUnsafeBytes(of: v.bitPattern) { Array($0) } }
        }
        let weights = try WeightsFile.read(from: "\(root)/\(run)/weights.h5")
        for epoch in weights.epochs {
            for (name, tensor) in weights.snapshots[epoch]!.tensorsByName {
                result["\(run)/weights:\(epoch)/\(name)"] = tensor.scalars.flatMap { v in withUnsafeBytes(of: v.bitPattern) { Array($0) } }
            }
        }
    }
    return result
}
