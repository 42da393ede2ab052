import Experiments
import Foundation
import XCTest

/// Every file of Tests/Fixtures/malformed-sweeps is refused by `exp run` with exit 64, the
/// exact message of expected.json (FILE replaced by the path given) and nothing written.
final class MalformedSweepCorpusTests: XCTestCase {
    struct Expectation: Decodable {
        var exit: Int32
        var message: String
        var args: [String]?
    }

    /// Runs `exp run path --results DIR args…` and checks the exit code, the first line of the
    /// message and that DIR was not created. Returns a failure description or nil.
    func check(_ path: String, _ expected: Expectation, label: String) throws -> String? {
        let results = try temporaryDirectory(self, "corpus") + "/results"
        let (code, _, stderr) = try runExp(["run", path, "--results", results] + (expected.args ?? []))
        let message = stderr.split(separator: "\n").first { !$0.contains("debug build") }.map(String.init) ?? ""
        let wanted = "exp: " + expected.message.replacingOccurrences(of: "FILE", with: path)
        if code != expected.exit { return "\(label): exit \(code), expected \(expected.exit): \(stderr)" }
        if message != wanted { return "\(label):\n  got:      \(message)\n  expected: \(wanted)" }
        if FileManager.default.fileExists(atPath: results) { return "\(label): wrote \(results)" }
        return nil
    }

    func testEveryMalformedSweepIsRefusedWithItsMessage() throws {
        let directory = fixturePath("malformed-sweeps")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json"))
        let expectations = try JSONDecoder().decode([String: Expectation].self, from: data)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0 != "expected.json" }
        XCTAssertEqual(Set(files), Set(expectations.keys), "every fixture has an expectation and vice versa")
        XCTAssertGreaterThanOrEqual(files.count, 40)
        var failures: [String] = []
        for name in expectations.keys.sorted() {
            if let failure = try check(directory + "/" + name, expectations[name]!, label: name) { failures.append(failure) }
        }
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(files.count) malformed sweeps:\n" + failures.joined(separator: "\n"))
    }

    /// Inputs too large to commit, generated here: beyond the 4 MiB limit, and nesting far
    /// beyond the depth limit (10⁵ levels would overflow the stack of a recursive parser without one).
    func testGeneratedHugeAndDeepSweepsAreRefused() throws {
        let dir = try temporaryDirectory(self, "corpus-gen")
        let huge = dir + "/huge.json"
        let padding = String(repeating: " ", count: 5 << 20)
        try "{\"name\": \"x\",\(padding)\"seeds\": [0]}".write(toFile: huge, atomically: false, encoding: .utf8)
        let deep = dir + "/deep.json"
        try ("{\"name\": \"x\", \"base\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}")
            .write(toFile: deep, atomically: false, encoding: .utf8)
        let cases: [(String, Expectation)] = [
            (huge, Expectation(exit: 64, message: "FILE: the sweep file is larger than the limit of 4194304 bytes; a sweep file is a few kB")),
            (deep, Expectation(exit: 64, message: "FILE:1:86: nesting deeper than the limit of 64")),
            (dir, Expectation(exit: 64, message: "FILE: is a directory, not a sweep file; pass a .json file such as experiments/batchsize.json")),
            ("/dev/zero", Expectation(exit: 64, message: "FILE: the sweep file is larger than the limit of 4194304 bytes; a sweep file is a few kB")),
        ]
        for (path, expected) in cases {
            if let failure = try check(path, expected, label: path) { XCTFail(failure) }
        }
    }
}
