// `exp report [SWEEP-NAME]... [--results DIR] [--out DIR]` (SPEC.md "Command line").
// Argument parsing and printing only; the work is in Report (ReportEntry).

import ArgumentParser
import Experiments
import Foundation
import Report

/// `exp report`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a markdown notebook per sweep (results table, SVG figures, kernel galleries, Python cells) and an index.",
        discussion: "Reads results/<sweep>/ (sweep.json, each run's config.json, status.json, metrics.h5, kernels/, activations/) "
            + "and writes <out>/<sweep>.md, <out>/figures/<sweep>/ and <out>/index.md. Damaged runs are listed as damaged. "
            + "Rerunning on the same results gives byte-identical files.")

    @Argument(help: "Sweeps to report (default: every sweep under the results directory).") var sweeps: [String] = []
    @Option(help: "The results directory.") var results: String = "results"
    @Option(help: "The output directory.") var out: String = "notebooks-md"

    func run() throws {
        for (option, value) in [("--results", results), ("--out", out)] where value.isEmpty {
            printError("\(option) '': an empty path; give a directory, e.g. \(option) \(option == "--out" ? "notebooks-md" : "results")")
            throw ExitCode(64)
        }
        let summary: ReportSummary
        do {
            summary = try ReportEntry.run(sweeps: sweeps, results: results, out: out, catalog: PluginRegistry(extra: Exp.userPlugins).catalog)
        } catch {
            printError("\(error)")
            throw ExitCode(Self.isWriteFailure(error) ? failureExitCode : 64)
        }
        try printOutput(Self.text(summary, out: out))
    }

    /// True for a failed write (a full disk, an I/O error) as opposed to bad input: SPEC.md's
    /// exit 1, not 64. `ReportError` carries no kind, so this goes by its message: the writes of
    /// files and renames into place, and the system's reasons that only a failing device gives.
    static func isWriteFailure(_ error: Error) -> Bool {
        guard let error = error as? ReportError else { return false }
        let writePhases = ["cannot write the file", "cannot rename into place"]
        let deviceReasons = [ENOSPC, EDQUOT, EIO].map { String(cString: strerror($0)) }
        return writePhases.contains { error.message.hasPrefix($0) } || deviceReasons.contains { error.message.contains($0) }
    }

    /// The lines printed after a report: notebooks, figure count, index, statuses, damaged runs.
    static func text(_ summary: ReportSummary, out: String) -> String {
        var lines: [String] = []
        let notebooks = summary.files.filter { $0.hasSuffix(".md") }
        let figures = summary.files.count - notebooks.count
        for sweep in summary.sweeps {
            let counts = RunState.reportOrder.compactMap { state in sweep.counts[state].flatMap { $0 > 0 ? "\($0) \(state.rawValue)" : nil } }
            if let problem = sweep.problem { lines.append("\(sweep.name): unreadable: \(problem)"); continue }
            lines.append("\(sweep.name): " + (counts.isEmpty ? "no runs" : counts.joined(separator: ", ")))
            for damaged in sweep.damaged { lines.append("  damaged: \(damaged)") }
        }
        for file in notebooks { lines.append("wrote \(file)") }
        lines.append("wrote \(figures) figure file\(figures == 1 ? "" : "s") under \(out)/figures/")
        return lines.joined(separator: "\n") + "\n"
    }
}
