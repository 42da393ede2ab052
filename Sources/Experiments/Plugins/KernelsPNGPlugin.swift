// kernels-png: the kernels of every convolution layer as a PNG grid, at epoch 0, every
// `exports.kernels_every` epochs and at the epoch the run ends on (SPEC.md "Results layout").

import Layers
import PNG

/// Writes results/<sweep>/<run>/kernels/epoch_NNNN/P{j}.png for every convolution layer
/// (grid: rows = output channels, columns = input channels; per-kernel diverging colours).
/// The epoch's directory is staged and published whole (`AtomicFile.writeDirectory`).
/// Options: `factor` (upscaling, default 8), `scaling` (per-kernel | global), `coloring`
/// (diverging | grayscale).
public final class KernelsPNGPlugin: ExperimentPlugin {
    public static let name = "kernels-png"
    public static let enabledByDefault = true
    public static let optionKeys: [String]? = ["factor", "scaling", "coloring"]

    let options: KernelGridOptions

    public init(options: JSONObject) throws {
        let factor = Int(options["factor"]?.integerValue ?? 8)
        guard (1...64).contains(factor) else {
            throw PluginOptionError(plugin: Self.name, option: "factor", message: "\(factor) must be in 1…64")
        }
        let scaling = options["scaling"]?.stringValue ?? "per-kernel"
        let coloring = options["coloring"]?.stringValue ?? "diverging"
        guard ["per-kernel", "global"].contains(scaling) else {
            throw PluginOptionError(plugin: Self.name, option: "scaling", message: "\"\(scaling)\" must be per-kernel or global")
        }
        guard ["diverging", "grayscale"].contains(coloring) else {
            throw PluginOptionError(plugin: Self.name, option: "coloring", message: "\"\(coloring)\" must be diverging or grayscale")
        }
        self.options = KernelGridOptions(factor: factor, scaling: scaling == "global" ? .global : .perKernel,
                                         coloring: coloring == "grayscale" ? .grayscale : .diverging)
    }

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        guard context.isExportDue(every: context.configuration.kernelsEvery, at: event) else { return .proceed }
        let directory = context.path(String(format: "kernels/epoch_%04d", context.epoch))
        try AtomicFile.writeDirectory(directory, under: context.runDirectory) { staging in
            for (offset, layer) in context.network.layers.enumerated() where layer.type == .conv {
                let w = layer.parameters[0]
                try KernelGrid.image(weights: w.scalars, shape: w.shape, options: options)
                    .write(toNewFile: "\(staging)/P\(offset).png")
            }
        }
        return .proceed
    }
}
