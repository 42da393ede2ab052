// One minibatch of a split: images n×1×r×r, labels n, and one-hot targets n×m on demand.

import Tensor

/// n samples of a split, in the order the epoch visits them.
public struct Minibatch: Sendable {
    /// Images, n×1×r×r (normalised pixels).
    public var images: Tensor<Float>
    /// Labels 0..<m, n of them.
    public var labels: [Int]
    /// The samples' indices in the split, n of them.
    public var indices: [Int]
    /// The epoch this batch belongs to.
    public var epoch: Int
    /// The batch's index within its epoch (0-based).
    public var batchIndex: Int

    /// The number of samples n.
    public var count: Int { labels.count }

    /// An empty batch (to be filled by `Batcher.fill`).
    public init() {
        images = Tensor(shape: [0, 1, 0, 0])
        labels = []
        indices = []
        epoch = 0
        batchIndex = 0
    }

    /// The labels as one-hot rows, n×m: row s has 1 in column labels[s], 0 elsewhere.
    /// - Precondition: every label < `classCount`.
    public func oneHot(classCount: Int) -> Tensor<Float> {
        var t = Tensor<Float>(shape: [count, classCount])
        for (s, label) in labels.enumerated() {
            precondition(label >= 0 && label < classCount, "label \(label) ≥ class count \(classCount)")
            t[s * classCount + label] = 1
        }
        return t
    }
}
