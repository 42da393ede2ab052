@testable import Datasets
import Tensor
import XCTest

/// Minibatches gathered from pixel bytes through the normalisation table equal rows of the Float
/// array made by mapping every byte (the representation before the byte gather), bit for bit.
final class BatcherGatherTests: XCTestCase {
    /// The three normalisations' tables, as `Dataset` builds them (standardize with MNIST's
    /// published constants and with a training-set-like pair).
    let tables: [[Float]] = [(1.0, 0.0, 1.0), (255.0, 0.0, 1.0), (255.0, 0.1307, 0.3081), (255.0, 0.1733, 0.3317)]
        .map { scale, mean, std in (0..<256).map { Float((Double($0) / scale - mean) / std) } }

    /// Every byte value, then pseudo-random bytes (mostly 0, as in MNIST).
    func bytes(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { i in
            if i < 256 { return UInt8(i) }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let v = UInt8(truncatingIfNeeded: state >> 56)
            return v < 128 ? 0 : v
        }
    }

    func testGatheredBatchesEqualTheFloatRowsForEveryTableSizeThreadCountAndInstructionSet() {
        defer { DirectConvolution.instructionSetLevel = 2; Parallel.setThreads(nil) }
        for side in [28, 5, 3] {   // 784 = 49·16; 25 = 16 + 8 + 1; 9 = 8 + 1
            let n = 203, s = side * side
            let pixels = bytes(n * s)
            for table in tables {
                let split = DatasetSplit(pixels: pixels, table: table, labels: (0..<n).map { UInt8($0 % 10) }, imageSide: side)
                let floats = pixels.map { table[Int($0)] }   // the former Float representation
                XCTAssertEqual(split.images.map(\.bitPattern), floats.map(\.bitPattern))
                XCTAssertEqual(split.images(5..<9).map(\.bitPattern), floats[(5 * s)..<(9 * s)].map(\.bitPattern))
                for batchSize in [1, 7, 64, 203, 500] {
                    for threads in [1, 2] {
                        for level in [2, 1, 0] {
                            Parallel.setThreads(threads)
                            DirectConvolution.instructionSetLevel = level
                            let batcher = Batcher(split: split, batchSize: batchSize, seed: 11)
                            var samples = 0
                            for batch in batcher.batches(epoch: 1) {
                                XCTAssertEqual(batch.images.shape, [batch.count, 1, side, side])
                                let expected = batch.indices.flatMap { floats[($0 * s)..<(($0 + 1) * s)] }
                                XCTAssertEqual(batch.images.scalars.map(\.bitPattern), expected.map(\.bitPattern),
                                               "r \(side), n \(batchSize), \(threads) threads, level \(level)")
                                samples += batch.count
                            }
                            XCTAssertEqual(samples, n)
                        }
                    }
                }
            }
        }
    }
}
