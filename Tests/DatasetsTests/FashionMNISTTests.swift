@testable import Datasets
import XCTest

/// Fashion-MNIST from the Debian package dataset-fashion-mnist (.ci/run installs it); skipped
/// when /usr/share/datasets/fashion-mnist is absent.
final class FashionMNISTTests: XCTestCase {
    func testFashionMNISTFromTheDebianPackage() throws {
        let dir = "/usr/share/datasets/fashion-mnist"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: dir + "/train-images-idx3-ubyte.gz"),
                          "apt-get install dataset-fashion-mnist to run this test")
        // Found by name through the search order (no path, no EXP_DATA_DIR, a directory without data/).
        let config = DatasetConfiguration(name: "fashion-mnist")
        let info = try DatasetInfo.inspect(config, environment: [:], currentDirectory: "/")
        XCTAssertEqual(info.directory, dir)
        XCTAssertEqual(info.trainShape, [60000, 28, 28])
        XCTAssertEqual(info.testShape, [10000, 28, 28])
        XCTAssertEqual(info.trainClassCounts, [Int](repeating: 6000, count: 10))
        XCTAssertEqual(info.testClassCounts, [Int](repeating: 1000, count: 10))
        // Debian recompressed the .gz files: their bytes differ from upstream's, their content does not.
        XCTAssertEqual(info.provenance.verified, true)
        XCTAssertNotEqual(info.provenance.files[0].sha256, KnownDataset.fashionMNIST.files[0].gzipSHA256)

        // standardize uses the training set's own statistics, computed and recorded.
        let d = try Dataset.load(config, environment: [:], currentDirectory: "/")
        XCTAssertEqual(d.normalization.source, "training set")
        XCTAssertEqual(d.normalization.mean, 0.2860, accuracy: 0.00005)
        XCTAssertEqual(d.normalization.std, 0.3530, accuracy: 0.00005)
        XCTAssertEqual(d.normalization.mean, info.trainPixels.mean)
    }
}
