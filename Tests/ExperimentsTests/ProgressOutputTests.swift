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
        for run in runs {
            XCTAssertTrue(text.contains("small/\(run): starting\n"), text)
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
