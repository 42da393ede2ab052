// One SGD step and inference-mode evaluation: the inner loop of a run.
//
// Source: Boué (arXiv:1811.11987) §3: forward, loss, backward, update P ← P − λ ∂L/∂P.
// The epoch loop, events and plugins live in the runner (Experiments); this type knows nothing
// of datasets or files, only tensors and labels.

import Layers
import Model
import Tensor

/// The per-step numbers a trainer reports.
public struct StepResult: Sendable, Equatable {
    /// The minibatch loss (nats; the mean over the batch for the mean reduction).
    public let loss: Double
    /// Correct predictions in the batch (training mode).
    public let correct: Int
    /// n.
    public let count: Int
    /// λ used for this step.
    public let learningRate: Double
}

/// Loss and accuracy over a set of samples, in inference mode.
public struct Evaluation: Sendable, Equatable {
    /// Mean cross-entropy per sample (nats).
    public let loss: Double
    /// Fraction of correct predictions in [0, 1].
    public let accuracy: Double
    /// Number of samples evaluated.
    public let count: Int

    public init(loss: Double, accuracy: Double, count: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.count = count
    }
}

/// Trains a network by SGD, one minibatch at a time, and evaluates it.
public struct Trainer<Scalar: TensorScalar>: Sendable {
    public var network: Network<Scalar>
    public var optimizer: SGD<Scalar>
    public var schedule: LearningRateSchedule
    public var reduction: LossReduction
    /// Gradient accumulators, allocated once and reused every step.
    public private(set) var gradients: NetworkGradients<Scalar>
    /// SGD steps completed over the whole run (0-based index of the next step).
    public var step: Int

    public init(network: Network<Scalar>, optimizer: SGD<Scalar>, schedule: LearningRateSchedule,
                reduction: LossReduction = .mean, step: Int = 0) {
        self.network = network
        self.optimizer = optimizer
        self.schedule = schedule
        self.reduction = reduction
        self.gradients = NetworkGradients(zeroFor: network)
        self.step = step
        Allocator.keepFreedMemory()   // reuse each step's tensors without page faults
    }

    /// One SGD step on a minibatch: forward (training mode), loss, backward, update.
    ///
    /// - Parameters:
    ///   - images: A_0, n×d×r×r.
    ///   - labels: n class indices.
    ///   - stepsPerEpoch, epochs: for the learning-rate schedule.
    /// - Returns: the loss before the update, correct count and λ.
    /// Pins OpenBLAS to one thread first, so results do not depend on the BLAS thread count.
    /// - Throws: `LayerError` (e.g. batch norm with one value per feature). A non-finite loss
    ///   is returned, not thrown: the caller decides (divergence guard).
    @_specialize(where Scalar == Float)
    public mutating func trainStep(images: Tensor<Scalar>, labels: [Int], stepsPerEpoch: Int,
                                   epochs: Int) throws -> StepResult {
        // One BLAS thread: OpenBLAS's threaded kernels change the summation order, and so the
        // bits of the weights (PLATFORM.md §4.3). Cheap; repeated in case a caller changed it.
        BLAS.setThreads(1)
        let lr = schedule.rate(step: step, stepsPerEpoch: stepsPerEpoch, epochs: epochs)
        let (loss, correct, _) = try network.lossAndGradients(images: images, labels: labels,
                                                              reduction: reduction, gradients: &gradients)
        if loss.isFinite {
            optimizer.step(&network, gradients: gradients, learningRate: lr)
        }
        step += 1
        return StepResult(loss: loss, correct: correct, count: labels.count, learningRate: lr)
    }

    /// Loss and accuracy in inference mode (BN running or population statistics), without
    /// changing the network.
    ///
    /// - Parameter batches: (images n×d×r×r, labels) chunks covering the evaluation set.
    /// - Returns: the sample-weighted mean loss (nats) and accuracy; zeros for no samples.
    /// - Throws: `LayerError` for shapes the network does not take.
    public func evaluate<S: Sequence>(_ batches: S) throws -> Evaluation
    where S.Element == (images: Tensor<Scalar>, labels: [Int]) {
        BLAS.setThreads(1)  // as in trainStep: results must not depend on OpenBLAS's thread count
        var lossSum = 0.0, correct = 0, count = 0
        for batch in batches {
            let logits = try network.infer(batch.images)   // the bits of forward(_:mode: .inference), fused
            let score = SoftmaxCrossEntropy<Scalar>.score(logits: logits, labels: batch.labels, reduction: .sum)
            lossSum += score.loss
            correct += score.correct
            count += batch.labels.count
        }
        guard count > 0 else { return Evaluation(loss: 0, accuracy: 0, count: 0) }
        return Evaluation(loss: lossSum / Double(count), accuracy: Double(correct) / Double(count), count: count)
    }
}
