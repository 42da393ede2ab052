@testable import Experiments
import Foundation
import XCTest

/// The progress plugin's text, captured through a probe that forwards every event to a
/// `ProgressPlugin` drawing as on a terminal.
final class ProgressProbe: ExperimentPlugin {
    static let name = "progress-probe"
    nonisolated(unsafe) static var lines: [String] = []
    static let lock = NSLock()
    let progress = ProgressPlugin(isTerminal: true) { text in
        ProgressProbe.lock.lock()
        ProgressProbe.lines.append(text)
        ProgressProbe.lock.unlock()
    }

    init(options: JSONObject) throws {}

    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        try progress.handle(event, context: context)
    }
}

final class ProgressOutputTests: XCTestCase {
    /// `--jobs 2`: two runs print at once, so no bar (a carriage return would overwrite the other
    /// run's line) and every line names its run.
    func testConcurrentRunsPrintLabelledLinesWithoutBars() throws {
        let dir = try makeTemporaryDirectory(self)
        ProgressProbe.lines = []
        let summary = try runSweep(smallSweep(base: #", "plugins": [{"name": "progress", "enabled": false}, {"name": "progress-probe"}]"#,
                                              extra: #", "seeds": [0, 1]"#),
                                   in: dir, plugins: [ProgressProbe.self]) { $0.jobs = 2 }
        XCTAssertEqual(summary.exitCode, 0)
        let runs = summary.runs.map(\.directory)
        XCTAssertEqual(runs.count, 2)
        let text = ProgressProbe.lines.joined()
        XCTAssertFalse(text.contains("\r"), text)
        XCTAssertFalse(text.contains("#"), text)
        let lines = text.split(separator: "\n").map(String.init)
        for run in runs {
            // Every line of a run starts with the same label, the first one too.
            XCTAssertTrue(lines.contains("\(run): starting"), text)
            XCTAssertEqual(lines.filter { $0.contains(run) }.count, lines.filter { $0.hasPrefix("\(run): ") }.count, text)
            XCTAssertTrue(text.contains("\(run): epoch 0/2: train loss"), text)
            XCTAssertTrue(text.contains("\(run): epoch 2/2: train loss"), text)
            XCTAssertTrue(text.contains("\(run): completed after 2 epochs\n"), text)
        }
        // Every line is written whole (one write per line).
        XCTAssertTrue(ProgressProbe.lines.allSatisfy { $0.hasSuffix("\n") }, "\(ProgressProbe.lines)")
    }

    /// Alone on a terminal: the bar is drawn and cleared, lines are indented, not labelled.
    func testASingleRunDrawsItsBar() throws {
        let dir = try makeTemporaryDirectory(self)
        ProgressProbe.lines = []
        // The first step of an epoch draws the bar (the last drawing is long ago).
        let summary = try runSweep(smallSweep(base: #", "plugins": [{"name": "progress", "enabled": false}, {"name": "progress-probe"}]"#),
                                   in: dir, plugins: [ProgressProbe.self])
        XCTAssertEqual(summary.exitCode, 0)
        let run = try XCTUnwrap(summary.runs.first?.directory)
        let text = ProgressProbe.lines.joined()
        XCTAssertTrue(text.contains("\r  epoch 1/2 ["), text)
        XCTAssertTrue(text.contains("\r\u{1B}[K  epoch 1/2: train loss"), text)
        XCTAssertTrue(text.contains("  completed after 2 epochs\n"), text)
        XCTAssertFalse(text.contains("\(run): epoch"), text)
    }
}

/// The progress lines' numbers: Swift integers, whatever their size (a C `%d` printed
/// `epoch 379/-1` for 2^32 − 1 epochs).
final class ProgressFormatTests: XCTestCase {
    func testHugeEpochCountsArePrintedWhole() {
        let row = EpochMetrics(epoch: 379, trainLoss: 0.5, trainAccuracy: 0.875, testLoss: 0.25, testAccuracy: 0.9375,
                               learningRate: 0.1, seconds: 2)
        XCTAssertEqual(ProgressPlugin.epochLine(row, epochs: 4_294_967_295, samplesPerSecond: 1000),
                       "epoch 379/4294967295: train loss 0.5000 acc 87.50%, test loss 0.2500 acc 93.75%, 2.0 s, 1000 samples/s")
        XCTAssertEqual(ProgressPlugin.barLine(epoch: 3_000_000_000, epochs: 5_000_000_000, stepInEpoch: 5, stepsPerEpoch: 10,
                                              step: 30_000_000_000_005, loss: 0.125, samplesPerSecond: 640, eta: 3725),
                       "  epoch 3000000000/5000000000 [##########..........] step 30000000000005 loss 0.1250 640 samples/s ETA 1h02m ")
        XCTAssertEqual(ProgressPlugin.duration(65), "1m05s")
        XCTAssertEqual(ProgressPlugin.duration(.infinity), "?")
        XCTAssertEqual(ProgressPlugin.duration(1e300), "?")
    }
}
