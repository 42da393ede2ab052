// The notebook's Python cells (h5py + matplotlib): they read the same HDF5 files and redraw
// the figures, so that the notebook can be opened in Jupyter and extended.

/// Python code cells, as fenced markdown blocks.
enum NotebookPython {
    static func cell(_ code: String) -> String { "```python\n" + code + "\n```" }

    /// Imports, where the results are, sweep.json, the runs grouped and sorted like the table.
    /// `configurationOnlyKeys` (``SweepAnalysis/configurationOnlyKeys``) are filled from
    /// config.json like overridden keys; the cell mentions them only when there are some.
    static func setup(sweep: String, results: String, sweptKeys: [String], configurationOnlyKeys: [String] = []) -> String {
        let overridden = configurationOnlyKeys.isEmpty ? #"{key for run in sweep["runs"] for key in run["overrides"]}"#
            : #"{key for run in sweep["runs"] for key in run["overrides"]} | set(CONFIGURATION_ONLY_KEYS)"#
        let configurationOnly = configurationOnlyKeys.isEmpty ? "" : """
        # Keys no grid or zip entry varies whose resolved values differ between runs (the sweep
        # file was edited between `exp run`s, or `--set` was used): they separate configurations too.
        CONFIGURATION_ONLY_KEYS = [\(configurationOnlyKeys.map(pythonString).joined(separator: ", "))]


        def resolved_value(run, key):  # config.json's value; without one (a pending run), the last sweep file's base
            if os.path.exists(run_path(run, "config.json")):
                return config_value(run, key)
            value = sweep.get("definition", {}).get("base", {})
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            return value


        """
        return cell("""
        import json
        import os

        import h5py
        import matplotlib.pyplot as plt
        import numpy as np

        # Where `exp run` wrote the results: by default relative to this notebook's folder
        # (notebooks-md/ in the repository root, so ../results is <repository root>/results).
        # Set the EXP_RESULTS environment variable, or edit this line, to read them elsewhere.
        RESULTS = os.environ.get("EXP_RESULTS", \(pythonString(results)))
        SWEEP = \(pythonString(sweep))
        SWEPT_KEYS = [\(sweptKeys.map(pythonString).joined(separator: ", "))]
        STEP_WINDOW_SAMPLES = \(FigureBuilder.stepWindowSamples)  # samples in the trailing mean of the per-step loss

        with open(os.path.join(RESULTS, SWEEP, "sweep.json"), encoding="utf-8") as f:
            sweep = json.load(f)


        def run_path(run, name):
            return os.path.join(RESULTS, SWEEP, run["dir"], name)


        def run_status(run):
            try:
                with open(run_path(run, "status.json"), encoding="utf-8") as f:
                    return json.load(f)["status"]
            except (OSError, ValueError, KeyError):
                return None


        def read_group(run, group):
            with h5py.File(run_path(run, "metrics.h5"), "r") as f:
                return {name: f[group][name][()] for name in f[group]} if group in f else {}


        def readable(run):
            try:
                with h5py.File(run_path(run, "metrics.h5"), "r") as f:
                    return "epoch" in f
            except OSError:
                return False


        def config_value(run, key):  # the value at a dotted key of the run's config.json, or None
            try:
                with open(run_path(run, "config.json"), encoding="utf-8") as f:
                    value = json.load(f)
                for part in key.split("."):
                    value = value[part]
                return value
            except (OSError, ValueError, KeyError, TypeError):
                return None


        \(configurationOnly)# A key some runs override and others do not (runs of `exp run --set ...` next to the
        # sweep's own) takes, for the others, the value of their resolved configuration.
        OVERRIDDEN = sorted(\(overridden))
        for run in sweep["runs"]:
            run["overrides"] = {key: run["overrides"][key] if key in run["overrides"] else \(configurationOnlyKeys.isEmpty ? "config_value" : "resolved_value")(run, key)
                                for key in OVERRIDDEN}


        def label(overrides, keys=None):
            keys = SWEPT_KEYS if keys is None else keys
            text = ", ".join(f"{key.split('.')[-1]}={overrides.get(key)}" for key in keys) or "all runs"
            return text.replace("$", "\\\\$")  # no matplotlib mathtext in labels


        def sort_key(overrides):
            values = [overrides.get(key) for key in SWEPT_KEYS]
            return [(0, v, "") if isinstance(v, (int, float)) else (1, 0, str(v)) for v in values]


        configurations = {}
        for run in sorted(sweep["runs"], key=lambda r: sort_key(r["overrides"])):
            key = json.dumps(run["overrides"], sort_keys=True)
            entry = configurations.setdefault(key, {"label": label(run["overrides"]), "overrides": run["overrides"],
                                                    "completed": [], "diverged": []})
            status = run_status(run)
            if status in ("completed", "diverged") and readable(run):
                entry[status].append(run)
        print(f"{len(sweep['runs'])} runs in {len(configurations)} configurations")


        def finish(ax, title):
            ax.set_title(title + " — " + SWEEP)
            ax.grid(True, color="#E4E4E4")
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize="small")
            plt.show()
        """)
    }

