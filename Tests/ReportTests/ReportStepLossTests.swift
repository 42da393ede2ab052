import Charts
import Experiments
import Foundation
@testable import Report
import XCTest

/// The per-step loss figure: a trailing mean over a number of samples, drawn once the window
/// is full.
final class ReportStepLossTests: XCTestCase {
    /// A completed run at batch size `n` whose minibatch loss at step k (from 0) is 1/(k + 1).
    static func run(batchSize n: Int, steps: Int) -> LoadedRun {
        let loss = (0..<steps).map { 1 / Double($0 + 1) }
        let metrics = RunMetrics(runID: nil, engineVersion: nil, gitCommit: nil, gitDirty: nil, epochs: [0, 1], trainLoss: [2.3, 0.1],
                                 trainAccuracy: [0.1, 0.9], testLoss: [2.3, 0.1], testAccuracy: [0.1, 0.9],
                                 seconds: [0, 1], stepLoss: loss, samplesSeen: (1...steps).map { Double($0 * n) }, diagnostics: [:])
        var run = LoadedRun(entry: SweepRunEntry(id: "0000000\(n % 10)", dir: "batch_size=\(n)", seed: 0,
                                                 overrides: JSONObject()),
                            state: .completed, directory: "/nonexistent")
        run.metrics = metrics
        return run
    }

    func testWindowIsANumberOfSamples() {
        XCTAssertEqual(stepWindow(batchSize: 64, steps: 10_000), 50)
        XCTAssertEqual(stepWindow(batchSize: 1024, steps: 10_000), 3)  // 3,200 / 1,024 = 3.1
        XCTAssertEqual(stepWindow(batchSize: 16, steps: 10_000), 200)
        XCTAssertEqual(stepWindow(batchSize: 256, steps: 10_000), 13)  // 12.5 rounds up
        XCTAssertEqual(stepWindow(batchSize: 8192, steps: 10_000), 1)
        XCTAssertEqual(stepWindow(batchSize: 64, steps: 100), 10)  // at most a tenth of the run
        XCTAssertEqual(stepWindow(batchSize: 64, steps: 5), 1)
        let smoothed = trailingMean([1, 2, 3, 4, 5], window: 2)
        XCTAssertTrue(smoothed[0].isNaN)
        XCTAssertEqual(Array(smoothed.dropFirst()), [1.5, 2.5, 3.5, 4.5])
    }

    /// At n = 1024 the line starts after 3 steps (3,072 samples), each point the mean of the
    /// last 3 minibatch losses — no running mean from the start.
    func testLargeBatchCurveStartsWhenTheWindowIsFull() throws {
        let run = Self.run(batchSize: 1024, steps: 200)
        let record = SweepRecord(name: "s", description: "", definition: .null, commands: [], runs: [run.entry])
        let analysis = SweepAnalysis(directoryName: "s", record: record, runs: [run])
        let chart = try XCTUnwrap(FigureBuilder(analysis: analysis).stepChart())
        let first = try XCTUnwrap(chart.series.first?.points.first)
        XCTAssertEqual(first.x, 3 * 1024)
        XCTAssertEqual(first.y, (1 + 1.0 / 2 + 1.0 / 3) / 3, accuracy: 1e-12)
        let last = try XCTUnwrap(chart.series.first?.points.last)
        XCTAssertEqual(last.y, (1 / 198.0 + 1 / 199.0 + 1 / 200.0) / 3, accuracy: 1e-12)
        XCTAssertTrue(chart.title.contains("trailing mean over 3200 samples"), chart.title)
    }
}
