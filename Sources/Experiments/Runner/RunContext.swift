// What plugins see of a run: read-only access to its configuration, progress, network,
// metrics and data, plus a forward pass on chosen test images.

import Datasets
import Foundation
import HDF5
import Layers
import Model
import Tensor
import Training

/// The state of one run as plugins see it. The runner updates it; plugins only read.
public final class RunContext {
    /// The run's resolved configuration (config.json).
    public let configuration: ResolvedConfiguration
    /// The sweep's name and the run's id and directory (results/<sweep>/<run>).
    public let sweepName: String
    public let runID: String
    public let runDirectory: String
    /// What produced the run: config, engine, git, BLAS, host, dataset checksums
    /// (metrics.h5's root attributes).
    public let provenance: RunProvenance
    /// The dataset (normalised splits).
    public let dataset: Dataset
    /// The number of epochs configured.
    public let epochs: Int
    /// SGD steps per epoch and the samples skipped per epoch (a final batch of one with BN).
    public let stepsPerEpoch: Int
    public let skippedSamplesPerEpoch: Int

    /// Epochs completed (0 before the first epoch ends).
    public internal(set) var epoch: Int = 0
    /// SGD steps completed.
    public internal(set) var step: Int = 0
    /// The network as it is now (read-only).
    public internal(set) var network: Network<Float>
    /// The network as it was when the current epoch began (after the previous epoch's end and
    /// evaluation); at an `epochEnd` event, the start of the epoch that just ended, so that a
    /// plugin can measure the epoch's change without keeping state of its own (which a resume
    /// would lose). Equal to `network` at epoch 0. A mid-epoch checkpoint keeps it, so a
    /// resumed run sees the same value; nil only when a run was resumed mid-epoch from a
    /// checkpoint.h5 written by an earlier build (docs/FORMAT.md), until the next epoch starts.
    public internal(set) var epochStartNetwork: Network<Float>?
    /// The last step's gradients ∂L/∂P (nil before the first step).
    public internal(set) var gradients: NetworkGradients<Float>?
    /// The last step's numbers (nil before the first step).
    public internal(set) var lastStep: StepResult?
    /// The metrics so far: epoch rows (row 0 = initial weights) and step rows.
    public internal(set) var metrics: MetricsRecord
    /// Runs the process trains at the same time (`exp run --jobs N`: up to N), 1 when alone.
    /// Plugins that write to the terminal share it with the other runs when it is above 1.
    public internal(set) var concurrentRuns = 1
    /// The run's deferred commits: the built-in writers hand the fsync and rename of their
    /// epoch-end files here, and the loop waits for them at the next epoch end (before any
    /// other plugin sees the event), before a mid-epoch checkpoint or status write, and
    /// before the run ends (`TrainingLoop`). Other plugins find every file of earlier plugins
    /// in place, as when the writes were synchronous.
    let commits = CommitQueue()

    init(configuration: ResolvedConfiguration, sweepName: String, runID: String, runDirectory: String,
         provenance: RunProvenance, dataset: Dataset, epochs: Int, stepsPerEpoch: Int, skippedSamplesPerEpoch: Int,
         network: Network<Float>, metrics: MetricsRecord) {
        self.configuration = configuration
        self.sweepName = sweepName
        self.runID = runID
        self.runDirectory = runDirectory
        self.provenance = provenance
        self.dataset = dataset
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        self.skippedSamplesPerEpoch = skippedSamplesPerEpoch
        self.network = network
        self.metrics = metrics
    }

    /// The path of a file inside the run directory. Plugin outputs stay there: empty, `.` and
    /// `..` components and a leading `/` are dropped, so `path("../../etc/x")` is
    /// `<run>/etc/x`.
    public func path(_ relative: String) -> String {
        let components = relative.split(separator: "/").filter { $0 != "." && $0 != ".." }
        return ([runDirectory] + components.map(String.init)).joined(separator: "/")
    }

    /// Test images by index, normalised, as an n×1×r×r tensor.
    /// - Precondition: every index is < the test-set size.
    public func testImages(_ indices: [Int]) -> Tensor<Float> {
        let split = dataset.test
        let size = split.sampleSize
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * size)
        for i in indices {
            precondition(i >= 0 && i < split.count, "test index \(i) out of 0..<\(split.count)")
            scalars += split.images(i..<(i + 1))
        }
        return Tensor(shape: [indices.count, 1, split.imageSide, split.imageSide], scalars: scalars)
    }

    /// A forward pass in inference mode: A_0 … A_L for `images` (n×1×r×r). The run's network
    /// is not changed.
    public func activations(_ images: Tensor<Float>) throws -> [Tensor<Float>] {
        var copy = network
        return try copy.forward(images, mode: .inference, keepActivations: true).activations
    }

    /// Whether an export with period `every` (exports.*_every) is due at `epoch`: epoch 0,
    /// every `every` epochs, and the last epoch; `every` = 0 means only epoch 0 and the last.
    public func isExportDue(every: Int, epoch: Int) -> Bool {
        epoch == 0 || epoch == epochs || (every > 0 && epoch % every == 0)
    }

    /// Whether an export with period `every` is due at `event`: at an epoch end when
    /// `isExportDue(every:epoch:)`; at the end of a completed run that stopped before its
    /// configured epochs (early stopping) when its last epoch was not due, so that the epoch a
    /// run ends on is always exported (weights, kernels, activations).
    public func isExportDue(every: Int, at event: TrainingEvent) -> Bool {
        switch event {
        case .epochEnd: return isExportDue(every: every, epoch: epoch)
        case .runEnd(.completed): return !isExportDue(every: every, epoch: epoch)
        default: return false
        }
    }

    /// True when this epoch is the run's last (configured epochs reached).
    public var isLastEpoch: Bool { epoch == epochs }
}

