import Charts
import Experiments
import Foundation
@testable import Report
import XCTest

/// A categorical swept variable: separate points in the sweep file's order, no line.
final class ReportCategoricalTests: XCTestCase {
    var results: SyntheticResults!

    override func setUpWithError() throws {
        results = try SyntheticResults.make()
        let runs = try results.writeSweep(#"{"name": "act", "base": {}, "seeds": [0, 1], "grid": {"model.activation": ["tanh", "relu", "sigmoid"]}}"#)
        for run in runs { try results.writeRun(run, sweep: "act", SyntheticResults.RunSpec(images: false)) }
    }

    override func tearDown() { results.remove() }

    func testCategoriesAreSeparatePointsInTheSweepOrder() throws {
        let analysis = try SweepAnalysis.load(name: "act", results: results.results)
        XCTAssertEqual(analysis.groups.map(\.label), ["activation=relu", "activation=sigmoid", "activation=tanh"])  // the table: sorted
        let chart = try XCTUnwrap(SweptVariableChart(analysis: analysis).chart())
        XCTAssertEqual(chart.xAxis.categories, ["tanh", "relu", "sigmoid"])
        let means = try XCTUnwrap(chart.series.first { $0.name == "mean over seeds" })
        XCTAssertEqual(means.style, .markersWithRanges)
        XCTAssertEqual(means.points.map(\.x), [0, 1, 2])
        let svg = chart.svg()
        let group = try XCTUnwrap(svg.components(separatedBy: "data-name=\"mean over seeds\"").dropFirst().first?.components(separatedBy: "</g>").first)
        XCTAssertFalse(group.contains("polyline"), group)
        XCTAssertFalse(group.contains("polygon"), group)
        XCTAssertEqual(group.components(separatedBy: "class=\"range\"").count - 1, 3)
    }

    func testPythonCellRuns() throws {
        guard runProgram(["/usr/bin/python3", "-c", "import h5py, matplotlib, numpy"]).status == 0 else {
            throw XCTSkip("/usr/bin/python3 with h5py and matplotlib missing")
        }
        _ = try ReportEntry.run(sweeps: [], results: results.results, out: results.out)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/run_notebook_cells.py").standardized.path
        let run = runProgram(["/usr/bin/python3", script, results.out + "/act.md"])
        XCTAssertEqual(run.status, 0, run.output)
        let markdown = try String(contentsOfFile: results.out + "/act.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("ax.errorbar("))
    }
}
