import Foundation
import Experiments
import XCTest

/// `exp status` lists what it can: a garbled sweep.json is reported as damaged, the other
/// sweeps are still listed, exit 0.
final class StatusDamageCLITests: XCTestCase {
    func testGarbledSweepJSONIsListedAsDamaged() throws {
        let results = try temporaryDirectory(self, "status") + "/results"
        for name in ["a", "b"] { try FileManager.default.createDirectory(atPath: results + "/" + name, withIntermediateDirectories: true) }
        try "{\"name\": \"a\", \"runs\": [".write(toFile: results + "/a/sweep.json", atomically: true, encoding: .utf8)
        try #"{"name": "b", "runs": [{"id": "1faca9f5", "dir": "seed=0-1faca9f5", "seed": 0, "overrides": {}}]}"#
            .write(toFile: results + "/b/sweep.json", atomically: true, encoding: .utf8)
        let (code, stdout, stderr) = try runExp(["status", "--results", results])
        XCTAssertEqual(code, 0, stderr)
        XCTAssertEqual(stdout, """
            a: damaged: \(results)/a/sweep.json:1:24: unexpected end of input; expected a value; rerun `exp run` on its sweep file to rewrite it
            b: 1 runs (1 pending)
              pending                     seed=0-1faca9f5

            """)
    }
    /// An empty sweep.json (a full disk, a crash of another tool) is damaged too, not "missing":
    /// it must not stop the listing of the other sweeps.
    func testEmptySweepJSONIsListedAsDamaged() throws {
        let results = try temporaryDirectory(self, "status") + "/results"
        for name in ["a", "b"] { try FileManager.default.createDirectory(atPath: results + "/" + name, withIntermediateDirectories: true) }
        XCTAssertTrue(FileManager.default.createFile(atPath: results + "/a/sweep.json", contents: Data()))
        try #"{"name": "b", "runs": []}"#.write(toFile: results + "/b/sweep.json", atomically: true, encoding: .utf8)
        let (code, stdout, stderr) = try runExp(["status", "--results", results])
        XCTAssertEqual(code, 0, stderr)
        XCTAssertTrue(stdout.hasPrefix("a: damaged: \(results)/a/sweep.json"), stdout)
        XCTAssertTrue(stdout.contains("empty"), stdout)
        XCTAssertTrue(stdout.hasSuffix("b: 0 runs ()\n"), stdout)
        let named = try runExp(["status", "--results", results, "a", "--format", "json"])
        XCTAssertEqual(named.code, 0, named.stderr)
        XCTAssertTrue(named.stdout.contains(#""status": "damaged""#), named.stdout)
    }

    /// A sweep.json that cannot be read — a directory, a link to /dev/zero — is damaged as well,
    /// and the other sweeps are still listed; a named sweep without any sweep.json is bad input.
    func testUnreadableSweepJSONIsListedAsDamaged() throws {
        let results = try temporaryDirectory(self, "status") + "/results"
        for name in ["d", "z", "ok", "dangling", ".hidden", "b copy"] {
            try FileManager.default.createDirectory(atPath: results + "/" + name, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(atPath: results + "/d/sweep.json", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: results + "/z/sweep.json", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: results + "/dangling/sweep.json", withDestinationPath: results + "/nowhere")
        // Directories whose names exp never makes are not sweeps: skipped, not a reason to stop.
        for name in [".hidden", "b copy"] {
            try #"{"name": "x", "runs": []}"#.write(toFile: results + "/\(name)/sweep.json", atomically: true, encoding: .utf8)
        }
        try #"{"name": "ok", "runs": []}"#.write(toFile: results + "/ok/sweep.json", atomically: true, encoding: .utf8)
        let (code, stdout, stderr) = try runExp(["status", "--results", results])
        XCTAssertEqual(code, 0, stderr)
        XCTAssertEqual(stdout, "d: damaged: \(results)/d/sweep.json: not a readable regular file of at most 64 MiB; "
                       + "rerun `exp run` on its sweep file to rewrite it\n"
                       + "dangling: damaged: \(results)/dangling/sweep.json: not a readable regular file of at most 64 MiB; "
                       + "rerun `exp run` on its sweep file to rewrite it\nok: 0 runs ()\n"
                       + "z: damaged: \(results)/z/sweep.json: not a readable regular file of at most 64 MiB; "
                       + "rerun `exp run` on its sweep file to rewrite it\n")
        let missing = try runExp(["status", "--results", results, "nosuch"])
        XCTAssertEqual(missing.code, 64)
        XCTAssertTrue(missing.stderr.contains("\(results)/nosuch/sweep.json: missing; is nosuch a sweep under \(results)?"), missing.stderr)
    }
}

/// `exp status`: a sweep.json that parses but has the wrong shape is damaged (not "0 runs"),
/// and the progress column is padded, never cut.
final class StatusShapeCLITests: XCTestCase {
    func testSweepJSONOfTheWrongShapeIsListedAsDamaged() throws {
        let results = try temporaryDirectory(self, "status") + "/results"
        let cases: [(String, String, String)] = [
            ("conc", #"{"name":"conc","runs":5}"#, "\"runs\" is 5, not a list of runs"),
            ("empty", "{}", "no \"name\" string"),
            ("norun", #"{"name":"norun"}"#, "no \"runs\" list"),
            ("entry", #"{"name":"entry","runs":[{"id":"1faca9f5"}]}"#,
             "runs[0] is not an object with a string \"id\" and a directory name \"dir\""),
            ("lost", #"{"name":"lost","runs":[]}"#, "\"runs\" is empty, but \(results)/lost holds 1 run directory (seed=0-1faca9f5)"),
        ]
        for (name, text, _) in cases {
            try FileManager.default.createDirectory(atPath: results + "/" + name, withIntermediateDirectories: true)
            try text.write(toFile: results + "/\(name)/sweep.json", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: results + "/lost/seed=0-1faca9f5", withIntermediateDirectories: true)
        // An empty sweep with no run directories yet is fine.
        try FileManager.default.createDirectory(atPath: results + "/new", withIntermediateDirectories: true)
        try #"{"name":"new","runs":[]}"#.write(toFile: results + "/new/sweep.json", atomically: true, encoding: .utf8)

        let (code, stdout, stderr) = try runExp(["status", "--results", results])
        XCTAssertEqual(code, 0, stderr)
        var expected = cases.sorted { $0.0 < $1.0 }.map { name, _, problem in
            "\(name): damaged: \(results)/\(name)/sweep.json: \(problem); rerun `exp run` on its sweep file to rewrite it\n"
        }
        expected.insert("new: 0 runs ()\n", at: 4)
        XCTAssertEqual(stdout, expected.joined())

        let json = try runExp(["status", "--results", results, "conc", "--format", "json"])
        XCTAssertEqual(json.code, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains(#""status": "damaged""#), json.stdout)
        XCTAssertTrue(json.stdout.contains(#""sweep": "conc""#), json.stdout)
    }

    func testLongProgressIsNotTruncated() throws {
        let results = try temporaryDirectory(self, "status") + "/results"
        let run = results + "/long/seed=0-1faca9f5"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        try #"{"name": "long", "runs": [{"id": "1faca9f5", "dir": "seed=0-1faca9f5", "seed": 0, "overrides": {}}]}"#
            .write(toFile: results + "/long/sweep.json", atomically: true, encoding: .utf8)
        let now = RunStatus.now()
        try RunStatus(state: .failed, epoch: 50, epochs: 100_000, step: 5, started: now, finished: now, heartbeat: now,
                      error: "boom").write(to: run + "/status.json")
        let (code, stdout, stderr) = try runExp(["status", "--results", results])
        XCTAssertEqual(code, 0, stderr)
        // No config.json: damaged, with the status's progress shown whole.
        XCTAssertTrue(stdout.contains("  damaged      epoch 50/100000 seed=0-1faca9f5 ("), stdout)
    }
}
