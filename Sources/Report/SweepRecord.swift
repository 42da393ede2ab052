// results/<sweep>/sweep.json (SPEC.md "Results layout"), read with the strict JSON parser.

import Experiments
import Foundation

/// One `exp run` invocation recorded in sweep.json.
public struct SweepCommand: Sendable, Equatable {
    /// The command line, argument by argument.
    public var argv: [String]
    /// When it ran (ISO-8601, as written).
    public var time: String
}

/// One run of the sweep as sweep.json lists it.
public struct SweepRunEntry: Sendable, Equatable {
    /// The 8-hex-digit run id.
    public var id: String
    /// The run's directory name under results/<sweep>/.
    public var dir: String
    /// The seed.
    public var seed: Int64
    /// The swept values of this run (grid and zip keys → values).
    public var overrides: JSONObject
}

/// The contents of sweep.json.
public struct SweepRecord: Sendable, Equatable {
    /// The sweep's name.
    public var name: String
    /// The sweep's description ("" when absent).
    public var description: String
    /// The sweep file as given.
    public var definition: JSONValue
    /// The `exp run` commands that wrote into the sweep.
    public var commands: [SweepCommand]
    /// The runs, in run-number order.
    public var runs: [SweepRunEntry]

    /// Reads and checks `path`.
    /// - Throws: ``ReportError`` naming the path, for unreadable files, JSON syntax errors and
    ///   members of the wrong type.
    public static func read(path: String) throws -> SweepRecord {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReportError(path: path, "cannot read the file") }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes: Array(data), file: path) } catch let error as JSONSyntaxError {
            throw ReportError(path: path, "invalid JSON: \(error.line):\(error.column): \(error.message)")
        }
        func fail(_ message: String) -> ReportError { ReportError(path: path, message) }
        guard let root = json.objectValue else { throw fail("expected an object") }
        guard let name = root["name"]?.stringValue else { throw fail("\"name\" must be a string") }
        let description = root["description"]?.stringValue ?? ""
        var commands: [SweepCommand] = []
        for (i, command) in (root["commands"]?.arrayValue ?? []).enumerated() {
            guard let argv = command.objectValue?["argv"]?.arrayValue?.compactMap(\.stringValue),
                  argv.count == command.objectValue?["argv"]?.arrayValue?.count else { throw fail("commands[\(i)].argv must be an array of strings") }
            commands.append(SweepCommand(argv: argv, time: command.objectValue?["time"]?.stringValue ?? ""))
        }
        guard let runList = root["runs"]?.arrayValue else { throw fail("\"runs\" must be an array") }
        var runs: [SweepRunEntry] = []
        for (i, run) in runList.enumerated() {
            guard let object = run.objectValue, let id = object["id"]?.stringValue, let dir = object["dir"]?.stringValue,
                  let seed = object["seed"]?.integerValue else {
                throw fail("runs[\(i)] needs \"id\" and \"dir\" strings and an integer \"seed\"")
            }
            runs.append(SweepRunEntry(id: id, dir: dir, seed: seed, overrides: object["overrides"]?.objectValue ?? JSONObject()))
        }
        return SweepRecord(name: name, description: description, definition: root["definition"] ?? .null,
                           commands: commands, runs: runs)
    }
}
