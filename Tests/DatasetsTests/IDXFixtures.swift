// Hand-made IDX files for the tests, written into a fresh temporary directory.

@testable import Datasets
import Foundation
import XCTest

/// A temporary directory removed at the end of the test, with helpers to write IDX files.
final class FixtureDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "exp-datasets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The bytes of an IDX file: magic 0x00 0x00 0x08 rank, big-endian dims, then `data`.
    static func idx(dims: [Int], data: [UInt8], magic: UInt32? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        let m = magic ?? (0x0000_0800 | UInt32(dims.count))
        for shift in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: m >> UInt32(shift))) }
        for d in dims {
            for shift in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: UInt32(d) >> UInt32(shift))) }
        }
        return bytes + data
    }

    /// Writes `bytes` (gzip-compressed when `gzip`) to `name`; returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], gzip: Bool = false) throws -> String {
        let p = path + "/" + name
        try Data(gzip ? Gzip.compress(bytes) : bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// n images of r×r where image i has every pixel equal to (i·16 + pixel) mod 256, labels i mod m.
    static func images(n: Int, r: Int) -> [UInt8] {
        (0..<(n * r * r)).map { UInt8(truncatingIfNeeded: ($0 / (r * r)) * 16 + $0 % (r * r)) }
    }

    static func labels(n: Int, classes: Int) -> [UInt8] { (0..<n).map { UInt8($0 % classes) } }

    /// Writes a complete four-file dataset (train n, test t, r×r, labels i mod classes) under the
    /// canonical MNIST file names; returns the configuration for it as `idx`.
    func writeDataset(n: Int = 10, t: Int = 4, r: Int = 3, classes: Int = 3, gzip: Bool = true) throws -> DatasetConfiguration {
        let ext = gzip ? ".gz" : ""
        try write("train-images-idx3-ubyte" + ext, Self.idx(dims: [n, r, r], data: Self.images(n: n, r: r)), gzip: gzip)
        try write("train-labels-idx1-ubyte" + ext, Self.idx(dims: [n], data: Self.labels(n: n, classes: classes)), gzip: gzip)
        try write("t10k-images-idx3-ubyte" + ext, Self.idx(dims: [t, r, r], data: Self.images(n: t, r: r)), gzip: gzip)
        try write("t10k-labels-idx1-ubyte" + ext, Self.idx(dims: [t], data: Self.labels(n: t, classes: classes)), gzip: gzip)
        return DatasetConfiguration(name: "idx", path: path,
                                    trainImages: "train-images-idx3-ubyte" + ext, trainLabels: "train-labels-idx1-ubyte" + ext,
                                    testImages: "t10k-images-idx3-ubyte" + ext, testLabels: "t10k-labels-idx1-ubyte" + ext)
    }
}

/// Asserts that `body` throws a `DatasetError` matching `matches`, whose message names `path`
/// and contains each of `phrases`.
func assertDatasetError<T>(_ body: @autoclosure () throws -> T, mentions phrases: [String],
                           file: StaticString = #filePath, line: UInt = #line,
                           _ matches: (DatasetError) -> Bool) {
    do {
        _ = try body()
        XCTFail("no error thrown", file: file, line: line)
    } catch let error as DatasetError {
        XCTAssertTrue(matches(error), "unexpected case: \(error)", file: file, line: line)
        for phrase in phrases {
            XCTAssertTrue(error.description.contains(phrase), "'\(phrase)' not in: \(error)", file: file, line: line)
        }
    } catch {
        XCTFail("not a DatasetError: \(error)", file: file, line: line)
    }
}
