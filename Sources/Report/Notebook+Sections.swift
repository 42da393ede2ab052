// The results table, figures, galleries and the list of runs.

import Charts
import Experiments

extension Notebook {
    static func meanAndDeviation(_ summary: SampleSummary?) -> String {
        guard let summary, summary.mean.isFinite else { return "—" }
        return NumberFormat.fixed(summary.mean, decimals: 2) + " ± "
            + (summary.standardDeviation.map { NumberFormat.fixed($0, decimals: 2) } ?? "—")
    }

    static func mean(_ summary: SampleSummary?, decimals: Int) -> String {
        guard let summary else { return "—" }
        return number(summary.mean, decimals: decimals)
    }

    /// `decimals` fixed decimals; from 10⁵ up in scientific notation (a blown-up loss); "—"
    /// when not finite.
    static func number(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        return abs(value) >= 1e5 ? NumberFormat.scientific(value, significant: 3) : NumberFormat.fixed(value, decimals: decimals)
    }

    /// One row per configuration, sorted by the swept keys; the best marked ★.
    func resultsTable() -> String {
        let keys = analysis.sweptKeys
        let best = analysis.best?.index
        var header = ["best"] + (keys.isEmpty ? ["configuration"] : keys.map(Markdown.escape))
        header += ["seeds", "final test acc. (%)", "best test acc. (%)", "final train loss", "final test loss", "epochs",
                   "training time (s)", "status"]
        let rows = analysis.groups.map { group -> [String] in
            var row = [group.index == best ? "★" : ""]
            row += keys.isEmpty ? ["all runs"] : keys.map { Markdown.escape(displayValue(group.overrides[$0] ?? .null)) }
            let epochs = group.epochs.map { $0.minimum == $0.maximum ? NumberFormat.fixed($0.minimum, decimals: 0)
                : NumberFormat.fixed($0.minimum, decimals: 0) + "–" + NumberFormat.fixed($0.maximum, decimals: 0) } ?? "—"
            row += ["\(group.aggregated.count)", Self.meanAndDeviation(group.finalAccuracy), Self.meanAndDeviation(group.bestAccuracy),
                    Self.mean(group.finalTrainLoss, decimals: 4), Self.mean(group.finalTestLoss, decimals: 4), epochs,
                    Self.mean(group.trainingSeconds, decimals: 1), group.statusText]
            return row
        }
        let right = Set((1 + max(keys.count, 1))..<(header.count - 1))
        return "## Results\n\n" + Markdown.table(header, rows, alignRight: right) + "\n\n"
            + "Over the completed runs (seeds) of each configuration: mean ± sample standard deviation (— for a single seed) of "
            + "the test accuracy after the last epoch and of the best test accuracy over epochs; means of the final losses "
            + "(cross-entropy, nats), of the epochs trained and of the training time (sum of the epochs' wall time). Runs in "
            + "other states are counted in the status column only. ★ marks the highest mean final test accuracy."
    }

