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
        defer { DirectConvolution.instructionSetLevel = 2; Parallel.setThreads(nil); ByteTableLookup.allowVBMI(true) }
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
                        for (level, vbmi) in [(2, true), (2, false), (1, false), (0, false)] {
                            Parallel.setThreads(threads)
                            DirectConvolution.instructionSetLevel = level
                            ByteTableLookup.allowVBMI(vbmi)
                            let batcher = Batcher(split: split, batchSize: batchSize, seed: 11)
                            var samples = 0
                            for batch in batcher.batches(epoch: 1) {
                                XCTAssertEqual(batch.images.shape, [batch.count, 1, side, side])
                                let expected = batch.indices.flatMap { floats[($0 * s)..<(($0 + 1) * s)] }
                                XCTAssertEqual(batch.images.scalars.map(\.bitPattern), expected.map(\.bitPattern),
                                               "r \(side), n \(batchSize), \(threads) threads, level \(level), VBMI \(ByteTableLookup.usesVBMI)")
                                samples += batch.count
                            }
                            XCTAssertEqual(samples, n)
                        }
                    }
                }
            }
        }
    }

    /// Rows of every length around the VBMI path's 64-byte blocks, every byte value at every
    /// position of a block, on every path: the table's Floats exactly.
    func testRowLengthsAroundTheBlocksOnEveryPath() {
        defer { DirectConvolution.instructionSetLevel = 2; ByteTableLookup.allowVBMI(true) }
        let table = tables[2]
        for length in [1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 784] {
            let rowCount = 300
            let source = (0..<(rowCount * length)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 256) }
            let rows = (0..<rowCount).map { ($0 * 37) % rowCount }
            let expected = rows.flatMap { r in source[(r * length)..<((r + 1) * length)].map { table[Int($0)].bitPattern } }
            for (level, vbmi) in [(2, true), (2, false), (1, false), (0, false)] {
                DirectConvolution.instructionSetLevel = level
                ByteTableLookup.allowVBMI(vbmi)
                var out = [Float](repeating: .nan, count: rowCount * length)
                source.withUnsafeBufferPointer { src in
                    rows.withUnsafeBufferPointer { r in
                        table.withUnsafeBufferPointer { t in
                            out.withUnsafeMutableBufferPointer { o in
                                ByteTableLookup.gatherRows(src, rows: r, rowLength: length, table: t, into: o)
                            }
                        }
                    }
                }
                XCTAssertEqual(out.map(\.bitPattern), expected, "length \(length), level \(level), VBMI \(ByteTableLookup.usesVBMI)")
            }
        }
    }

    /// A large split is copied into huge-page-advised memory: the same bytes.
    func testHugePageCopyKeepsTheBytes() {
        let count = DatasetSplit.hugePageThreshold + 12_345
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        XCTAssertEqual(DatasetSplit.hugePageCopy(bytes), bytes)
        let side = 28, n = (DatasetSplit.hugePageThreshold + side * side - 1) / (side * side)
        let pixels = Array(bytes[0..<(n * side * side)])
        let split = DatasetSplit(pixels: pixels, table: tables[2], labels: [UInt8](repeating: 3, count: n), imageSide: side)
        XCTAssertEqual(split.pixels, pixels)
    }
}
