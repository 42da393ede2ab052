// notebooks-md/index.md: every sweep under results/, linked to its notebook.

import Charts

/// The index of all sweeps.
enum IndexPage {
    static func markdown(summaries: [SweepReportSummary], analyses: [String: SweepAnalysis]) -> String {
        let text = "# Sweeps\n\nNotebooks written by `exp report` from results/, one per sweep: the results table, figures, "
            + "kernel galleries and Python cells that redraw the figures from the HDF5 files.\n\n"
        let rows = summaries.map { summary -> [String] in
            let name = Markdown.escape(summary.name)
            let link = summary.notebook.map { "[\(name)](\($0))" } ?? name
            guard let analysis = analyses[summary.name] else {
                return [link, Markdown.escape(summary.problem ?? ""), "—", "—", "—"]
            }
            let counts = analysis.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.state.rawValue)" }.joined(separator: ", ")
            let best = analysis.best.map { group in
                Markdown.escape(group.label) + ": " + Notebook.meanAndDeviation(group.finalAccuracy) + " %"
            } ?? "—"
            return [link, Markdown.escape(analysis.record.description), "\(analysis.runs.count)", counts.isEmpty ? "—" : counts, best]
        }
        if rows.isEmpty { return text + "No sweeps under results/ yet.\n" }
        return text + Markdown.table(["sweep", "description", "runs", "status", "best final test accuracy"], rows) + "\n"
    }
}
