// activations-png: for each of `exports.activation_images` (test-set indices), the data A_i of
// every layer as a PNG grid, at epoch 0, every `exports.activations_every` epochs and at the
// epoch the run ends on (SPEC.md "Results layout").

import Foundation
import PNG
import Tensor

/// Writes results/<sweep>/<run>/activations/epoch_NNNN/image_NNNNN/A{i}.png: A0 is the input
/// image, image data d×r×r a grid of per-map scaled gray maps, vector data a 1×f strip
/// (cells ≥ 8 px). Inference mode (BN running statistics). The epoch's directory is staged
/// and published whole (`AtomicFile.writeDirectory`): one syncfs per epoch, not an fsync per PNG;
/// the images are drawn and encoded on the engine's two parts (`Parallel.forEachPart`).
public final class ActivationsPNGPlugin: ExperimentPlugin {
    public static let name = "activations-png"
    public static let enabledByDefault = true

    public init(options: JSONObject) throws {}

    public func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        if case .stepEnd = event { return .proceed }   // every step: nothing to look up
        guard context.isExportDue(every: context.configuration.activationsEvery, at: event) else { return .proceed }
        let indices = context.configuration.activationImages
        guard !indices.isEmpty else { return .proceed }
        let activations = try context.activations(context.testImages(indices))
        let epochDirectory = context.path(String(format: "activations/epoch_%04d", context.epoch))
        try AtomicFile.writeDirectory(epochDirectory, under: context.runDirectory, commits: context.commits) { staging in
            let directories = indices.map { staging + String(format: "/image_%05d", $0) }
            for directory in directories where mkdir(directory, 0o755) != 0 {
                throw ResultsWriteError(path: directory, reason: AtomicFile.errnoMessage("mkdir"))
            }
            // Drawing, compressing and creating 8 × 17 images is the export's time: the engine's
            // two parts take half of the test images each (in turn on one thread when
            // training.threads = 1), so each thread creates files in its own directories (two
            // threads creating files in the same directories contend: 4-8 ms for 136 files,
            // against 2 ms from one thread and 0.9 ms from two in separate directories).
            var failures = [Error?](repeating: nil, count: indices.count)
            failures.withUnsafeMutableBufferPointer { failures in
                Parallel.forEachPart { part in
                    for k in Parallel.range(of: part, count: indices.count) {
                        do {
                            for i in activations.indices {
                                try Self.image(of: activations[i], sample: k, isInput: i == 0)
                                    .write(toNewFile: "\(directories[k])/A\(i).png")
                            }
                        } catch {
                            failures[k] = error
                        }
                    }
                }
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        }
        return .proceed
    }

    /// The image of sample `sample` of the data `a` (n×…): the gray input image (`isInput`,
    /// n×1×r×r), a grid of maps (n×d×r×r) or a strip (n×f).
    static func image(of a: Tensor<Float>, sample: Int, isInput: Bool) -> PNGImage {
        let count = a.count / a.shape[0]
        let values = Array(a.scalars[(sample * count)..<((sample + 1) * count)])
        let shape = Array(a.shape.dropFirst())
        if isInput {
            return ActivationGrid.grayImage(values: values, height: shape[1], width: shape[2], factor: 4)
        } else if shape.count == 3 {
            return ActivationGrid.image(maps: values, shape: shape, factor: 4)
        }
        return ActivationGrid.strip(values: values, factor: 8)
    }
}
