// kernels-png: the kernels of every convolution layer as a PNG grid, at epoch 0, every
// `exports.kernels_every` epochs and at the epoch the run ends on (SPEC.md "Results layout").

import Layers
import PNG

/// Writes results/<sweep>/<run>/kernels/epoch_NNNN/P{j}.png for every convolution layer, and
/// S{j}.png for every 1×1 convolution projecting a shortcut from A_j (grid: rows = output
/// channels, columns = input channels; per-kernel diverging colours).
/// The epoch's directory is staged and published whole (`AtomicFile.writeDirectory`).
/// Options: `factor` (upscaling, default 8), `scaling` (per-kernel | global), `coloring`
/// (diverging | grayscale).
public final class KernelsPNGPlugin: ExperimentPlugin {
    public static let name = "kernels-png"
    public static let enabledByDefault = true
    public static let optionKeys: [String]? = ["factor", "scaling", "coloring"]

    let options: KernelGridOptions
    /// The largest grid drawn: 2^26 pixels (192 MiB of RGB), at most 100,000 per side.
    static let maximumPixels = 1 << 26
    static let maximumSide = 100_000

    public init(options: JSONObject) throws {
        let read = PluginOptions(plugin: Self.name, values: options)
        let factor = try read.integer("factor", default: 8, in: 1...64)
        let scaling = try read.string("scaling", oneOf: ["per-kernel", "global"]) ?? "per-kernel"
        let coloring = try read.string("coloring", oneOf: ["diverging", "grayscale"]) ?? "diverging"
        self.options = KernelGridOptions(factor: factor, scaling: scaling == "global" ? .global : .perKernel,
                                         coloring: coloring == "grayscale" ? .grayscale : .diverging)
    }

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        if case .stepEnd = event { return .proceed }   // every step: nothing to look up
        guard context.isExportDue(every: context.configuration.kernelsEvery, at: event) else { return .proceed }
        let directory = context.path(String(format: "kernels/epoch_%04d", context.epoch))
        try AtomicFile.writeDirectory(directory, under: context.runDirectory, commits: context.commits) { staging in
            let network = context.network
            var grids = network.layers.enumerated().filter { $0.element.type == .conv }
                .map { (name: "P\($0.offset)", weights: $0.element.parameters[0]) }
            for (_, shortcut) in network.shortcuts.sorted(by: { $0.key < $1.key }) {
                if let p = shortcut.projection, network.projections[p].type == .conv {
                    grids.append((name: "S\(shortcut.source)", weights: network.projections[p].parameters[0]))
                }
            }
            for (name, w) in grids {
                let size = KernelGrid.size(shape: w.shape, factor: options.factor)
                guard size.width <= Self.maximumSide, size.height <= Self.maximumSide,
                      size.width * size.height <= Self.maximumPixels else {
                    throw PluginOptionError(plugin: Self.name, option: "factor",
                                            message: "the kernel grid of \(name) (\(w.shape.map(String.init).joined(separator: "×")) "
                                            + "weights) would be \(size.width)×\(size.height) pixels at factor \(options.factor), more than "
                                            + "\(Self.maximumPixels) pixels or \(Self.maximumSide) per side; lower the factor or disable kernels-png")
                }
                try KernelGrid.image(weights: w.scalars, shape: w.shape, options: options)
                    .write(toNewFile: "\(staging)/\(name).png")
            }
        }
        return .proceed
    }
}
