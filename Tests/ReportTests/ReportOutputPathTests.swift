import ArgumentParser
@testable import ExpCLI
import Foundation
@testable import Report
import TestSupport
import XCTest

/// `exp report --out` paths that cannot be written and hostile PNGs in a run: ReportErrors naming
/// the path and the reason (exit 64), never Foundation's "Error Domain=NSCocoaErrorDomain …" text
/// or an abort.
final class ReportOutputPathTests: XCTestCase {
    var results: SyntheticResults!

    override func setUpWithError() throws { results = try SyntheticResults.make() }
    override func tearDown() { results.remove() }

    /// The ReportError of reporting into `out` (nil if none, a failure for any other error).
    private func error(out: String, file: StaticString = #filePath, line: UInt = #line) -> ReportError? {
        do {
            _ = try ReportEntry.run(sweeps: [], results: results.results, out: out)
            return nil
        } catch let error as ReportError {
            XCTAssertFalse(error.description.contains("NSCocoaErrorDomain"), error.description, file: file, line: line)
            return error
        } catch {
            XCTFail("not a ReportError: \(error)", file: file, line: line)
            return nil
        }
    }

    func testUnwritableOutputPathsNameThePathAndTheReason() throws {
        let root = results.root
        try FileManager.default.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: root + "/missing/target")
        XCTAssertEqual(error(out: root + "/dangling"), ReportError(
            path: root + "/dangling",
            "is a symbolic link to a missing target (\(root)/missing/target); remove it or choose another output directory"))
        XCTAssertEqual(error(out: root + "/dangling/sub"), ReportError(
            path: root + "/dangling",
            "is a symbolic link to a missing target (\(root)/missing/target) (on the way to \(root)/dangling/sub); remove it or choose another output directory"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/missing"), "nothing created through the link")

        XCTAssertEqual(error(out: ""), ReportError(path: "", "the output directory path is empty; give a directory, e.g. notebooks-md"))
        XCTAssertEqual(ReportError(path: "", "x").description, "'': x")

        try results.write("x", to: root + "/afile")
        XCTAssertEqual(error(out: root + "/afile/sub"),
                       ReportError(path: root + "/afile", "exists and is not a directory (on the way to \(root)/afile/sub)"))
        XCTAssertEqual(error(out: root + "/afile"), ReportError(path: root + "/afile", "exists and is not a directory"))
        XCTAssertEqual(try String(contentsOfFile: root + "/afile", encoding: .utf8), "x")

        // /proc refuses new directories (for root too).
        XCTAssertEqual(error(out: "/proc/exp-report-test/sub"), ReportError(
            path: "/proc/exp-report-test", "cannot create the directory (on the way to /proc/exp-report-test/sub): No such file or directory"))

        // A read-only directory (root may write anyway, so only checked for other users).
        let readOnly = root + "/readonly"
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
        chmod(readOnly, 0o555)
        defer { chmod(readOnly, 0o755) }
        if geteuid() != 0 {
            XCTAssertEqual(error(out: readOnly), ReportError(path: readOnly, "cannot write into the directory: Permission denied"))
            XCTAssertEqual(error(out: readOnly + "/sub"), ReportError(path: readOnly + "/sub", "cannot create the directory: Permission denied"))
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: readOnly), [])
        }

        // A symbolic link to a real directory as --out itself is followed: the user chose it.
        try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: root + "/linked", withDestinationPath: root + "/real")
        XCTAssertNil(error(out: root + "/linked/notebooks"))
        XCTAssertTrue(OutputDirectory.isRegularFile(root + "/real/notebooks/index.md"))
    }

    /// Through the command: exit 64 for each bad --out, and an empty --out names the option.
    func testCommandExitsWith64() throws {
        try results.write("x", to: results.root + "/afile")
        try FileManager.default.createSymbolicLink(atPath: results.root + "/dangling", withDestinationPath: results.root + "/nowhere")
        for out in ["", results.root + "/dangling", results.root + "/afile/sub", results.root + "/afile"] {
            let command = try XCTUnwrap(try Exp.parseAsRoot(["report", "--results", results.results, "--out", out]) as? ReportCommand)
            XCTAssertThrowsError(try command.run(), out) { XCTAssertEqual(($0 as? ExitCode)?.rawValue, 64, "\(out): \($0)") }
        }
    }

    /// A 100-byte P0.png claiming 1,000,000 × 1,000,000 RGB pixels (3 TB decoded) is left out of
    /// the gallery like any undecodable PNG; the other epochs' grids are still copied.
    func testPNGWithAHugeHeaderIsLeftOut() throws {
        _ = try Fixture.build(results)
        let sweep = results.results + "/batchsize"
        var replaced = 0
        for run in try FileManager.default.contentsOfDirectory(atPath: sweep) where run.hasPrefix("batch_size=16,") {
            try Data(CraftedPNG.hugeHeader).write(to: URL(fileURLWithPath: "\(sweep)/\(run)/kernels/epoch_0000/P0.png"))
            replaced += 1
        }
        XCTAssertEqual(replaced, 3)
        _ = try Fixture.report(results)
        let figures = Set(try FileManager.default.contentsOfDirectory(atPath: results.out + "/figures/batchsize"))
        XCTAssertTrue(figures.contains("c01-kernels-epoch_0002.png"), "\(figures.sorted())")
        XCTAssertFalse(figures.contains("c01-kernels-epoch_0000.png"), "\(figures.sorted())")
        XCTAssertTrue(figures.contains("c02-kernels-epoch_0000.png"), "\(figures.sorted())")
        let markdown = try String(contentsOfFile: results.out + "/batchsize.md", encoding: .utf8)
        XCTAssertFalse(markdown.contains("c01-kernels-epoch_0000.png"))
    }
}
