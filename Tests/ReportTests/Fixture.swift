import Experiments
import Foundation
import HDF5
@testable import Report

/// The standard test sweep: batch size 256, 16, 64 (file order) × seeds 0, 1, 2, two epochs,
/// with every derived status:
///
/// | batch | seed 0 | seed 1 | seed 2 |
/// |---|---|---|---|
/// | 16  | completed, final 97 %, best 97 % | completed, 98 %, best 98.5 % | completed, 99.5 %, diagnostics |
/// | 64  | completed, 95 % | diverged (NaN at epoch 1) | pending (no directory) |
/// | 256 | crashed (running, lock of a dead pid on this host) | damaged (metrics.h5 is garbage) | completed, 90 % |
enum Fixture {
    static let sweepJSON = """
    {"name": "batchsize", "description": "Batch size 16 to 256, three seeds.",
     "base": {"training": {"epochs": 2}}, "seeds": [0, 1, 2],
     "grid": {"training.batch_size": [256, 16, 64]}}
    """

    /// A lock of a process that does not exist, on this host.
    static var deadLock: String { #"{"host": "\#(RunLock.hostName)", "pid": 999999999}"# }

    static func build(_ results: SyntheticResults) throws -> [PlannedRun] {
        let runs = try results.writeSweep(sweepJSON)
        func run(_ batch: Int64, _ seed: Int64) -> PlannedRun {
            runs.first { $0.overrides["training.batch_size"] == .int(batch) && $0.seed == seed }!
        }
        typealias Spec = SyntheticResults.RunSpec
        try results.writeRun(run(16, 0), sweep: "batchsize",
                             Spec(testAccuracy: [0.1, 0.95, 0.97], trainLoss: [2.3, 0.5, 0.1], testLoss: [2.3, 0.4, 0.2]))
        try results.writeRun(run(16, 1), sweep: "batchsize",
                             Spec(testAccuracy: [0.1, 0.985, 0.98], trainLoss: [2.3, 0.5, 0.2], testLoss: [2.3, 0.4, 0.25]))
        try results.writeRun(run(16, 2), sweep: "batchsize",
                             Spec(testAccuracy: [0.1, 0.99, 0.995], trainLoss: [2.3, 0.5, 0.3], testLoss: [2.3, 0.4, 0.3], diagnostics: true))
        try results.writeRun(run(64, 0), sweep: "batchsize", Spec(testAccuracy: [0.1, 0.9, 0.95]))
        try results.writeRun(run(64, 1), sweep: "batchsize",
                             Spec(status: "diverged", testAccuracy: [0.1, 0.098], trainLoss: [2.3, .nan], testLoss: [2.3, .nan], seconds: [0, 3]))
        try results.writeRun(run(256, 0), sweep: "batchsize",
                             Spec(status: "running", testAccuracy: [0.1, 0.5], seconds: [0, 5], lock: deadLock))
        let damaged = run(256, 1)
        try results.writeRun(damaged, sweep: "batchsize", Spec())
        try results.write("not an HDF5 file", to: "\(results.results)/batchsize/\(damaged.directoryName)/metrics.h5")
        try results.writeRun(run(256, 2), sweep: "batchsize", Spec(testAccuracy: [0.1, 0.8, 0.9]))
        return runs
    }

    /// Builds the fixture and runs the report with the test environment.
    static func report(_ results: SyntheticResults, sweeps: [String] = []) throws -> ReportSummary {
        try ReportEntry.run(sweeps: sweeps, results: results.results, out: results.out)
    }
}
