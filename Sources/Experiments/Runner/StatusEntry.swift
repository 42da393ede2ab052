// The library entry point behind `exp status`.

import Foundation

/// `exp status`: every run of the named sweeps (from their sweep.json) with its derived state.
public enum StatusEntry {
    /// A sweep whose sweep.json cannot be read (not a regular file, too large, no permission) or
    /// parsed is listed as damaged; the others are listed as usual.
    /// - Throws: `BadInput` when the results directory or a named sweep does not exist.
    public static func render(sweeps: [String], results: String, json: Bool, catalog: PluginCatalog) throws -> String {
        var names = sweeps
        if names.isEmpty {
            guard let all = try? FileManager.default.contentsOfDirectory(atPath: results) else {
                throw BadInput("\(results): no results directory; run `exp run SWEEP.json` first or pass --results DIR")
            }
            // Directories exp can have made (plain names) holding a sweep.json of any kind (lstat:
            // a dangling link is a damaged sweep too); other entries are not sweeps.
            names = all.filter { name in
                var info = stat()
                return Sweep.isPlainDirectoryName(name) && lstat(results + "/" + name + "/sweep.json", &info) == 0
            }.sorted()
        }
        var text = "", items: [JSONValue] = []
        for name in names {
            guard Sweep.isPlainDirectoryName(name) else { throw BadInput("\(name): not a sweep name") }
            let path = results + "/" + name + "/sweep.json"
            // A damaged sweep.json (unreadable, unparsable, or of the wrong shape) hides its runs
            // but does not stop the listing of the others; `exp run` of the sweep file rewrites it.
            func damaged(_ problem: String) {
                text += "\(name): damaged: \(problem); rerun `exp run` on its sweep file to rewrite it\n"
                items.append(.object(JSONObject([("sweep", .string(name)), ("status", .string(RunState.damaged.rawValue)),
                                                 ("error", .string(problem))])))
            }
            guard let data = AtomicFile.contents(ofSmallFile: path) else {
                var info = stat()
                guard lstat(path, &info) == 0 else {
                    throw BadInput("\(path): missing; is \(name) a sweep under \(results)?")
                }
                damaged("\(path): not a readable regular file of at most 64 MiB")
                continue
            }
            let entries: [(id: String, dir: String)]
            do {
                let sweepJSON = try JSONParser.parse(bytes: Array(data), file: path)
                entries = try SweepFile.runEntries(of: sweepJSON, path: path, directory: results + "/" + name)
            } catch {
                damaged("\(error)")
                continue
            }
            var counts: [RunState: Int] = [:]
            var lines: [String] = []
            for (id, dir) in entries {
                let (state, status, problem) = RunInspector.state(of: results + "/" + name + "/" + dir, id: id, catalog: catalog)
                counts[state, default: 0] += 1
                let progress = status.map { "epoch \($0.epoch)/\($0.epochs)" } ?? ""
                lines.append("  \(pad(state.rawValue, 12)) \(pad(progress, 14)) \(dir)"
                             + (problem.map { " (\($0))" } ?? status?.error.map { " (\($0))" } ?? ""))
                items.append(.object(JSONObject([("sweep", .string(name)), ("dir", .string(dir)), ("id", .string(id)),
                                                 ("status", .string(state.rawValue)),
                                                 ("epoch", status.map { .int(Int64($0.epoch)) } ?? .null),
                                                 ("epochs", status.map { .int(Int64($0.epochs)) } ?? .null)])))
            }
            let summary = RunState.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
            text += "\(name): \(lines.count) runs (\(summary))\n" + lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
        }
        return json ? JSONValue.array(items).prettyJSON + "\n" : text
    }

    /// `text` followed by spaces up to `width` characters; longer text is kept whole (a column
    /// then shifts, but "epoch 50/100000" is never cut to "epoch 50/10000").
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
