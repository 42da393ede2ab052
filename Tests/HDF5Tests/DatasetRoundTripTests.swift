import HDF5
import XCTest

final class DatasetRoundTripTests: XCTestCase {
    /// Writes one dataset per shape, closes, reopens read-only and compares values and shapes.
    private func roundTrip<T: HDF5Scalar & Equatable>(_ type: T.Type, make: (Int) -> T) throws {
        let path = try makeTemporaryDirectory(self) + "/roundtrip.h5"
        let shapes: [[Int]] = [[], [1], [7], [3, 4], [2, 3, 4, 5], [0], [2, 0, 3], [40, 50]]
        let file = try HDF5File.create(path)
        for (index, shape) in shapes.enumerated() {
            let values = (0..<shape.reduce(1, *)).map(make)
            try file.writeDataset("data/s\(index)", values: values, shape: shape)
        }
        try file.close()

        let reader = try HDF5File.open(path)
        defer { try? reader.close() }
        for (index, shape) in shapes.enumerated() {
            let array = try reader.readDataset("data/s\(index)", as: T.self)
            XCTAssertEqual(array.shape, shape, "\(T.self) shape \(shape)")
            XCTAssertEqual(array.values, (0..<shape.reduce(1, *)).map(make), "\(T.self) shape \(shape)")
            XCTAssertEqual(try reader.openDataset("data/s\(index)").info().dataType, T.hdf5DataType)
        }
    }

    func testFloat32RoundTrip() throws { try roundTrip(Float.self) { Float($0) * 0.25 - 3.5 } }
    func testFloat64RoundTrip() throws { try roundTrip(Double.self) { Double($0) / 3 - 1e300 * Double($0 % 2) } }
    func testInt32RoundTrip() throws { try roundTrip(Int32.self) { Int32($0) * 7919 - Int32.max / 2 } }
    func testInt64RoundTrip() throws { try roundTrip(Int64.self) { Int64($0) * 1_000_000_007 + Int64.min / 2 } }
    func testUInt8RoundTrip() throws { try roundTrip(UInt8.self) { UInt8(truncatingIfNeeded: $0 * 37) } }

    func testSpecialFloatValuesSurvive() throws {
        let path = try makeTemporaryDirectory(self) + "/special.h5"
        let values: [Float] = [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let file = try HDF5File.create(path)
        try file.writeDataset("x", values: values, shape: [6])
        try file.close()
        let back = try HDF5File.open(path).readDataset("x", as: Float.self).values
        XCTAssertEqual(back.map(\.bitPattern), values.map(\.bitPattern))
    }

    func testLargeDatasetsAreChunkedWithShuffleBeforeDeflate() throws {
        let path = try makeTemporaryDirectory(self) + "/chunks.h5"
        let file = try HDF5File.create(path)
        try file.writeDataset("small", values: [Float](repeating: 1, count: 1023), shape: [1023])
        try file.writeDataset("large", values: (0..<1024).map(Float.init), shape: [32, 32])
        try file.writeDataset("huge", values: [Double](repeating: 2, count: 512 * 1024), shape: [512, 1024])
        let small = try file.openDataset("small").info()
        XCTAssertNil(small.chunkShape)
        XCTAssertEqual(small.filters, [])
        let large = try file.openDataset("large").info()
        XCTAssertEqual(large.chunkShape, [32, 32])
        XCTAssertEqual(large.filters, [.shuffle, .deflate(level: 4)])
        // 512×1024 float64 = 4 MiB: the first dimension is halved twice to reach 1 MiB.
        XCTAssertEqual(try file.openDataset("huge").info().chunkShape, [128, 1024])
        try file.close()
        // Compression pays: 4 MiB of a constant compresses to far less than 1 MiB.
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        XCTAssertLessThan(size, 200_000)
    }

    /// `compressesLargeDatasets` false (`writeAtomically(to:compressed: false)`): every dataset
    /// contiguous and uncompressed, read back the same.
    func testUncompressedFilesStoreLargeDatasetsContiguously() throws {
        let path = try makeTemporaryDirectory(self) + "/plain.h5"
        let values = (0..<4096).map { Float($0) * 0.5 - 7 }
        try HDF5File.writeAtomically(to: path, compressed: false) { file in
            XCTAssertFalse(file.compressesLargeDatasets)
            try file.writeDataset("large", values: values, shape: [64, 64])
        }
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        let info = try file.openDataset("large").info()
        XCTAssertNil(info.chunkShape)
        XCTAssertEqual(info.filters, [])
        XCTAssertEqual(try file.readDataset("large", as: Float.self).values.map(\.bitPattern), values.map(\.bitPattern))
        let other = try HDF5File.create(path + ".2")
        XCTAssertTrue(other.compressesLargeDatasets)
        try other.close()
    }

    func testReadingWithTheWrongTypeThrows() throws {
        let path = try makeTemporaryDirectory(self) + "/types.h5"
        let file = try HDF5File.create(path)
        try file.writeDataset("f", values: [Float(1)], shape: [1])
        XCTAssertThrowsError(try file.readDataset("f", as: Double.self)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("stored type float32, requested float64"), text)
            XCTAssertTrue(text.contains("/f"), text)
        }
        try file.close()
    }

    func testWritingAnExistingNameThrows() throws {
        let path = try makeTemporaryDirectory(self) + "/dup.h5"
        let file = try HDF5File.create(path)
        try file.writeDataset("a/b", values: [Int32(1)], shape: [])
        XCTAssertThrowsError(try file.writeDataset("a/b", values: [Int32(2)], shape: [])) { error in
            XCTAssertEqual((error as? HDF5Error)?.operation, "create dataset")
            XCTAssertEqual((error as? HDF5Error)?.object, "/a/b")
        }
        try file.close()
    }
}
