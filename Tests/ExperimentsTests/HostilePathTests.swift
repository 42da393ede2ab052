import Experiments
import Foundation
import XCTest

/// Whatever `exp run` writes stays under --results: names cannot escape it and symbolic links
/// planted in the results tree are refused, never followed (tests run as root, so permissions
/// would not stop a write).
final class HostilePathTests: XCTestCase {
    /// Every regular file and directory under `root` (symbolic links are listed, not followed).
    func entries(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
    }

    func plan(_ text: String, in dir: String) throws -> [PlannedRun] {
        try text.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        return try RunEntry.plan(RunOptions(sweepPath: dir + "/sweep.json"), registry: PluginRegistry()).1
    }

    /// Hostile values of a varying key become plain names: no '/', never '.' or '..', one path
    /// component under results/<sweep>/.
    func testRunDirectoryNamesCannotEscape() throws {
        let dir = try makeTemporaryDirectory(self)
        let values = [#""../../../../tmp/evil""#, #""/etc""#, #""..""#, #"".""#, #""a/../../b""#, #""x\u0000y""#, #""\n""#,
                      #""~root""#, #""C:\\temp""#, #""${HOME}""#]
        // Each with its own learning rate: runs differing only in dataset.path would be one run.
        let zip = values.enumerated().map { #"{"dataset.path": \#($1), "training.learning_rate": \#(0.01 * Double($0 + 1))}"# }
        let runs = try plan(#"{"name": "x", "zip": [\#(zip.joined(separator: ", "))]}"#, in: dir)
        XCTAssertEqual(runs.count, 10)
        for run in runs {
            let name = run.directoryName
            XCTAssertFalse(name.contains("/") || name == "." || name == ".." || name.contains("\0"), name)
            XCTAssertTrue(name.hasPrefix("path="), name)
            let resolved = URL(fileURLWithPath: dir + "/results/x/" + name).standardized.path
            XCTAssertEqual((resolved as NSString).deletingLastPathComponent, dir + "/results/x", name)
        }
        XCTAssertEqual(runs[0].directoryName.prefix(27), "path=.._.._.._.._tmp_evil,l")
    }

    /// results/<sweep> planted as a link to a directory elsewhere: refused before training with
    /// an error naming the link; nothing is written at the link's target.
    func testSweepDirectorySymlinkIsRefused() throws {
        let dir = try makeTemporaryDirectory(self)
        let elsewhere = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: dir + "/results", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/results/small", withDestinationPath: elsewhere)
        XCTAssertThrowsError(try runSweep(smallSweep(), in: dir)) { error in
            XCTAssertEqual("\(error)", "cannot write \(dir)/results/small: is a symbolic link; results are only written into real directories")
        }
        XCTAssertEqual(entries(elsewhere), [])
    }

    /// A run directory planted as a link: that run fails (no status.json written through the
    /// link), the other run completes, exit 1, nothing appears at the link's target.
    func testRunDirectorySymlinkFailsThatRunOnly() throws {
        let dir = try makeTemporaryDirectory(self)
        let elsewhere = try makeTemporaryDirectory(self)
        let text = smallSweep(extra: #", "seeds": [0, 1]"#).replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 1")
        let runs = try plan(text, in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/results/small", withIntermediateDirectories: true)
        let planted = dir + "/results/small/" + runs[0].directoryName
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: elsewhere)
        let summary = try runSweep(text, in: dir)
        XCTAssertEqual(summary.exitCode, 1)
        XCTAssertEqual(summary.runs.map(\.state), [.failed, .completed])
        XCTAssertEqual(entries(elsewhere), [], "nothing written through the link")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: planted), elsewhere)
    }

    /// Links planted inside a pending run's directory (kernels/ and a temporary name of
    /// status.json) are removed with the rest of the directory, never written through.
    func testLinksInsideARunDirectoryAreNotFollowed() throws {
        let dir = try makeTemporaryDirectory(self)
        let elsewhere = try makeTemporaryDirectory(self)
        let text = smallSweep().replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 1")
        let run = dir + "/results/small/" + (try plan(text, in: dir))[0].directoryName
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: run + "/kernels", withDestinationPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: run + "/status.json.tmp.\(getpid())",
                                                   withDestinationPath: elsewhere + "/status")
        try FileManager.default.createSymbolicLink(atPath: run + "/metrics.h5.tmp.\(getpid())",
                                                   withDestinationPath: elsewhere + "/metrics")
        let summary = try runSweep(text, in: dir)
        XCTAssertEqual(summary.runs.map(\.state), [.completed])
        XCTAssertEqual(entries(elsewhere), [])
        XCTAssertTrue(AtomicFile.isRealDirectory(run + "/kernels"))
    }

    /// The temporary names of the atomic writers are not followed either when a link is
    /// planted while the run directory already exists (e.g. between two epochs).
    func testAtomicWriteReplacesAPlantedTemporaryLink() throws {
        let dir = try makeTemporaryDirectory(self)
        let target = dir + "/outside"
        try "keep".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/status.json.tmp.\(getpid())", withDestinationPath: target)
        try AtomicFile.write("{}\n", to: dir + "/status.json")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep")
        XCTAssertEqual(try String(contentsOfFile: dir + "/status.json", encoding: .utf8), "{}\n")
    }

    /// status.json, config.json and lock planted as links to endless devices are not read
    /// (they would hang `exp status` or fill memory): the run is damaged, the lock unreadable.
    func testLinksToDevicesAreNotRead() throws {
        let dir = try makeTemporaryDirectory(self)
        let run = dir + "/results/x/" + (try plan(#"{"name": "x"}"#, in: dir))[0].directoryName
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        for (name, device) in [("status.json", "/dev/zero"), ("config.json", "/dev/urandom"), ("lock", "/dev/zero")] {
            try FileManager.default.createSymbolicLink(atPath: run + "/" + name, withDestinationPath: device)
        }
        let (state, _, problem) = RunInspector.state(of: run, id: "1faca9f5")
        XCTAssertEqual(state, .damaged)
        XCTAssertEqual(problem, "\(run)/status.json is damaged: not a regular file of at most 64 MiB")
        XCTAssertNil(RunLock.holder(at: run + "/lock"))
        XCTAssertNil(AtomicFile.contents(ofSmallFile: run + "/config.json"))
    }
}