    /// The epoch-curve helper and one figure (column of /epoch/, y label, scale; `error`: draws
    /// (1 − value) × scale on a logarithmic axis, the test error).
    static func epochFigure(column: String, yLabel: String, scale: Double, title: String, defineHelper: Bool,
                            error: Bool = false) -> String {
        let helper = """
        def plot_against_epoch(column, scale=1.0, error=False):
            def values_of(run):
                values = read_group(run, "epoch")[column]
                return (1 - values) * scale if error else values * scale
            fig, ax = plt.subplots(figsize=(8, 4.5))
            for i, conf in enumerate(configurations.values()):
                color = f"C{i % 10}"
                curves = [values_of(run) for run in conf["completed"]]
                if curves:
                    rows = min(len(c) for c in curves)
                    data = np.array([c[:rows] for c in curves])
                    ax.plot(np.arange(rows), data.mean(axis=0), color=color, label=conf["label"])
                    ax.fill_between(np.arange(rows), data.min(axis=0), data.max(axis=0), color=color, alpha=0.2)
                for run in conf["diverged"]:
                    values = values_of(run)
                    finite = np.flatnonzero(np.isfinite(values))
                    ax.plot(np.arange(len(values)), values, color=color, linestyle="--")
                    if finite.size:
                        ax.plot(finite[-1], values[finite[-1]], marker="x", markersize=10, color=color)
            ax.set_xlabel("epoch")
            if error:
                ax.set_yscale("log")
            return fig, ax



        """
        return cell((defineHelper ? helper : "") + """
        fig, ax = plot_against_epoch(\(pythonString(column)), scale=\(scale == 1 ? "1.0" : "100.0")\(error ? ", error=True" : ""))
        ax.set_ylabel(\(pythonString(yLabel)))
        finish(ax, \(pythonString(title)))
        """)
    }

    /// The smoothed per-step loss against samples seen.
    static let stepFigure = cell("""
    def step_window(samples_seen):  # STEP_WINDOW_SAMPLES / n steps, rounded; at most a tenth of the run's steps, at least 1
        n = max(int(samples_seen[0]), 1)  # the first step's samples: the batch size
        return max(1, min((STEP_WINDOW_SAMPLES + n // 2) // n, len(samples_seen) // 10))


    def smooth(step):  # trailing mean of the minibatch losses; NaN until the window is full
        values = np.asarray(step["train_loss"], dtype=np.float64)
        window = step_window(step["samples_seen"])
        sums = np.concatenate([[0.0], np.cumsum(values)])
        smoothed = np.full(len(values), np.nan)
        smoothed[window - 1:] = (sums[window:] - sums[:len(values) - window + 1]) / window
        return smoothed


    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, conf in enumerate(configurations.values()):
        color = f"C{i % 10}"
        steps = [s for s in (read_group(run, "step") for run in conf["completed"]) if len(s.get("train_loss", []))]
        if steps:
            rows = min(len(s["train_loss"]) for s in steps)
            data = np.array([smooth(s)[:rows] for s in steps])
            x = steps[0]["samples_seen"][:rows]
            ax.plot(x, data.mean(axis=0), color=color, label=conf["label"])
            ax.fill_between(x, data.min(axis=0), data.max(axis=0), color=color, alpha=0.2)
        for run in conf["diverged"]:
            s = read_group(run, "step")
            if len(s.get("train_loss", [])):
                ax.plot(s["samples_seen"], smooth(s), color=color, linestyle="--")
    ax.set_yscale("log")
    ax.set_xlabel("samples seen")
    ax.set_ylabel("train loss (nats)")
    finish(ax, f"Training loss per step, trailing mean over {STEP_WINDOW_SAMPLES} samples")
    """)
}
