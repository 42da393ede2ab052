// Python cells for the swept-variable and diagnostics figures.

extension NotebookPython {
    /// Final test accuracy against `key`: "log", "linear" or "category" x axis.
    static func sweptFigure(key: String, xScale: String) -> String {
        cell("""
        XKEY = \(pythonString(key))
        XSCALE = \(pythonString(xScale))  # "log", "linear" or "category"
        other_keys = [k for k in SWEPT_KEYS if k != XKEY]
        lines, categories = {}, []
        for conf in configurations.values():
            x = conf["overrides"].get(XKEY)
            if str(x) not in categories:
                categories.append(str(x))
            finals = [read_group(run, "epoch")["test_accuracy"][-1] * 100 for run in conf["completed"]]
            if finals:
                name = label(conf["overrides"], other_keys) if other_keys else "mean over seeds"
                lines.setdefault(name, []).append((categories.index(str(x)) if XSCALE == "category" else x, finals))

        fig, ax = plt.subplots(figsize=(8, 4.5))
        for i, (name, line) in enumerate(lines.items()):
            line.sort(key=lambda point: point[0])
            xs = np.array([x for x, _ in line], dtype=np.float64)
            color = f"C{i % 10}"
            ax.plot(xs, [np.mean(f) for _, f in line], marker="o", color=color, label=name)
            ax.fill_between(xs, [min(f) for _, f in line], [max(f) for _, f in line], color=color, alpha=0.2)
            for x, finals in line:
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
