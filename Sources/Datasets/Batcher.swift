// Minibatches of a split for one epoch, with per-epoch seeded shuffles (Philox4x32-10 keyed by
// the run seed, stream `RandomStream.shuffle(epoch: k)`), so epoch k's order is computed from
// (seed, k) alone — a resumed run starts at (epoch k, batch b) without replaying anything.

import Tensor

/// Cuts a split into minibatches of `batchSize` samples, epoch by epoch.
///
/// Per epoch: `batchCount` batches; the final partial batch is dropped when `dropLast`, or
/// when it would hold a single sample and `skipSingletonBatch` is set (a batch-norm layer
/// cannot normalise one value per feature); `skippedSampleCount` samples are then unused.
public struct Batcher: Sendable {
    /// The split batched.
    public let split: DatasetSplit
    /// Samples per batch (the last batch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// The run seed (the Philox key).
    public let seed: UInt64
    /// Shuffle every epoch (true) or keep file order (false).
    public let shuffle: Bool
    /// Drop a final partial batch.
    public let dropLast: Bool
    /// Drop a final batch of exactly one sample (set when the model has batch norm).
    public let skipSingletonBatch: Bool

    /// - Precondition: `batchSize` ≥ 1.
    public init(split: DatasetSplit, batchSize: Int, seed: UInt64, shuffle: Bool = true,
                dropLast: Bool = false, skipSingletonBatch: Bool = false) {
        precondition(batchSize >= 1, "batch size \(batchSize) must be ≥ 1")
        self.split = split
        self.batchSize = batchSize
        self.seed = seed
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.skipSingletonBatch = skipSingletonBatch
    }

    /// Batches per epoch.
    public var batchCount: Int {
        let full = split.count / batchSize, rest = split.count % batchSize
        return full + (rest == 0 || dropLast || (rest == 1 && skipSingletonBatch) ? 0 : 1)
    }

    /// Samples left out of every epoch (by `dropLast` or `skipSingletonBatch`).
    public var skippedSampleCount: Int { split.count - min(split.count, batchCount * batchSize) }

    /// The order in which epoch `epoch` visits the samples: a Philox permutation of 0..<count
    /// from (seed, `RandomStream.shuffle(epoch: epoch)`) when shuffling, else 0..<count.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<split.count) }
        var stream = PhiloxStream(seed: seed, stream: RandomStream.shuffle(epoch: epoch))
        return stream.permutation(split.count)
    }

    /// The batches of epoch `epoch`, starting at batch `startBatch` (for a mid-epoch resume).
    /// - Precondition: 0 ≤ startBatch ≤ batchCount.
    public func batches(epoch: Int, startingAt startBatch: Int = 0) -> MinibatchSequence {
        precondition(startBatch >= 0 && startBatch <= batchCount,
                     "start batch \(startBatch) outside 0...\(batchCount)")
        return MinibatchSequence(batcher: self, epoch: epoch, order: order(epoch: epoch), nextBatch: startBatch)
    }

    /// Fills `batch` with batch `batchIndex` of an epoch whose sample order is `order`, reusing
    /// its storage when the size is unchanged and the storage is not shared.
    /// - Precondition: 0 ≤ batchIndex < batchCount; `order` is a permutation of 0..<count.
    public func fill(_ batch: inout Minibatch, order: [Int], epoch: Int, batchIndex: Int) {
        precondition(batchIndex >= 0 && batchIndex < batchCount, "batch \(batchIndex) outside 0..<\(batchCount)")
        let start = batchIndex * batchSize, n = min(batchSize, split.count - start)
        let r = split.imageSide, s = split.sampleSize
        if batch.images.shape != [n, 1, r, r] { batch.images = Tensor(shape: [n, 1, r, r]) }
        batch.labels.removeAll(keepingCapacity: true)
        batch.indices.removeAll(keepingCapacity: true)
        // Scattered rows of the training set (47 MB of bytes for full MNIST) are cache and TLB
        // misses; each row is read as bytes and mapped through the normalisation table, the
        // same Floats as gathering rows of a Float array (188 MB) but a quarter of the memory.
        // The engine's two parts gather half the rows each.
        order.withUnsafeBufferPointer { o in
            split.pixels.withUnsafeBufferPointer { src in
                split.table.withUnsafeBufferPointer { table in
                    batch.images.withUnsafeMutableBufferPointer { dst in
                        ByteTableLookup.gatherRows(src, rows: UnsafeBufferPointer(rebasing: o[start..<(start + n)]),
                                                   rowLength: s, table: table, into: dst)
                    }
                }
            }
        }
        for row in 0..<n {
            let i = order[start + row]
            batch.indices.append(i)
            batch.labels.append(Int(split.labels[i]))
        }
        batch.epoch = epoch
        batch.batchIndex = batchIndex
    }
}

/// The batches of one epoch, in order, from a given batch index; one buffer reused when the
/// caller does not keep the previous batch.
public struct MinibatchSequence: Sequence, IteratorProtocol, Sendable {
    /// The batcher.
    public let batcher: Batcher
    /// The epoch.
    public let epoch: Int
    /// The epoch's sample order.
    public let order: [Int]
    /// The index of the next batch.
    public private(set) var nextBatch: Int
    private var buffer = Minibatch()

    init(batcher: Batcher, epoch: Int, order: [Int], nextBatch: Int) {
        self.batcher = batcher
        self.epoch = epoch
        self.order = order
        self.nextBatch = nextBatch
    }

    /// The next batch, or nil after the epoch's last.
    public mutating func next() -> Minibatch? {
        guard nextBatch < batcher.batchCount else { return nil }
        batcher.fill(&buffer, order: order, epoch: epoch, batchIndex: nextBatch)
        nextBatch += 1
        return buffer
    }
}
