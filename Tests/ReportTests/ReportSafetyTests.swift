import ArgumentParser
@testable import ExpCLI
import Experiments
import Foundation
@testable import Report
import TestSupport
import XCTest

/// Hostile names, bad input, symbolic links, the CLI.
final class ReportSafetyTests: XCTestCase {
    var results: SyntheticResults!

    override func setUpWithError() throws { results = try SyntheticResults.make() }
    override func tearDown() { results.remove() }

    static let hostileName = "<b>bad</b> | `x` \n# head \u{1B}[31m $a$"
    static let hostileDescription = "<script>alert(1)</script> ![x](http://evil/x.png) [link](javascript:alert(1)) | a | b\n- item\r\n\u{202E}rev 1. x"
    static let hostileValue = "<img src=x onerror=alert(1)>|# *a* _b_ $x$"

    func buildHostile() throws {
        let runs = try results.writeSweep(#"{"name": "hostile", "base": {"training": {"epochs": 2}}, "grid": {"training.batch_size": [16, 32, 64]}}"#) { record in
            record.set(path: "name", to: .string(Self.hostileName))
            record.set(path: "description", to: .string(Self.hostileDescription))
            record.set(path: "commands", to: [["argv": ["exp", "run", "```\nrm -rf /\n```", "$(touch /tmp/x)", "a'b"], "time": "<t>"]])
            guard case var .array(entries) = record[path: "runs"]! else { return }
            entries[0].set(path: "overrides", to: .object(JSONObject([("training.batch_size", .string(Self.hostileValue))])))
            entries[1].set(path: "dir", to: "../../outside")
            entries[2].set(path: "dir", to: "/etc")
            record.set(path: "runs", to: .array(entries))
        }
        try results.writeRun(runs[0], sweep: "hostile", SyntheticResults.RunSpec())
    }

