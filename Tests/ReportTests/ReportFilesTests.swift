import Foundation
@testable import Report
import TestSupport
import XCTest

/// The files of a report: links, SVGs, byte-identical reruns, the Python cells.
final class ReportFilesTests: XCTestCase {
    var results: SyntheticResults!

    override func setUpWithError() throws {
        results = try SyntheticResults.make()
        _ = try Fixture.build(results)
    }

    override func tearDown() { results.remove() }

    func testLinksResolveToFilesInsideTheOutputDirectory() throws {
        _ = try Fixture.report(results)
        let out = results.out
        let link = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        var checked = 0
        for name in ["batchsize.md", "index.md"] {
            let text = try String(contentsOfFile: out + "/" + name, encoding: .utf8)
            for match in link.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = String(text[Range(match.range(at: 1), in: text)!])
                XCTAssertFalse(target.hasPrefix("/") || target.contains("..") || target.contains("://"), target)
                XCTAssertTrue(OutputDirectory.isRegularFile(out + "/" + target), "\(name) links to missing \(target)")
                checked += 1
            }
        }
        // index → notebook; 5 figures; 3 configurations × (2 kernel grids + 3 activation maps); 2 diagnostics.
        XCTAssertEqual(checked, 1 + 5 + 15 + 2)
        let figures = Set(try FileManager.default.contentsOfDirectory(atPath: out + "/figures/batchsize"))
        XCTAssertTrue(figures.isSuperset(of: ["train_loss.svg", "test_accuracy.svg", "test_error.svg", "step_loss.svg", "final_accuracy.svg",
                                              "grad_norm.svg", "update_ratio.svg", "c01-kernels-epoch_0000.png",
                                              "c01-kernels-epoch_0002.png", "c01-epoch_0002-image_00000-A16.png"]))
        // The first-layer grid is P0's, copied byte for byte.
        let run16 = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: results.results + "/batchsize")
            .first { $0.hasPrefix("batch_size=16,seed=2-") })
        XCTAssertEqual(FileManager.default.contents(atPath: out + "/figures/batchsize/c01-kernels-epoch_0002.png"),
                       FileManager.default.contents(atPath: results.results + "/batchsize/\(run16)/kernels/epoch_0002/P0.png"))
        let markdown = try String(contentsOfFile: out + "/batchsize.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("| A0 | A1 | A16 |"))  // numeric order
    }

    func testSVGsParseAndHoldTheSeries() throws {
        _ = try Fixture.report(results)
        let dir = results.out + "/figures/batchsize/"
        func series(_ file: String) throws -> [XMLElementRecord] {
            let text = try String(contentsOfFile: dir + file, encoding: .utf8)
            if let parsed = pythonParsesXML(atPath: dir + file) { XCTAssertTrue(parsed, file) }
            return parseXML(text)
        }
        for file in ["train_loss.svg", "test_accuracy.svg", "test_error.svg", "step_loss.svg"] {
            let elements = try series(file)
            let names = elements.filter { $0.attributes["class"] == "series" }.compactMap { $0.attributes["data-name"] }
            XCTAssertEqual(names, ["batch_size=16", "batch_size=64", "batch_size=64, seed 1 (diverged)", "batch_size=256"], file)
            XCTAssertEqual(elements.filter { $0.attributes["class"] == "diverged" }.count, 1, file)
        }
        let loss = try series("train_loss.svg")
        XCTAssertEqual(loss.first { $0.attributes["class"] == "axis-title y" }?.text, "train loss (nats)")
        XCTAssertEqual(loss.filter { $0.attributes["class"] == "band" }.count, 3)
        let error = try series("test_error.svg")
        XCTAssertEqual(error.first { $0.attributes["class"] == "axis-title y" }?.text, "test error (%)")
        let errorTicks = error.filter { $0.attributes["class"] == "tick y" }.compactMap { Double($0.text) }
        XCTAssertGreaterThanOrEqual(errorTicks.count, 2)
        XCTAssertTrue(errorTicks.contains(10), "log-axis ticks \(errorTicks)")   // 1-2-5 decades around 10 %
        let final = try series("final_accuracy.svg")
        XCTAssertEqual(final.filter { $0.attributes["class"] == "tick x" }.map(\.text), ["10", "20", "50", "100", "200", "500", "1000"])
        XCTAssertEqual(final.first { $0.attributes["class"] == "axis-title x" }?.text, "training.batch_size")
        let names = final.filter { $0.attributes["class"] == "series" }.compactMap { $0.attributes["data-name"] }
        XCTAssertEqual(names, ["single seeds", "mean over seeds", "diverged run (last finite accuracy)"])
        let gradients = try series("grad_norm.svg")
        XCTAssertEqual(gradients.filter { $0.attributes["class"] == "series" }.compactMap { $0.attributes["data-name"] }, ["P0", "P4", "P12"])
    }

    func testBlownUpLossesAreCutAndWrittenInScientificNotation() throws {
        let runs = try results.writeSweep(#"{"name": "blowup", "base": {}, "grid": {"training.learning_rate": [0.1, 50]}}"#)
        try results.writeRun(runs[0], sweep: "blowup", SyntheticResults.RunSpec(images: false))
        try results.writeRun(runs[1], sweep: "blowup", SyntheticResults.RunSpec(testAccuracy: [0.1, 0.1, 0.11],
                                                                                 trainLoss: [2.3, 3.5e10, 3.66e16], images: false))
        _ = try ReportEntry.run(sweeps: ["blowup"], results: results.results, out: results.out)
        let markdown = try String(contentsOfFile: results.out + "/blowup.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("| 11.00 ± — | 11.00 ± — | 3.66e16 | 0.3000 |"), markdown)
        let svg = parseXML(try String(contentsOfFile: results.out + "/figures/blowup/train_loss.svg", encoding: .utf8))
        XCTAssertEqual(svg.filter { $0.attributes["class"] == "tick y" }.map(\.text), ["0", "1", "2", "3"])  // axis 0 … 1.5 × 2.3
        XCTAssertEqual(svg.filter { $0.attributes["class"] == "band" }.count, 1)  // not the blown-up one
        XCTAssertTrue(markdown.contains("the loss axes stop there"))
    }

    func testRerunsAreByteIdentical() throws {
        _ = try Fixture.report(results)
        let first = SyntheticResults.snapshot(results.out)
        XCTAssertGreaterThan(first.count, 20)
        try FileManager.default.removeItem(atPath: results.out)
        _ = try Fixture.report(results)
        XCTAssertEqual(SyntheticResults.snapshot(results.out), first)
        _ = try Fixture.report(results)  // over the existing files
        XCTAssertEqual(SyntheticResults.snapshot(results.out), first)
    }

    func testStaleFiguresAreRemovedAndOnlyNamedSweepsRendered() throws {
        _ = try Fixture.report(results)
        try Data("old".utf8).write(to: URL(fileURLWithPath: results.out + "/figures/batchsize/c09-old.png"))
        try results.writeSweep(#"{"name": "other", "base": {}, "grid": {"training.epochs": [1, 2]}}"#)
        let summary = try Fixture.report(results, sweeps: ["batchsize"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: results.out + "/figures/batchsize/c09-old.png"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: results.out + "/other.md"))
        XCTAssertEqual(summary.sweeps.map(\.name), ["batchsize", "other"])  // the index lists every sweep
        let index = try String(contentsOfFile: results.out + "/index.md", encoding: .utf8)
        XCTAssertTrue(index.contains("| [batchsize](batchsize.md) | Batch size 16 to 256, three seeds. | 9 |"))
        XCTAssertTrue(index.contains("| other |   | 2 | 2 pending | — |"))
        XCTAssertTrue(index.contains("batch\\_size=16: 98.17 ± 1.26 %"))
    }

    func testPythonCellsRun() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("no /usr/bin/python3") }
        guard runProgram(["/usr/bin/python3", "-c", "import h5py, matplotlib, numpy"]).status == 0 else {
            throw XCTSkip("python3-h5py or python3-matplotlib missing")
        }
        _ = try Fixture.report(results)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/run_notebook_cells.py").standardized.path
        // By the notebook's own relative path (notebooks-md/../results) …
        let relative = runProgram(["/usr/bin/python3", script, results.out + "/batchsize.md"])
        XCTAssertEqual(relative.status, 0, relative.output)
        XCTAssertTrue(relative.output.contains("python cells ran"), relative.output)
        // … and with the results elsewhere, through EXP_RESULTS.
        let moved = results.root + "/elsewhere"
        try FileManager.default.moveItem(atPath: results.results, toPath: moved)
        let overridden = runProgram(["/usr/bin/python3", script, results.out + "/batchsize.md", "--results", moved])
        XCTAssertEqual(overridden.status, 0, overridden.output)
    }
}
