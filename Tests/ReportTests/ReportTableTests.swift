import Experiments
import Foundation
@testable import Report
import XCTest

/// The notebook's numbers, statuses and sorting on the fixture sweep (numbers checked by hand).
final class ReportTableTests: XCTestCase {
    var results: SyntheticResults!
    var markdown = ""

    override func setUpWithError() throws {
        results = try SyntheticResults.make()
        _ = try Fixture.build(results)
        _ = try Fixture.report(results)
        markdown = try String(contentsOfFile: results.out + "/batchsize.md", encoding: .utf8)
    }

    override func tearDown() { results.remove() }

    func section(_ title: String) -> String {
        let start = markdown.range(of: "\n## \(title)\n")!.upperBound
        let rest = markdown[start...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }

    func testResultsTableNumbersAndOrder() throws {
        let rows = section("Results").split(separator: "\n").filter { $0.hasPrefix("| ") }.map(String.init)
        XCTAssertEqual(rows.first, "| best | training.batch\\_size | seeds | final test acc. (%) | best test acc. (%) | final train loss | "
                       + "final test loss | epochs | training time (s) | status |")
        XCTAssertEqual(rows[1], "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        // 16: final 97, 98, 99.5 → mean 98.1667, s = sqrt(((−1.1667)² + (−0.1667)² + 1.3333²) / 2) = 1.2583;
        //     best 97, 98.5, 99.5 → 98.3333, s = 1.2583; train loss (0.1 + 0.2 + 0.3) / 3; test loss 0.25; time 10 + 12.
        XCTAssertEqual(rows[2], "| ★ | 16 | 3 | 98.17 ± 1.26 | 98.33 ± 1.26 | 0.2000 | 0.2500 | 2 | 22.0 | 3 completed |")
        XCTAssertEqual(rows[3], "|   | 64 | 1 | 95.00 ± — | 95.00 ± — | 0.2000 | 0.3000 | 2 | 22.0 | 1 completed, 1 diverged, 1 pending |")
        XCTAssertEqual(rows[4], "|   | 256 | 1 | 90.00 ± — | 90.00 ± — | 0.2000 | 0.3000 | 2 | 22.0 | 1 completed, 1 crashed, 1 damaged |")
        XCTAssertEqual(rows.count, 5)
    }

    func testStatistics() {
        let s = SampleSummary([97, 98, 99.5])!
        XCTAssertEqual(s.mean, 98.166_666_666_666_67, accuracy: 1e-12)
        XCTAssertEqual(s.standardDeviation!, (19.0 / 12.0).squareRoot(), accuracy: 1e-12)  // Σd² = 19/6, / (n − 1)
        XCTAssertNil(SampleSummary([95])!.standardDeviation)
        XCTAssertNil(SampleSummary([]))
    }

    func testHeaderCountsCommandAndProvenance() {
        XCTAssertTrue(markdown.hasPrefix("---\njupyter:\n  jupytext:\n"))
        XCTAssertTrue(markdown.contains("  kernelspec:\n    display_name: Python 3\n    language: python\n    name: python3\n---\n"))
        XCTAssertTrue(markdown.contains("# Sweep: batchsize\n\nBatch size 16 to 256, three seeds.\n"))
        XCTAssertTrue(markdown.contains("**Runs:** 9 in 3 configurations — 5 completed, 0 running, 1 crashed, 1 diverged, 0 failed, "
                                        + "0 interrupted, 1 pending, 1 damaged."))
        XCTAssertTrue(markdown.contains("```sh\nexp run experiments/batchsize.json\n```\n\nat 2026-01-02T03:04:05Z"))
        XCTAssertTrue(markdown.contains("- 0.1.0, commit abc1234: 7 runs"))
        let fixed = section("Fixed configuration")
        XCTAssertTrue(fixed.contains("| training.epochs | 2 |"))
        XCTAssertTrue(fixed.contains("| model.architecture | lenet5 |"))
        XCTAssertFalse(fixed.contains("batch\\_size |"))  // swept
        XCTAssertFalse(fixed.contains("| seed |"))
    }

    func testRunsTableStatuses() {
        let runs = section("Runs")
        XCTAssertTrue(runs.contains("| crashed |"))
        XCTAssertTrue(runs.contains("process 999999999 on \(Markdown.escape(RunLock.hostName)) is gone or silent"), runs)
        XCTAssertTrue(runs.contains("| damaged |"))
        XCTAssertTrue(runs.contains("| pending |"))
        XCTAssertTrue(runs.contains("| diverged |"))
        XCTAssertTrue(runs.contains("metrics.h5"))  // the damaged run's reason names the file
        XCTAssertEqual(runs.split(separator: "\n").filter { $0.hasPrefix("| batch") }.count, 9)
    }

    func testFindings() {
        let findings = section("What the sweep shows")
        XCTAssertTrue(findings.contains("The highest mean final test accuracy is 98.17 %, for **batch\\_size=16** (3 seeds); the runner-up, "
                                        + "**batch\\_size=64**, reaches 95.00 % (1 seed), a margin of 3.17 percentage points."), findings)
        XCTAssertTrue(findings.contains("With a single seed for at least one of the two, the spread across seeds is unknown"))
        XCTAssertTrue(findings.contains("The lowest mean final test accuracy is 90.00 %, for **batch\\_size=256**."))
        XCTAssertTrue(findings.contains("falls at every step of training.batch\\_size"))
        XCTAssertTrue(findings.contains("1 of 9 runs diverged: batch\\_size=64 (seed 1)."))
        XCTAssertTrue(findings.contains("The table's statistics use the 5 completed runs of 9; the others are 1 crashed, 1 diverged, 1 pending, 1 damaged."))
    }

    func testSummaryCounts() throws {
        let summary = try Fixture.report(results)
        let sweep = try XCTUnwrap(summary.sweeps.first)
        XCTAssertEqual(sweep.name, "batchsize")
        XCTAssertEqual(sweep.counts[.completed], 5)
        XCTAssertEqual(sweep.counts[.crashed], 1)
        XCTAssertEqual(sweep.counts[.damaged], 1)
        XCTAssertEqual(sweep.counts[.pending], 1)
        XCTAssertEqual(sweep.counts[.diverged], 1)
        XCTAssertEqual(sweep.damaged.count, 1)
        XCTAssertEqual(summary.files.first, results.out + "/batchsize.md")
        XCTAssertEqual(summary.files.last, results.out + "/index.md")
    }

    /// A run of `exp run --set training.epochs=1` next to the sweep's own: the others are labelled
    /// with their resolved value (config.json), not `null`.
    func testRunsWithoutAnOverrideShowTheirResolvedValue() throws {
        let runs = try results.writeSweep(#"{"name": "mixed", "base": {}, "grid": {"training.learning_rate": [0.05, 0.1]}}"#) { record in
            var entries = record[path: "runs"]!.arrayValue!
            var first = entries[0].objectValue!
            var overrides = first["overrides"]!.objectValue!
            overrides["training.epochs"] = .int(1)
            first["overrides"] = .object(overrides)
            entries[0] = .object(first)
            record.set(path: "runs", to: .array(entries))
        }
        for run in runs { try results.writeRun(run, sweep: "mixed", SyntheticResults.RunSpec()) }
        let analysis = try SweepAnalysis.load(name: "mixed", results: results.results)
        XCTAssertEqual(Set(analysis.groups.map(\.label)), ["learning_rate=0.05, epochs=1", "learning_rate=0.1, epochs=5"])
    }
}
