// activations-png: for each of `exports.activation_images` (test-set indices), the data A_i of
// every layer as a PNG grid, at epoch 0, every `exports.activations_every` epochs and at the
// last epoch (SPEC.md "Results layout").

import Foundation
import PNG
import Tensor

/// Writes results/<sweep>/<run>/activations/epoch_NNNN/image_NNNNN/A{i}.png: A0 is the input
/// image, image data d×r×r a grid of per-map scaled gray maps, vector data a 1×f strip
/// (cells ≥ 8 px). Inference mode (BN running statistics). The epoch's directory is staged
/// and published whole (`AtomicFile.writeDirectory`): one syncfs per epoch, not an fsync per PNG.
public final class ActivationsPNGPlugin: ExperimentPlugin {
    public static let name = "activations-png"
    public static let enabledByDefault = true

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        guard case .epochEnd = event,
              context.isExportDue(every: context.configuration.activationsEvery, epoch: context.epoch) else { return .proceed }
        let indices = context.configuration.activationImages
        guard !indices.isEmpty else { return .proceed }
        let activations = try context.activations(context.testImages(indices))
        let epochDirectory = context.path(String(format: "activations/epoch_%04d", context.epoch))
        try AtomicFile.writeDirectory(epochDirectory, under: context.runDirectory) { staging in
            for (k, index) in indices.enumerated() {
                let directory = staging + String(format: "/image_%05d", index)
                guard mkdir(directory, 0o755) == 0 else {
                    throw ResultsWriteError(path: directory, reason: AtomicFile.errnoMessage("mkdir"))
                }
                for (i, a) in activations.enumerated() {
                    let sampleCount = a.count / a.shape[0]
                    let sample = Array(a.scalars[(k * sampleCount)..<((k + 1) * sampleCount)])
                    let shape = Array(a.shape.dropFirst())
                    let image: PNGImage
                    if i == 0 {
                        image = ActivationGrid.grayImage(values: sample, height: shape[1], width: shape[2], factor: 4)
                    } else if shape.count == 3 {
                        image = ActivationGrid.image(maps: sample, shape: shape, factor: 4)
                    } else {
                        image = ActivationGrid.strip(values: sample, factor: 8)
                    }
                    try image.write(toNewFile: "\(directory)/A\(i).png")
                }
            }
        }
        return .proceed
    }
}
