import ArgumentParser
import Experiments
import Foundation
import XCTest

@testable import ExpCLI

/// `exp run` refuses bad input with exit 64 and writes nothing (issue 5 "Bad input").
final class RunCommandTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "exp-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs `exp run FILE --results DIR extra…` on `text`; returns the exit code and stderr.
    func run(_ text: String, _ extra: [String] = []) throws -> (Int32, String) {
        let file = directory + "/sweep.json"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let pipe = Pipe()
        let saved = dup(STDERR_FILENO)
        dup2(pipe.fileHandleForWriting.fileDescriptor, STDERR_FILENO)
        var code: Int32 = 0
        do {
            var command = try Exp.parseAsRoot(["run", file, "--results", directory + "/results"] + extra)
            try command.run()
        } catch let exit as ExitCode {
            code = exit.rawValue
        }
        dup2(saved, STDERR_FILENO)
        close(saved)
        try pipe.fileHandleForWriting.close()
        let stderr = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (code, stderr)
    }

    func assertBadInput(_ text: String, _ extra: [String] = [], mentions: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let (code, stderr) = try run(text, extra)
        XCTAssertEqual(code, 64, stderr, file: file, line: line)
        for m in mentions { XCTAssertTrue(stderr.contains(m), "\(m) not in: \(stderr)", file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/results"), "nothing written", file: file, line: line)
    }

    func testSyntaxErrorGivesLineAndColumn() throws {
        try assertBadInput("{\"name\": \"x\",\n \"seeds\": [0,],\n}", mentions: ["sweep.json:2:"])
    }

    func testUnknownKeySuggestsTheNearest() throws {
        try assertBadInput(#"{"name": "x", "base": {"training": {"batch_sise": 8}}}"#,
                           mentions: ["batch_sise", "did you mean base.training.batch_size?"])
    }

    func testOutOfRangeAndWrongTypes() throws {
        try assertBadInput(#"{"name": "x", "base": {"training": {"batch_size": 0}}}"#, mentions: ["batch_size", "0"])
        try assertBadInput(#"{"name": "x", "base": {"training": {"learning_rate": -1}}}"#, mentions: ["learning_rate", "-1"])
        try assertBadInput(#"{"name": "x", "base": {"model": {"bn": "sideways"}}}"#, mentions: ["model.bn", "sideways"])
        try assertBadInput(#"{"name": "x", "base": {"training": {"epochs": "five"}}}"#, mentions: ["epochs", "five"])
        try assertBadInput(#"{"name": "x", "base": {"training": {"batch_size": 70000}}}"#, mentions: ["batch_size", "70000"])
        try assertBadInput(#"{"name": "x", "base": {"model": {"residual": true}}}"#, mentions: ["residual"])
        try assertBadInput(#"{"name": "x", "base": {"plugins": [{"name": "confusion"}]}}"#, mentions: ["confusion"])
    }

    func testEmptyGridAxisAndBadNames() throws {
        try assertBadInput(#"{"name": "x", "grid": {"training.batch_size": []}}"#, mentions: ["training.batch_size"])
        try assertBadInput(#"{"name": "../escape"}"#, mentions: ["name", "../escape"])
        try assertBadInput(#"{"name": "x"}"#, ["--set", "training.bogus=1"], mentions: ["training.bogus"])
        try assertBadInput(#"{"name": "x"}"#, ["--shard", "3/2"], mentions: ["--shard"])
    }

    func testDryRunListsRunsWithIdsAndWritesNothing() throws {
        let file = directory + "/sweep.json"
        try #"{"name": "x", "grid": {"training.batch_size": [16, 32]}, "seeds": [0, 1]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let (sweep, runs) = try RunEntry.plan(RunOptions(sweepPath: file), registry: PluginRegistry())
        let listing = RunEntry.dryRunListing(RunEntry.states(of: runs, sweepDirectory: directory + "/results/x",
                                                            catalog: PluginRegistry().catalog), json: false)
        XCTAssertEqual(sweep.name, "x")
        XCTAssertEqual(listing.split(separator: "\n").count, 5)
        XCTAssertTrue(listing.hasPrefix("# number\tid\tstatus\tdirectory\n0\t"))
        XCTAssertTrue(listing.contains("pending\tbatch_size=32,seed=1-"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/results"))
    }
}
