import Experiments
import Foundation
@testable import Report
import XCTest

/// A sweep file edited between two `exp run`s (training.epochs 3 → 2): sweep.json lists the
/// runs of both, and the report keeps them apart.
final class ReportEditedSweepTests: XCTestCase {
    var results: SyntheticResults!

    override func setUpWithError() throws { results = try SyntheticResults.make() }
    override func tearDown() { results.remove() }

    static func sweep(epochs: Int) -> String {
        #"{"name": "edited", "base": {"training": {"epochs": \#(epochs)}}, "seeds": [0, 1], "grid": {"training.batch_size": [16, 64]}}"#
    }

    /// Runs of the 3-epoch file, then of the 2-epoch file (the last one, batch 64 seed 1,
    /// pending), all under one sweep.json whose definition is the 2-epoch file; the same
    /// command line three times; one run with `training.threads` 1 (outside the run id).
    func build() throws {
        let old = try Sweep.parse(Self.sweep(epochs: 3), file: "sweep.json").expand(file: "sweep.json")
        let new = try results.writeSweep(Self.sweep(epochs: 2)) { record in
            var runs = old.map(\.sweepEntry)
            runs += record[path: "runs"]!.arrayValue!
            record.set(path: "runs", to: .array(runs))
            let command: JSONValue = ["argv": ["exp", "run", "experiments/edited.json"], "time": "2026-01-02T03:04:05Z"]
            record.set(path: "commands", to: [command, command, command])
        }
        XCTAssertTrue(Set(old.map(\.id)).isDisjoint(with: new.map(\.id)))
        for run in old + new.dropLast() {
            let accuracy = run.configuration.json[path: "training.epochs"] == .int(3) ? 0.9 : 0.8
            try results.writeRun(run, sweep: "edited", SyntheticResults.RunSpec(testAccuracy: [0.1, 0.5, accuracy]))
        }
        let path = "\(results.results)/edited/\(old[0].directoryName)/config.json"
        var configuration = try JSONParser.parse(bytes: Array(FileManager.default.contents(atPath: path)!))
        configuration.set(path: "training.threads", to: 1)
        try results.write(configuration.prettyJSON, to: path)
    }

    func testRunsOfDifferentEpochsAreDifferentConfigurations() throws {
        try build()
        let analysis = try SweepAnalysis.load(name: "edited", results: results.results)
        XCTAssertEqual(analysis.sweptKeys, ["training.batch_size", "training.epochs"])
        XCTAssertEqual(analysis.configurationOnlyKeys, ["training.epochs"])
        XCTAssertEqual(analysis.groups.map(\.label), ["batch_size=16, epochs=2", "batch_size=16, epochs=3",
                                                       "batch_size=64, epochs=2", "batch_size=64, epochs=3"])
        XCTAssertEqual(analysis.groups.map { $0.runs.map(\.entry.seed) }, [[0, 1], [0, 1], [0, 1], [0, 1]])
        XCTAssertEqual(analysis.groups[2].statusText, "1 completed, 1 pending")  // the pending run's epochs from the definition
    }

    func testNotebookShowsTheKeyAsAColumnAndEachCommandOnce() throws {
        try build()
        _ = try ReportEntry.run(sweeps: [], results: results.results, out: results.out)
        let markdown = try String(contentsOfFile: results.out + "/edited.md", encoding: .utf8)
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }.map(String.init)
        XCTAssertTrue(rows.contains { $0.hasPrefix("| best | training.batch\\_size | training.epochs | seeds |") })
        XCTAssertTrue(rows.contains { $0.hasPrefix("| ★ | 16 | 3 | 2 | 90.00 ± 0.00 |") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.hasPrefix("|   | 64 | 2 | 1 | 80.00 ± — |") })
        let fixed = markdown.components(separatedBy: "## Fixed configuration")[1].components(separatedBy: "\n## ")[0]
        XCTAssertFalse(fixed.contains("training.epochs"))
        XCTAssertFalse(fixed.contains("training.threads"))  // 1 in one run, null in the others
        XCTAssertTrue(fixed.contains("| training.learning\\_rate | 0.1 |"))
        XCTAssertEqual(markdown.components(separatedBy: "exp run experiments/edited.json\n").count, 2)
        XCTAssertTrue(markdown.contains("at 2026-01-02T03:04:05Z, 2026-01-02T03:04:05Z, 2026-01-02T03:04:05Z"))
        XCTAssertTrue(markdown.contains("The runs' configurations differ in `training.epochs`"))
        XCTAssertTrue(markdown.contains("**Runs:** 8 in 4 configurations"))
    }

    /// The Python cells group the runs as the table does.
    func testPythonCellsGroupAlike() throws {
        guard runProgram(["/usr/bin/python3", "-c", "import h5py, matplotlib, numpy"]).status == 0 else {
            throw XCTSkip("/usr/bin/python3 with h5py and matplotlib missing")
        }
        try build()
        _ = try ReportEntry.run(sweeps: [], results: results.results, out: results.out)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/run_notebook_cells.py").standardized.path
        let run = runProgram(["/usr/bin/python3", script, results.out + "/edited.md"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("8 runs in 4 configurations"), run.output)
    }

    /// Keys outside the run id (`training.threads`, `dataset.path`, `exports.*`) never split a
    /// configuration.
    func testKeysOutsideTheRunIDDoNotSplit() throws {
        let runs = try results.writeSweep(#"{"name": "threads", "base": {}, "seeds": [0, 1]}"#)
        for (i, run) in runs.enumerated() {
            try results.writeRun(run, sweep: "threads", SyntheticResults.RunSpec())
            let path = "\(results.results)/threads/\(run.directoryName)/config.json"
            var configuration = try JSONParser.parse(bytes: Array(FileManager.default.contents(atPath: path)!))
            configuration.set(path: "training.threads", to: .int(Int64(i + 1)))
            configuration.set(path: "dataset.path", to: .string("/data/\(i)"))
            configuration.set(path: "exports.kernels_every", to: .int(Int64(i)))
            try results.write(configuration.prettyJSON, to: path)
        }
        let analysis = try SweepAnalysis.load(name: "threads", results: results.results)
        XCTAssertEqual(analysis.sweptKeys, [])
        XCTAssertEqual(analysis.groups.count, 1)
        XCTAssertEqual(analysis.groups.first?.aggregated.count, 2)
    }
}
