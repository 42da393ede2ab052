// Python cells for the swept-variable and diagnostics figures.

extension NotebookPython {
    /// Final test accuracy against `key`: "log", "linear" or "category" x axis.
    static func sweptFigure(key: String, xScale: String) -> String {
        cell("""
        XKEY = \(pythonString(key))
        XSCALE = \(pythonString(xScale))  # "log", "linear" or "category"
        other_keys = [k for k in SWEPT_KEYS if k != XKEY]
        # Categories in the sweep file's order: its grid axis, then its zip entries, then any other value.
        definition = sweep.get("definition") or {}
        ordered = list((definition.get("grid") or {}).get(XKEY, []))
        ordered += [entry[XKEY] for entry in definition.get("zip") or [] if XKEY in entry]
        ordered += [conf["overrides"].get(XKEY) for conf in configurations.values()]
        present = {json.dumps(conf["overrides"].get(XKEY), sort_keys=True) for conf in configurations.values()}
        category_keys, categories = [], []
        for value in ordered:
            key = json.dumps(value, sort_keys=True)
            if key in present and key not in category_keys:
                category_keys.append(key)
                categories.append(str(value))
        lines = {}
        for conf in configurations.values():
            x = conf["overrides"].get(XKEY)
            finals = [read_group(run, "epoch")["test_accuracy"][-1] * 100 for run in conf["completed"]]
            if finals:
                name = label(conf["overrides"], other_keys) if other_keys else "mean over seeds"
                position = category_keys.index(json.dumps(x, sort_keys=True)) if XSCALE == "category" else x
                lines.setdefault(name, []).append((position, finals))

        fig, ax = plt.subplots(figsize=(8, 4.5))
        for i, (name, line) in enumerate(lines.items()):
            line.sort(key=lambda point: point[0])
            xs = np.array([x for x, _ in line], dtype=np.float64)
            color = f"C{i % 10}"
            means = np.array([np.mean(f) for _, f in line])
            lows, highs = np.array([min(f) for _, f in line]), np.array([max(f) for _, f in line])
            if XSCALE == "category":  # separate points with min-max ranges, the lines side by side
                xs = xs + (0.3 * (i / (len(lines) - 1) - 0.5) if len(lines) > 1 else 0.0)
                ax.errorbar(xs, means, yerr=[means - lows, highs - means], fmt="o", color=color, label=name)
            else:
                ax.plot(xs, means, marker="o", color=color, label=name)
                ax.fill_between(xs, lows, highs, color=color, alpha=0.2)
            for x, (_, finals) in zip(xs, line):
                ax.scatter([x] * len(finals), finals, s=12, color=color)
        if XSCALE == "log":
            ax.set_xscale("log")
        if XSCALE == "category":
            ax.set_xticks(range(len(categories)), categories)
        ax.set_xlabel(XKEY)
        ax.set_ylabel("final test accuracy (%)")
        finish(ax, "Final test accuracy")
        """)
    }

    /// Per-layer diagnostics of one run.
    static func diagnosticsFigure(runDirectory: String) -> String {
        cell("""
        DIAGNOSTICS_RUN = \(pythonString(runDirectory))
        with h5py.File(os.path.join(RESULTS, SWEEP, DIAGNOSTICS_RUN, "metrics.h5"), "r") as f:
            diagnostics = {layer: {name: item[()] for name, item in group.items() if isinstance(item, h5py.Dataset) and item.ndim == 1}
                           for layer, group in f["diagnostics"].items() if isinstance(group, h5py.Group)}
            epochs = len(f["epoch"]["epoch"])

        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        for ax, name in zip(axes, ["grad_norm", "update_ratio"]):
            for layer, values in diagnostics.items():
                if name in values:
                    offset = 1 if len(values[name]) == epochs - 1 else 0
                    ax.plot(np.arange(len(values[name])) + offset, values[name], marker="o", label=layer)
            ax.set_yscale("log")
            ax.set_xlabel("epoch")
            ax.set_ylabel(name)
            ax.set_title(name + " per layer")
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize="small")
        plt.show()
        """)
    }
}
