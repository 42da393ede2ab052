@testable import Datasets
import XCTest

/// The real MNIST files committed in data/mnist: counts, class counts, pixel statistics, checksums.
final class MNISTTests: XCTestCase {
    /// data/mnist of this checkout, found from this file's path (not from the working directory).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/mnist").path

    func testMNISTFacts() throws {
        let config = DatasetConfiguration(name: "mnist", path: Self.directory)
        let info = try DatasetInfo.inspect(config)
        XCTAssertEqual(info.directory, Self.directory)
        XCTAssertEqual(info.trainShape, [60000, 28, 28])
        XCTAssertEqual(info.testShape, [10000, 28, 28])
        XCTAssertEqual(info.classCount, 10)
        XCTAssertEqual(info.trainClassCounts, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        XCTAssertEqual(info.testClassCounts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        XCTAssertEqual(info.trainPixels.count, 47_040_000)
        XCTAssertEqual(info.trainPixels.mean, 0.1307, accuracy: 0.00005)
        XCTAssertEqual(info.trainPixels.std, 0.3081, accuracy: 0.00005)
        XCTAssertEqual(info.provenance.verified, true)
        XCTAssertEqual(info.provenance.files.map(\.sha256), KnownDataset.mnist.files.map(\.gzipSHA256))
        XCTAssertEqual(info.provenance.files.map(\.contentSHA256), KnownDataset.mnist.files.map(\.contentSHA256))
        XCTAssertTrue(info.text.contains("train: 60,000 images of 28×28, test: 10,000 images of 28×28"))
        XCTAssertTrue(info.text.contains("0.1307 / 0.3081"))
        XCTAssertTrue(info.text.hasSuffix("verified: yes"))
    }

    func testLoadedMNISTIsStandardizedWithThePublishedConstants() throws {
        var config = DatasetConfiguration(name: "mnist", path: Self.directory)
        config.validation = 5000
        config.testLimit = 1000
        let d = try Dataset.load(config)
        XCTAssertEqual(d.train.count, 55000)
        XCTAssertEqual(d.validation.count, 5000)
        XCTAssertEqual(d.test.count, 1000)
        XCTAssertEqual(d.train.pixels.count, 55000 * 784)
        XCTAssertEqual(d.normalization, NormalizationConstants(kind: .standardize, scale: 255, mean: 0.1307,
                                                               std: 0.3081, source: "published"))
        XCTAssertEqual(d.provenance.verified, true)
        // Pixel 0 is background (0) in every MNIST image: (0 − 0.1307)/0.3081.
        XCTAssertEqual(d.train.images(0..<1)[0], Float(-0.1307 / 0.3081), accuracy: 1e-6)
        // The first training label is 5, the last 8; the first test label is 7.
        XCTAssertEqual(d.train.labels.first, 5)
        XCTAssertEqual(d.validation.labels.last, 8)
        XCTAssertEqual(d.test.labels.first, 7)
    }
}
