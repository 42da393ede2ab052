// One sweep's notebook: markdown text plus the files under figures/<sweep>/.

import Charts
import Experiments

/// A rendered notebook: its markdown and the figure files it links.
struct RenderedNotebook {
    /// notebooks-md/<sweep>.md's text.
    var markdown: String
    /// Files under figures/<sweep>/: name → bytes.
    var files: [(name: String, bytes: [UInt8])]
}

/// Renders the notebook of one sweep.
struct Notebook {
    let analysis: SweepAnalysis
    /// The results directory as seen from the output directory (for the Python cells).
    let resultsFromOut: String

    /// The Jupytext header: markdown format, Python 3 kernel.
    static let frontMatter = """
    ---
    jupyter:
      jupytext:
        text_representation:
          extension: .md
          format_name: markdown
          format_version: '1.3'
          jupytext_version: 1.14.5
      kernelspec:
        display_name: Python 3
        language: python
        name: python3
    ---
    """

    var figureDirectory: String { "figures/\(analysis.directoryName)" }

    func render() -> RenderedNotebook {
        let figures = FigureBuilder(analysis: analysis).figures()
        let gallery = analysis.groups.compactMap(GalleryEntry.make)
        let diagnosticsRun = analysis.best?.bestRun
        let diagnostics = diagnosticsRun.map { DiagnosticsCharts.figures(run: $0, label: analysis.best!.label, sweep: analysis.record.name) } ?? []
        var parts = [Self.frontMatter, header(), provenance(), fixedConfiguration(), resultsTable(),
                     "## What the sweep shows\n\n" + Findings.paragraph(analysis), figureSection(figures)]
        if !gallery.isEmpty { parts.append(gallerySection(gallery)) }
        if let run = diagnosticsRun, !diagnostics.isEmpty {
            var text = "## Diagnostics\n\nPer-layer gradient norm and update / weight ratio against epoch, from the diagnostics plugin, "
                + "for the best run (seed \(run.entry.seed)) of the best configuration, \(Markdown.escape(analysis.best!.label)).\n\n"
            for figure in diagnostics { text += "![\(Markdown.escape(figure.caption))](\(figureDirectory)/\(figure.fileName))\n\n" }
            parts.append(text + NotebookPython.diagnosticsFigure(runDirectory: run.entry.dir))
        }
        parts.append(runsTable())
        var files = (figures + diagnostics).map { ($0.fileName, Array($0.chart.svg().utf8)) }
        for entry in gallery { files += (entry.kernels.map(\.image) + entry.activations.map(\.image)).map { ($0.fileName, $0.bytes) } }
        return RenderedNotebook(markdown: parts.joined(separator: "\n\n") + "\n", files: files)
    }

    func header() -> String {
        let record = analysis.record
        var text = "# Sweep: \(Markdown.escape(record.name))\n\n"
        if !record.description.isEmpty { text += Markdown.escape(record.description) + "\n\n" }
        if record.name != analysis.directoryName { text += "Results directory: \(Markdown.escape(analysis.directoryName))\n\n" }
        let counts = analysis.counts.map { "\($0.count) \($0.state.rawValue)" }.joined(separator: ", ")
        text += "**Runs:** \(analysis.runs.count) in \(analysis.groups.count) configurations — \(counts).\n\n"
        text += "## How it was run\n\n"  // each command line once, with the times it ran
        if record.commands.isEmpty { return text + "sweep.json records no `exp run` command." + editedNote() }
        var commands: [(argv: [String], times: [String])] = []
        for command in record.commands {
            let times = command.time.isEmpty ? [] : [command.time]
            if let i = commands.firstIndex(where: { $0.argv == command.argv }) { commands[i].times += times } else { commands.append((command.argv, times)) }
        }
        return text + commands.map { command in
            Markdown.codeBlock(Markdown.shellCommand(command.argv), language: "sh")
                + (command.times.isEmpty ? "" : "\n\nat " + command.times.map(Markdown.escape).joined(separator: ", "))
        }.joined(separator: "\n\n") + editedNote()
    }

    /// Says which keys differ between runs although the sweep does not vary them.
    func editedNote() -> String {
        let keys = analysis.configurationOnlyKeys
        guard !keys.isEmpty else { return "" }
        return "\n\nThe runs' configurations differ in \(keys.map { "`\($0)`" }.joined(separator: ", ")), which no grid or zip "
            + "entry varies (the sweep file was edited between `exp run`s, or `--set` was used; sweep.json keeps only the last "
            + "sweep file). Runs with different values are different configurations: the key is a column of the results table "
            + "like a swept key."
    }

    /// Engine versions and commits recorded in the runs' metrics.h5, with how many runs each.
    func provenance() -> String {
        var rows: [(String, Int)] = []
        for run in analysis.runs {
            guard let m = run.metrics else { continue }
            let text = "\(m.engineVersion ?? "unknown version"), commit \(m.gitCommit ?? "unknown")" + (m.gitDirty == true ? " (dirty)" : "")
            if let i = rows.firstIndex(where: { $0.0 == text }) { rows[i].1 += 1 } else { rows.append((text, 1)) }
        }
        guard !rows.isEmpty else { return "## Engine\n\nNo run has a readable metrics.h5 yet." }
        return "## Engine\n\n" + rows.sorted { $0.0 < $1.0 }
            .map { "- \(Markdown.escape($0.0)): \($0.1) run\($0.1 == 1 ? "" : "s")" }.joined(separator: "\n")
    }

    /// The keys with the same value in every readable config.json (the sweep file's base when
    /// none is readable), seed and swept keys excluded.
    func fixedConfiguration() -> String {
        let configurations = analysis.runs.compactMap(\.configuration)
        let sources = configurations.isEmpty ? [analysis.record.definition[path: "base"] ?? .null] : configurations
        let flat = sources.map { flatten($0) }
        guard let first = flat.first else { return "" }
        let rows = first.filter { key, value in
            key != "seed" && !analysis.sweptKeys.contains(key) && flat.allSatisfy { $0.first { $0.0 == key }?.1 == value }
        }
        let table = Markdown.table(["key", "value"], rows.map { [Markdown.escape($0.0), Markdown.escape(displayValue($0.1))] })
        return "## Fixed configuration\n\n" + (rows.isEmpty ? "Nothing is shared by all runs." : table)
    }

    /// Dotted leaf keys → values, in document order; arrays are leaves.
    func flatten(_ value: JSONValue, prefix: String = "") -> [(String, JSONValue)] {
        guard let object = value.objectValue, !object.isEmpty else { return prefix.isEmpty ? [] : [(prefix, value)] }
        return object.flatMap { flatten($0.value, prefix: prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
    }
}
