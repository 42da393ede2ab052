import Foundation
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
}
