// results/<sweep>/sweep.json: the sweep's definition, the commands that ran it and its runs,
// written tmp+rename under a sweep lock (SPEC.md "Results layout"). No statuses here.

import Foundation

/// sweep.json could not be written although the sweep directory exists (a full disk, an I/O
/// error, a sweep lock held for too long): a failure (SPEC.md exit 1), not bad input.
public struct SweepWriteError: Error, CustomStringConvertible {
    /// What failed, naming the path.
    public let underlying: Error
    /// The underlying error's message.
    public var description: String { "\(underlying)" }
}

enum SweepFile {
    /// Adds this command and any new runs to sweep.json (created when missing).
    /// - Returns: a note for the user when sweep.json recorded another definition of the sweep
    ///   (a different sweep file with the same name): the new definition replaces it, the
    ///   earlier runs stay listed.
    @discardableResult
    static func update(directory: String, sweep: Sweep, runs: [PlannedRun], argv: [String]) throws -> String? {
        let lockPath = directory + "/sweep.lock"
        var lock: RunLock?
        for _ in 0..<200 {
            lock = try RunLock.claim(at: lockPath)
            if lock != nil { break }
            usleep(50_000)
        }
        guard let held = lock else {
            throw ResultsWriteError(path: lockPath, reason: "held by another process for more than 10 s")
        }
        defer { held.release() }
        AtomicFile.removeStaleTemporaries(under: directory, recursive: false)  // sweep.json.tmp.<pid> of a killed process
        let path = directory + "/sweep.json"
        var commands: [JSONValue] = []
        var entries: [JSONValue] = []
        var note: String?
        if let data = AtomicFile.contents(ofSmallFile: path),
           let old = try? JSONParser.parse(bytes: Array(data), file: path) {
            commands = old[path: "commands"]?.arrayValue ?? []
            entries = old[path: "runs"]?.arrayValue ?? []
            if let recorded = old[path: "definition"], recorded.canonicalJSON != sweep.definition.canonicalJSON {
                note = "note: \(path) recorded another definition of sweep \"\(sweep.name)\"; its \(entries.count) earlier "
                    + "run\(entries.count == 1 ? "" : "s") stay there (exp report shows them apart); give the sweep another name "
                    + "or use --results to keep them apart"
            }
        }
        commands.append(.object(JSONObject([("argv", .array(argv.map { .string($0) })), ("time", .string(RunStatus.now()))])))
        let known = Set(entries.compactMap { $0[path: "dir"]?.stringValue })
        entries += runs.filter { !known.contains($0.directoryName) }.map(\.sweepEntry)
        let json = JSONValue.object(JSONObject([
            ("name", .string(sweep.name)), ("description", .string(sweep.description)),
            ("definition", sweep.definition), ("commands", .array(commands)), ("runs", .array(entries)),
        ]))
        try AtomicFile.write(json.prettyJSON + "\n", to: path)
        return note
    }
}

/// A sweep.json that parses but does not have SPEC.md's shape, or lists no runs although run
/// directories exist next to it: damaged, as `exp status` shows it.
public struct SweepFileShapeError: Error, CustomStringConvertible {
    /// sweep.json's path.
    public let path: String
    /// What is wrong with it.
    public let problem: String
    /// `PATH: problem`.
    public var description: String { "\(path): \(problem)" }
}

extension SweepFile {
    /// The runs sweep.json lists, as (id, dir), checked against SPEC.md's shape: an object with
    /// a string `name` and a `runs` array of objects with a string `id` and a `dir` that is one
    /// directory name; an empty `runs` while `directory` holds run directories
    /// (`…-<8 hex digits>`) is inconsistent.
    /// - Throws: `SweepFileShapeError` saying what is wrong.
    static func runEntries(of json: JSONValue, path: String, directory: String) throws -> [(id: String, dir: String)] {
        func damaged(_ problem: String) -> SweepFileShapeError { SweepFileShapeError(path: path, problem: problem) }
        guard case .object = json else { throw damaged("not a JSON object with \"name\" and \"runs\"") }
        guard json[path: "name"]?.stringValue != nil else { throw damaged("no \"name\" string") }
        guard let runs = json[path: "runs"] else { throw damaged("no \"runs\" list") }
        guard let list = runs.arrayValue else { throw damaged("\"runs\" is \(runs.canonicalJSON.prefix(40)), not a list of runs") }
        var entries: [(id: String, dir: String)] = []
        for (index, entry) in list.enumerated() {
            guard let id = entry[path: "id"]?.stringValue, let dir = entry[path: "dir"]?.stringValue,
                  !dir.isEmpty, dir != ".", dir != "..", !dir.contains("/") else {
                throw damaged("runs[\(index)] is not an object with a string \"id\" and a directory name \"dir\"")
            }
            entries.append((id, dir))
        }
        if entries.isEmpty {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
                guard let dash = name.lastIndex(of: "-") else { return false }
                let suffix = name[name.index(after: dash)...]
                return suffix.count == 8 && suffix.allSatisfy(\.isHexDigit) && AtomicFile.isRealDirectory(directory + "/" + name)
            }
            if !names.isEmpty {
                throw damaged("\"runs\" is empty, but \(directory) holds \(names.count) run director\(names.count == 1 ? "y" : "ies") "
                              + "(\(names.sorted()[0])\(names.count > 1 ? ", …" : ""))")
            }
        }
        return entries
    }
}