    func figureSection(_ figures: [Figure]) -> String {
        var text = "## Figures\n\n"
        text += figures.isEmpty ? "No figures yet: no run has completed or diverged.\n\n"
            : "Lines are means over the completed runs (seeds) of each configuration, shaded bands their minimum–maximum "
            + "range. Diverged runs are dashed and stop at their last finite value, marked ×. The per-step training loss "
            + "is smoothed with a trailing mean over the last \(FigureBuilder.stepWindowSamples) samples — ⌊\(FigureBuilder.stepWindowSamples) / n + ½⌋ "
            + "steps at batch size n (at least 1, at most a tenth of the run's steps), so that curves of different batch sizes "
            + "are smoothed alike — and each line starts at the first step whose window is full; it is drawn "
            + "with at most \(FigureBuilder.stepPoints) points per line. When a loss blows up beyond \(NumberFormat.trimmed(FigureBuilder.lossCap, maxDecimals: 2)) "
            + "times the largest initial loss, the loss axes stop there and the curves leave the plot at the top. The test error "
            + "(100 % − accuracy) is drawn on a logarithmic axis, so that differences of tenths of a percent near the end stay visible. Each figure is followed by Python code that redraws it "
            + "from the same HDF5 files.\n\n"
        text += NotebookPython.setup(sweep: analysis.directoryName, results: resultsFromOut, sweptKeys: analysis.sweptKeys,
                                       configurationOnlyKeys: analysis.configurationOnlyKeys)
        var helperDefined = false
        for figure in figures {
            text += "\n\n### \(Markdown.escape(figure.caption))\n\n![\(Markdown.escape(figure.caption))](\(figureDirectory)/\(figure.fileName))\n\n"
            switch figure.fileName {
            case "train_loss.svg", "test_accuracy.svg":
                let loss = figure.fileName == "train_loss.svg"
                text += NotebookPython.epochFigure(column: loss ? "train_loss" : "test_accuracy",
                                                   yLabel: loss ? "train loss (nats)" : "test accuracy (%)", scale: loss ? 1 : 100,
                                                   title: loss ? "Train loss" : "Test accuracy", defineHelper: !helperDefined)
                helperDefined = true
            case "test_error.svg":
                text += NotebookPython.epochFigure(column: "test_accuracy", yLabel: "test error (%)", scale: 100,
                                                   title: "Test error", defineHelper: !helperDefined, error: true)
                helperDefined = true
            case "step_loss.svg":
                text += NotebookPython.stepFigure
            default:
                let axis = figure.chart.xAxis
                text += NotebookPython.sweptFigure(key: axis.label, xScale: axis.categories != nil ? "category"
                                                   : axis.scale == .logarithmic ? "log" : "linear")
            }
        }
        return text
    }

    func gallerySection(_ entries: [GalleryEntry]) -> String {
        var text = "## Kernels and activation maps\n\nFor the best run of each configuration (the completed run with the highest "
            + "final test accuracy): the first convolution layer's kernels at epoch 0 and at the last exported epoch (rows: "
            + "output channels, columns: input channels), and the activation maps A0 (the input), A1, … of one test image at "
            + "the last exported epoch. The images are copies of the run's kernels/ and activations/ PNGs."
        for entry in entries {
            text += "\n\n### \(Markdown.escape(entry.group.label)) — seed \(entry.run.entry.seed) (\(Markdown.escape(entry.run.entry.dir)))"
            if !entry.kernels.isEmpty {
                let layer = Markdown.escape(entry.layer ?? "")
                text += "\n\n" + Markdown.table(entry.kernels.map { "\(layer) kernels, epoch \($0.epoch)" },
                                                [entry.kernels.map { "![\(layer) kernels, epoch \($0.epoch)](\(figureDirectory)/\($0.image.fileName))" }])
            }
            if !entry.activations.isEmpty, let epoch = entry.activationEpoch, let image = entry.testImage {
                text += "\n\nActivation maps of test image \(image) at epoch \(epoch):\n\n"
                text += Markdown.table(entry.activations.map { "A\($0.index)" },
                                       [entry.activations.map { "![A\($0.index)](\(figureDirectory)/\($0.image.fileName))" }])
            }
        }
        return text
    }

    /// Every run with its status; damaged and crashed runs with the reason, failed ones with the error.
    func runsTable() -> String {
        let rows = analysis.groups.flatMap { group in
            group.runs.map { run -> [String] in
                let epochs = run.status.map { "\($0.epoch)/\($0.epochs)" } ?? "—"
                let accuracy = run.metrics?.testAccuracy.last.map { Self.number($0 * 100, decimals: 2) } ?? "—"
                var note = run.note ?? ""
                if let reason = run.status?.stopReason, run.state == .completed { note = "stopped early (\(reason))" }
                return [Markdown.escape(run.entry.dir), "\(run.entry.seed)", run.state.rawValue, epochs, accuracy, Markdown.escape(note)]
            }
        }
        return "## Runs\n\n" + Markdown.table(["run", "seed", "status", "epochs", "last test acc. (%)", "note"], rows, alignRight: [1, 3, 4])
    }
}