    func testHostileNamesAreEscaped() throws {
        try buildHostile()
        let summary = try Fixture.report(results)
        XCTAssertEqual(summary.sweeps.first?.counts[.damaged], 2)  // ../../outside and /etc
        XCTAssertFalse(FileManager.default.fileExists(atPath: results.root + "/outside"))
        for file in ["hostile.md", "index.md"] {
            let text = try String(contentsOfFile: results.out + "/" + file, encoding: .utf8)
            for raw in ["<script", "<b>", "<img", "\u{1B}", "\u{202E}", "\r"] { XCTAssertFalse(text.contains(raw), "\(file) contains \(raw.debugDescription)") }
            // Every link is one of ours: a figure or a notebook.
            let link = try NSRegularExpression(pattern: #"(?<!\\)\]\(([^)]*)\)"#)
            for match in link.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = String(text[Range(match.range(at: 1), in: text)!])
                XCTAssertTrue(target.hasPrefix("figures/hostile/") || target == "hostile.md", "\(file): unexpected link \(target)")
            }
        }
        let text = try String(contentsOfFile: results.out + "/hostile.md", encoding: .utf8)
        XCTAssertTrue(text.contains("\n# Sweep: &lt;b&gt;bad&lt;/b&gt; \\| \\`x\\`  \\# head \u{FFFD}\\[31m \\$a\\$\n"))
        XCTAssertTrue(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\!\\[x\\](http://evil/x.png)"))
        XCTAssertTrue(text.contains("````sh\nexp run '```\nrm -rf /\n```' '$(touch /tmp/x)' 'a'\\''b'\n````"))
        // Table rows keep their column count: no unescaped | inside cells.
        let header = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("| best |") })
        let columns = Self.unescapedPipes(header)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("|") }
        let resultRows = rows.filter { $0.contains("&lt;img") && $0.contains("completed") && !$0.contains("seed=") }
        XCTAssertEqual(resultRows.count, 1)
        XCTAssertEqual(resultRows.map(Self.unescapedPipes), [columns])
        XCTAssertTrue(resultRows[0].contains("&lt;img src=x onerror=alert(1)&gt;\\|\\# \\*a\\* \\_b\\_ \\$x\\$"))
        // The SVGs carry the hostile label, escaped, and still parse.
        for svg in try FileManager.default.contentsOfDirectory(atPath: results.out + "/figures/hostile") where svg.hasSuffix(".svg") {
            let elements = parseXML(try String(contentsOfFile: results.out + "/figures/hostile/" + svg, encoding: .utf8))
            XCTAssertFalse(elements.contains { $0.name == "script" || $0.name == "img" }, svg)
            if let parsed = pythonParsesXML(atPath: results.out + "/figures/hostile/" + svg) { XCTAssertTrue(parsed, svg) }
        }
        let train = try String(contentsOfFile: results.out + "/figures/hostile/train_loss.svg", encoding: .utf8)
        XCTAssertTrue(train.contains("batch_size=&lt;img src=x onerror=alert(1)&gt;|# *a* _b_ $x$"))
    }

    static func unescapedPipes<S: StringProtocol>(_ line: S) -> Int {
        var count = 0, escaped = false
        for c in line { if c == "|" && !escaped { count += 1 }; escaped = c == "\\" && !escaped }
        return count
    }

    func testPythonCellsSurviveHostileValues() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("no /usr/bin/python3") }
        try buildHostile()
        _ = try Fixture.report(results)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/run_notebook_cells.py").standardized.path
        guard runProgram(["/usr/bin/python3", "-c", "import h5py, matplotlib"]).status == 0 else { throw XCTSkip("h5py or matplotlib missing") }
        let outcome = runProgram(["/usr/bin/python3", script, results.out + "/hostile.md"])
        XCTAssertEqual(outcome.status, 0, outcome.output)
    }

    func testBadInputNamesThePathAndWritesNothing() throws {
        func error(_ body: () throws -> Void) -> ReportError? {
            do { try body(); return nil } catch let e as ReportError { return e } catch { return nil }
        }
        let missing = error { _ = try ReportEntry.run(sweeps: [], results: results.root + "/nope", out: results.out) }
        XCTAssertEqual(missing?.path, results.root + "/nope")
        XCTAssertEqual(error { _ = try Fixture.report(results, sweeps: ["../etc"]) }?.path, "../etc")
        XCTAssertEqual(error { _ = try Fixture.report(results, sweeps: ["nosuch"]) }?.path, results.results + "/nosuch")
        try FileManager.default.createDirectory(atPath: results.results + "/broken", withIntermediateDirectories: true)
        try results.write("{\"name\": \"broken\",}", to: results.results + "/broken/sweep.json")
        let broken = error { _ = try Fixture.report(results, sweeps: ["broken"]) }
        XCTAssertEqual(broken?.path, results.results + "/broken/sweep.json")
        XCTAssertTrue(broken?.message.contains("invalid JSON: 1:18") == true, broken?.message ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: results.out))
        // Without names, a broken sweep is listed in the index and the others are rendered.
        _ = try Fixture.build(results)
        let summary = try Fixture.report(results)
        XCTAssertEqual(summary.sweeps.map(\.name), ["batchsize", "broken"])
        XCTAssertNotNil(summary.sweeps[1].problem)
        XCTAssertTrue(FileManager.default.fileExists(atPath: results.out + "/batchsize.md"))
    }

    func testOutputThroughSymbolicLinksIsRefused() throws {
        _ = try Fixture.build(results)
        let elsewhere = results.root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: results.out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: results.out + "/figures", withDestinationPath: elsewhere)
        XCTAssertThrowsError(try Fixture.report(results)) { XCTAssertTrue("\($0)".contains("symbolic link"), "\($0)") }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: results.out), ["figures"])  // no notebook written
        // A symbolic link at a file's place is replaced, not followed.
        try FileManager.default.removeItem(atPath: results.out + "/figures")
        let target = elsewhere + "/target.md"
        try results.write("keep", to: target)
        try FileManager.default.createSymbolicLink(atPath: results.out + "/index.md", withDestinationPath: target)
        _ = try Fixture.report(results)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep")
        XCTAssertTrue(OutputDirectory.isRegularFile(results.out + "/index.md"))
        // An output path that is a file is bad input.
        try results.write("x", to: results.root + "/file")
        XCTAssertThrowsError(try ReportEntry.run(sweeps: [], results: results.results, out: results.root + "/file"))
        XCTAssertFalse(OutputDirectory.isPlainRelativePath("../x"))
        XCTAssertFalse(OutputDirectory.isPlainRelativePath("/x"))
        XCTAssertFalse(OutputDirectory.isPlainRelativePath("a//b"))
        XCTAssertTrue(OutputDirectory.isPlainRelativePath("figures/a/b.svg"))
    }

    func testCommandLine() throws {
        let parsed = try XCTUnwrap(try Exp.parseAsRoot(["report", "a", "b", "--results", "r", "--out", "o"]) as? ReportCommand)
        XCTAssertEqual(parsed.sweeps, ["a", "b"])
        XCTAssertEqual(parsed.results, "r")
        XCTAssertEqual(parsed.out, "o")
        let defaults = try XCTUnwrap(try Exp.parseAsRoot(["report"]) as? ReportCommand)
        XCTAssertEqual([defaults.results, defaults.out], ["results", "notebooks-md"])
        let bad = try XCTUnwrap(try Exp.parseAsRoot(["report", "--results", results.root + "/missing"]) as? ReportCommand)
        XCTAssertThrowsError(try bad.run()) { XCTAssertEqual(($0 as? ExitCode)?.rawValue, 64) }
        _ = try Fixture.build(results)
        let summary = try Fixture.report(results)
        let text = ReportCommand.text(summary, out: results.out)
        XCTAssertTrue(text.hasPrefix("batchsize: 5 completed, 1 crashed, 1 diverged, 1 pending, 1 damaged\n  damaged: batch_size=256,seed=1-"), text)
        XCTAssertTrue(text.contains("wrote \(results.out)/batchsize.md\nwrote \(results.out)/index.md\nwrote 22 figure files under"), text)
    }

    func testRunningAndCrashed() throws {
        let runs = try results.writeSweep(#"{"name": "live", "base": {}, "seeds": [0, 1, 2]}"#)
        let now = RunStatus.now()
        try results.writeRun(runs[0], sweep: "live", SyntheticResults.RunSpec(status: "running", testAccuracy: [0.1], heartbeat: now,
                                                                              lock: #"{"host": "\#(RunLock.hostName)", "pid": \#(getpid())}"#))
        try results.writeRun(runs[1], sweep: "live", SyntheticResults.RunSpec(status: "running", testAccuracy: [0.1], heartbeat: now,
                                                                              lock: Fixture.deadLock))
        try results.writeRun(runs[2], sweep: "live", SyntheticResults.RunSpec(status: "running", testAccuracy: [0.1], heartbeat: now))
        let analysis = try SweepAnalysis.load(name: "live", results: results.results)
        XCTAssertEqual(analysis.runs.map(\.state), [.running, .crashed, .crashed])
        XCTAssertEqual(analysis.runs[2].note, "status.json says running (heartbeat \(now)) but there is no lock")
        XCTAssertTrue(analysis.runs[1].note?.contains("process 999999999 on") == true)
        XCTAssertEqual(analysis.counts.map(\.count), [0, 1, 2, 0, 0, 0, 0, 0])
    }

    /// An epoch's image directory being staged (`epoch_NNNN.tmp.<pid>`, or one left by a killed
    /// writer) is not an epoch: the gallery lists published epoch directories only.
    func testStagingDirectoriesAreNotEpochs() throws {
        let root = NSTemporaryDirectory() + "report-staging-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["epoch_0000", "epoch_0001", "epoch_0002.tmp.123", "epoch_0001.old.tmp.123"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        }
        XCTAssertEqual(GalleryEntry.numbered(in: root, prefix: "epoch_", suffix: "", isDirectory: true).map(\.name),
                       ["epoch_0000", "epoch_0001"])
    }

    func testMarkdownEscaping() {
        XCTAssertEqual(Markdown.escape("a_b*c`d[e](f)|g#h~i!j\\k"), "a\\_b\\*c\\`d\\[e\\](f)\\|g\\#h\\~i\\!j\\\\k")
        XCTAssertEqual(Markdown.escape("<a href=\"x\">&amp;</a>"), "&lt;a href=\"x\"&gt;&amp;amp;&lt;/a&gt;")
        XCTAssertEqual(Markdown.escape("- item"), "\\- item")
        XCTAssertEqual(Markdown.escape("---"), "\\---")
        XCTAssertEqual(Markdown.escape("-1"), "-1")
        XCTAssertEqual(Markdown.escape("1. x"), "1\\. x")
        XCTAssertEqual(Markdown.escape("0.1"), "0.1")
        XCTAssertEqual(Markdown.escape("a\nb\tc\u{07}\u{202E}"), "a b c\u{FFFD}\u{FFFD}")
        XCTAssertEqual(Markdown.codeBlock("a ``` b", language: "sh"), "````sh\na ``` b\n````")
        XCTAssertEqual(Markdown.shellCommand(["exp", "run", "a b", "it's", "x=1,2"]), "exp run 'a b' 'it'\\''s' x=1,2")
        XCTAssertEqual(pythonString("a\"b\\c\né"), "\"a\\\"b\\\\c\\u000a\\u00e9\"")
        XCTAssertEqual(pythonString("😀"), "\"\\U0001f600\"")
        XCTAssertEqual(displayValue(["rule": "linear", "base_batch_size": 64]), #"{"base_batch_size": 64, "rule": "linear"}"#)
        XCTAssertEqual(displayValue([1, [2, "a"]]), #"[1, [2, "a"]]"#)
        XCTAssertEqual(displayValue("after"), "after")
        XCTAssertEqual(displayValue(0.1), "0.1")
    }
}
