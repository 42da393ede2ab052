@testable import Datasets
import Tensor
import XCTest

/// Minibatches and per-epoch seeded shuffles.
final class BatcherTests: XCTestCase {
    /// A split of n 2×2 images whose pixels all equal the sample index mod 256 (the identity
    /// table); labels i mod 10.
    func split(_ n: Int) -> DatasetSplit {
        DatasetSplit(pixels: (0..<(n * 4)).map { UInt8(($0 / 4) % 256) }, table: (0..<256).map { Float($0) },
                     labels: (0..<n).map { UInt8($0 % 10) }, imageSide: 2)
    }

    func epochIndices(_ b: Batcher, _ epoch: Int, from start: Int = 0) -> [[Int]] {
        b.batches(epoch: epoch, startingAt: start).map(\.indices)
    }

    func testEverySampleOncePerEpochAndBatchesHoldTheirSamples() {
        let b = Batcher(split: split(103), batchSize: 10, seed: 42)
        XCTAssertEqual(b.batchCount, 11)
        XCTAssertEqual(b.skippedSampleCount, 0)
        for epoch in 0..<3 {
            var seen: [Int] = []
            for batch in b.batches(epoch: epoch) {
                XCTAssertEqual(batch.images.shape, [batch.count, 1, 2, 2])
                for (row, i) in batch.indices.enumerated() {
                    XCTAssertEqual(batch.labels[row], i % 10)
                    XCTAssertEqual(Array(batch.images.scalars[(row * 4)..<(row * 4 + 4)]), [Float](repeating: Float(i % 256), count: 4))
                }
                seen += batch.indices
            }
            XCTAssertEqual(seen.count, 103)
            XCTAssertEqual(seen.sorted(), Array(0..<103))
            XCTAssertNotEqual(seen, Array(0..<103))  // shuffled
        }
        XCTAssertEqual(b.batches(epoch: 0).map(\.count).last, 3)
    }

    func testOrdersDifferByEpochAreReproducibleAndComputableAlone() {
        let b = Batcher(split: split(1000), batchSize: 64, seed: 7)
        let replay = (0..<6).map { b.order(epoch: $0) }
        for i in 0..<6 { for j in (i + 1)..<6 { XCTAssertNotEqual(replay[i], replay[j]) } }
        // A fresh batcher regenerating epoch 5 alone (no replay) gives epoch 5 of the full replay.
        let fresh = Batcher(split: split(1000), batchSize: 64, seed: 7)
        XCTAssertEqual(fresh.order(epoch: 5), replay[5])
        XCTAssertEqual(epochIndices(fresh, 5).flatMap { $0 }, replay[5])
        // The documented construction: Philox(seed, RandomStream.shuffle(epoch: k)).permutation(n).
        var stream = PhiloxStream(seed: 7, stream: RandomStream.shuffle(epoch: 5))
        XCTAssertEqual(replay[5], stream.permutation(1000))
        // Another seed, another order.
        XCTAssertNotEqual(Batcher(split: split(1000), batchSize: 64, seed: 8).order(epoch: 5), replay[5])
    }

    func testResumeMidEpoch() {
        let b = Batcher(split: split(100), batchSize: 16, seed: 3)
        let all = epochIndices(b, 2)
        XCTAssertEqual(all.count, 7)
        XCTAssertEqual(epochIndices(b, 2, from: 4), Array(all[4...]))
        XCTAssertEqual(epochIndices(b, 2, from: 7), [])
        let resumed = Array(b.batches(epoch: 2, startingAt: 4))
        XCTAssertEqual(resumed.map(\.batchIndex), [4, 5, 6])
        XCTAssertEqual(resumed.map(\.epoch), [2, 2, 2])
    }

    func testFileOrderWithoutShuffle() {
        let b = Batcher(split: split(10), batchSize: 4, seed: 1, shuffle: false)
        XCTAssertEqual(epochIndices(b, 0), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        XCTAssertEqual(epochIndices(b, 3), epochIndices(b, 0))
    }

    func testDropLastAndSingletonSkip() {
        let dropped = Batcher(split: split(10), batchSize: 4, seed: 1, shuffle: false, dropLast: true)
        XCTAssertEqual(epochIndices(dropped, 0), [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertEqual(dropped.skippedSampleCount, 2)

        // 9 = 2·4 + 1: the singleton batch is kept without batch norm, skipped with it.
        let plain = Batcher(split: split(9), batchSize: 4, seed: 1, shuffle: false)
        XCTAssertEqual(plain.batchCount, 3)
        XCTAssertEqual(epochIndices(plain, 0).last, [8])
        XCTAssertEqual(plain.skippedSampleCount, 0)
        let bn = Batcher(split: split(9), batchSize: 4, seed: 1, shuffle: true, skipSingletonBatch: true)
        XCTAssertEqual(bn.batchCount, 2)
        XCTAssertEqual(bn.skippedSampleCount, 1)
        let used = epochIndices(bn, 0).flatMap { $0 }
        XCTAssertEqual(used, Array(bn.order(epoch: 0).prefix(8)))
        // A partial batch of 2 is kept even with batch norm.
        let two = Batcher(split: split(10), batchSize: 4, seed: 1, skipSingletonBatch: true)
        XCTAssertEqual(two.batchCount, 3)
        XCTAssertEqual(two.skippedSampleCount, 0)
    }

    func testOneHot() {
        let b = Batcher(split: split(3), batchSize: 3, seed: 0, shuffle: false)
        let batch = b.batches(epoch: 0).first { _ in true }!
        let y = batch.oneHot(classCount: 4)
        XCTAssertEqual(y.shape, [3, 4])
        XCTAssertEqual(y.scalars, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0])
    }

    func testBufferIsReusedWhenTheCallerDoesNotKeepIt() {
        let b = Batcher(split: split(64), batchSize: 8, seed: 0)
        var sequence = b.batches(epoch: 0)
        var addresses = Set<UInt>()
        while let batch = sequence.next() {
            _ = batch.images.withUnsafeBufferPointer { addresses.insert(UInt(bitPattern: $0.baseAddress)) }
        }
        XCTAssertEqual(addresses.count, 1)
    }
}
