// results/<sweep>/sweep.json: the sweep's definition, the commands that ran it and its runs,
// written tmp+rename under a sweep lock (SPEC.md "Results layout"). No statuses here.

import Foundation

enum SweepFile {
    /// Adds this command and any new runs to sweep.json (created when missing).
    static func update(directory: String, sweep: Sweep, runs: [PlannedRun], argv: [String]) throws {
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
        if let data = AtomicFile.contents(ofSmallFile: path),
           let old = try? JSONParser.parse(bytes: Array(data), file: path) {
            commands = old[path: "commands"]?.arrayValue ?? []
            entries = old[path: "runs"]?.arrayValue ?? []
        }
        commands.append(.object(JSONObject([("argv", .array(argv.map { .string($0) })), ("time", .string(RunStatus.now()))])))
        let known = Set(entries.compactMap { $0[path: "dir"]?.stringValue })
        entries += runs.filter { !known.contains($0.directoryName) }.map(\.sweepEntry)
        let json = JSONValue.object(JSONObject([
            ("name", .string(sweep.name)), ("description", .string(sweep.description)),
            ("definition", sweep.definition), ("commands", .array(commands)), ("runs", .array(entries)),
        ]))
        try AtomicFile.write(json.prettyJSON + "\n", to: path)
    }
}
