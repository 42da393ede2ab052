// `exp report [SWEEP-NAME]... [--results DIR] [--out DIR]`: the library entry point.

import Experiments
import Foundation

/// What one sweep's report found.
public struct SweepReportSummary: Sendable, Equatable {
    /// The sweep's directory name.
    public var name: String
    /// The notebook, relative to the output directory; nil when the sweep was not rendered.
    public var notebook: String?
    /// Runs per status (every status, zeros included).
    public var counts: [RunState: Int]
    /// Damaged runs: directory name and reason.
    public var damaged: [String]
    /// Why the sweep itself could not be read (sweep.json), if so.
    public var problem: String?
}

/// What `exp report` wrote.
public struct ReportSummary: Sendable, Equatable {
    /// Every file written or confirmed up to date, as paths under the output directory
    /// (`out/…`), in writing order: per sweep its notebook then its figures, index.md last.
    public var files: [String]
    /// One entry per sweep in the index, sorted by name.
    public var sweeps: [SweepReportSummary]
}

/// The entry point behind `exp report`.
public enum ReportEntry {
    /// Reads results/ and writes a notebook per sweep plus index.md under `out`.
    /// - Parameters:
    ///   - sweeps: sweep names to render; empty for every sweep under `results`.
    ///   - results: the results directory.
    ///   - out: the output directory (created when missing).
    /// - Throws: ``ReportError`` naming the path for bad input — a missing results directory,
    ///   a named sweep that is not a plain name or has no readable sweep.json, an output path
    ///   that is empty, not a directory, a symbolic link to nothing, not writable, cannot be
    ///   created, or leads through a symbolic link below it; a failed write (with the system's
    ///   reason). Nothing is written then, except files already written when a write itself fails.
    public static func run(sweeps: [String], results: String, out: String) throws -> ReportSummary {
        try run(sweeps: sweeps, results: results, out: out, catalog: .builtins)
    }

    /// ``run(sweeps:results:out:)`` with the plugin catalog of a user's own `exp` (for run ids).
    public static func run(sweeps names: [String], results: String, out: String, catalog: PluginCatalog) throws -> ReportSummary {
        guard OutputDirectory.isRealDirectory(results) || isDirectory(results) else {
            throw ReportError(path: results, "no such results directory")
        }
        for name in names where !Sweep.isPlainDirectoryName(name) {
            throw ReportError(path: name, "not a sweep name ([A-Za-z0-9][A-Za-z0-9_.-]*)")
        }
        for name in names where !isDirectory(results + "/" + name) {
            throw ReportError(path: results + "/" + name, "no such sweep directory")
        }
        let output = try OutputDirectory(root: out)
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: results)) ?? [])
            .filter { Sweep.isPlainDirectoryName($0) && FileManager.default.fileExists(atPath: results + "/" + $0 + "/sweep.json") }
        let selected = names.isEmpty ? all : names
        var analyses: [String: SweepAnalysis] = [:]
        var problems: [String: String] = [:]
        for name in Set(all + names).sorted() {
            do {
                analyses[name] = try SweepAnalysis.load(name: name, results: results, catalog: catalog)
            } catch let error as ReportError {
                if names.contains(name) { throw error }
                problems[name] = error.description
            }
        }
        let resultsFromOut = relativePath(from: out, to: results)
        var rendered: [(name: String, notebook: RenderedNotebook)] = []
        for name in Set(selected).sorted() {
            guard let analysis = analyses[name] else { continue }
            rendered.append((name, Notebook(analysis: analysis, resultsFromOut: resultsFromOut).render()))
        }
        // Every directory is checked before the first file is written (a refused figures/ leaves
        // no notebook behind); each notebook is written after its figures.
        for (name, _) in rendered { try output.prepare("figures/\(name)") }
        var files: [String] = []
        for (name, notebook) in rendered {
            let first = files.count   // the list names the notebook before its figures
            for file in notebook.files {
                try output.write(file.bytes, to: "figures/\(name)/\(file.name)")
                files.append("\(out)/figures/\(name)/\(file.name)")
            }
            try output.removeStale(in: "figures/\(name)", keep: Set(notebook.files.map(\.name)), extensions: [".svg", ".png"])
            try output.write(Array(notebook.markdown.utf8), to: "\(name).md")
            files.insert("\(out)/\(name).md", at: first)
        }
        let summaries = Set(all + names).sorted().map { name -> SweepReportSummary in
            let analysis = analyses[name]
            var counts = Dictionary(uniqueKeysWithValues: RunState.reportOrder.map { ($0, 0) })
            for (state, count) in analysis?.counts ?? [] { counts[state] = count }
            let notebook = rendered.contains { $0.name == name } || OutputDirectory.isRegularFile("\(out)/\(name).md") ? "\(name).md" : nil
            return SweepReportSummary(name: name, notebook: notebook, counts: counts,
                                      damaged: analysis?.runs.filter { $0.state == .damaged }.map { "\($0.entry.dir): \($0.note ?? "")" } ?? [],
                                      problem: problems[name])
        }
        try output.write(Array(IndexPage.markdown(summaries: summaries, analyses: analyses).utf8), to: "index.md")
        files.append("\(out)/index.md")
        return ReportSummary(files: files, sweeps: summaries)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `to` as seen from directory `from`, both taken relative to the working directory when
    /// not absolute (e.g. notebooks-md → results gives ../results).
    static func relativePath(from: String, to: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func components(_ path: String) -> [String] {
            let absolute = path.hasPrefix("/") ? path : cwd + "/" + path
            var parts: [String] = []
            for part in absolute.split(separator: "/") where part != "." && !part.isEmpty {
                if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(String(part)) }
            }
            return parts
        }
        let (a, b) = (components(from), components(to))
        let common = zip(a, b).prefix { $0 == $1 }.count
        let path = (Array(repeating: "..", count: a.count - common) + b[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
