@testable import Datasets
import XCTest

/// Four-file datasets: consistency checks, checksums, the search order, splits and normalisation.
final class DatasetLoadingTests: XCTestCase {
    func testCountMismatch() throws {
        let dir = try FixtureDirectory()
        var config = try dir.writeDataset(n: 10)
        let labels = try dir.write("short-labels", FixtureDirectory.idx(dims: [9], data: FixtureDirectory.labels(n: 9, classes: 3)))
        config.trainLabels = labels
        assertDatasetError(try Dataset.load(config), mentions: ["holds 10 images", "\(labels) holds 9 labels", "same split"]) {
            if case .countMismatch(_, 10, labels, 9) = $0 { return true } else { return false }
        }
    }

    func testLabelOutOfRange() throws {
        let dir = try FixtureDirectory()
        var config = try dir.writeDataset(n: 10, t: 4, classes: 3)
        config.classCount = 3
        let bad = try dir.write("bad-labels.gz", FixtureDirectory.idx(dims: [4], data: [0, 1, 7, 2]), gzip: true)
        config.testLabels = bad
        assertDatasetError(try Dataset.load(config), mentions: [bad, "label 7 at index 2", "(3)"]) {
            $0 == .labelOutOfRange(path: bad, index: 2, label: 7, classCount: 3)
        }
        // Without class_count, m is inferred from the training labels (0…2), so the test label 7 still fails.
        config.classCount = nil
        assertDatasetError(try Dataset.load(config), mentions: [bad]) {
            $0 == .labelOutOfRange(path: bad, index: 2, label: 7, classCount: 3)
        }
    }

    func testNonSquareImagesAndSizeMismatch() throws {
        let dir = try FixtureDirectory()
        var config = try dir.writeDataset(n: 10, t: 4, r: 3)
        let wide = try dir.write("wide", FixtureDirectory.idx(dims: [4, 3, 5], data: [UInt8](repeating: 0, count: 60)))
        config.testImages = wide
        assertDatasetError(try Dataset.load(config), mentions: [wide, "[4, 3, 5]"]) {
            if case .unsupportedShape = $0 { return true } else { return false }
        }
        let big = try dir.write("big", FixtureDirectory.idx(dims: [4, 4, 4], data: [UInt8](repeating: 0, count: 64)))
        config.testImages = big
        assertDatasetError(try Dataset.load(config), mentions: ["3×3 images", "4×4 images"]) {
            if case .imageSizeMismatch(_, 3, big, 4) = $0 { return true } else { return false }
        }
    }

    func testChecksumMismatchOfAKnownDataset() throws {
        let dir = try FixtureDirectory()
        let root = dir.path + "/data"
        let sub = try FixtureDirectory()
        _ = try sub.writeDataset()  // tiny files under MNIST's names: not the published bytes
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: sub.path, toPath: root + "/mnist")
        let config = DatasetConfiguration(name: "mnist")
        let env = ["EXP_DATA_DIR": root]
        let path = root + "/mnist/train-images-idx3-ubyte.gz"
        let actual = try IDXFile.read(path: path).contentSHA256
        assertDatasetError(try Dataset.load(config, environment: env, currentDirectory: "/"),
                           mentions: [path, "expected ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                                      "got \(actual)", "re-download with `exp data fetch mnist`"]) {
            $0 == .checksumMismatch(path: path, dataset: "mnist",
                                    expected: KnownDataset.mnist.files[0].contentSHA256, actual: actual)
        }
        // info still reads it and reports verified = false.
        let info = try DatasetInfo.inspect(config, environment: env, currentDirectory: "/")
        XCTAssertEqual(info.provenance.verified, false)
        XCTAssertTrue(info.text.contains("verified: no"))
    }

    func testSearchOrderAndNotFound() throws {
        let dir = try FixtureDirectory()
        let places = DatasetLocator.searchDirectories(name: "fashion-mnist", path: "/x", environment: ["EXP_DATA_DIR": "/d"],
                                                      currentDirectory: "/cwd").map(\.directory)
        XCTAssertEqual(Array(places.prefix(4)), ["/x", "/d/fashion-mnist", "/cwd/data/fashion-mnist",
                                                 "/usr/share/datasets/fashion-mnist"])
        XCTAssertTrue(places[4].hasSuffix("/data/fashion-mnist"))  // the checkout's data/
        // A dataset found nowhere: every place is listed with what was missing.
        try FileManager.default.createDirectory(atPath: dir.path + "/half", withIntermediateDirectories: true)
        try dir.write("half/train-images-idx3-ubyte.gz", [1])
        let expected = DatasetError.datasetNotFound(name: "mnist", searched: [
            dir.path + "/half (missing train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])",
            "$EXP_DATA_DIR/mnist (EXP_DATA_DIR is not set)", "/nowhere/data/mnist (no such directory)"])
        assertDatasetError(try DatasetLocator.locate(DatasetConfiguration(name: "mnist", path: dir.path + "/half"),
                                                     environment: [:], currentDirectory: "/nowhere", fallbacks: false),
                           mentions: ["Searched, in order:\n  - \(dir.path)/half (missing", "exp data fetch mnist"]) {
            $0 == expected
        }
        // With the fallbacks, the checkout's own data/mnist is found from any directory.
        let found = try DatasetLocator.locate(DatasetConfiguration(name: "mnist"), environment: [:], currentDirectory: "/nowhere")
        XCTAssertEqual(found.directory, DatasetLocator.checkoutDataDirectory + "/mnist")
    }

    func testConfigurationErrors() throws {
        assertDatasetError(try DatasetLocator.locate(DatasetConfiguration(name: "cifar")), mentions: ["'cifar'", "mnist, fashion-mnist, idx"]) {
            if case .invalidConfiguration = $0 { return true } else { return false }
        }
        assertDatasetError(try DatasetLocator.locate(DatasetConfiguration(name: "idx", trainImages: "a")),
                           mentions: ["dataset.train_labels, dataset.test_images, dataset.test_labels"]) {
            if case .invalidConfiguration = $0 { return true } else { return false }
        }
        let dir = try FixtureDirectory()
        var config = try dir.writeDataset(n: 10)
        config.testImages = "missing.gz"
        assertDatasetError(try Dataset.load(config), mentions: [dir.path + "/missing.gz", "not found"]) {
            if case .fileNotFound = $0 { return true } else { return false }
        }
        config = try dir.writeDataset(n: 10)
        config.validation = 10
        assertDatasetError(try Dataset.load(config), mentions: ["dataset.validation is 10", "holds 10 samples"]) {
            if case .invalidConfiguration = $0 { return true } else { return false }
        }
        config.validation = 2
        config.trainLimit = 9
        assertDatasetError(try Dataset.load(config), mentions: ["dataset.train_limit is 9", "only 8 samples"]) {
            if case .invalidConfiguration = $0 { return true } else { return false }
        }
    }

    func testValidationHeldOutBeforeTrainLimitAndNormalisation() throws {
        let dir = try FixtureDirectory()
        var config = try dir.writeDataset(n: 10, t: 4, r: 3, classes: 3, gzip: false)
        config.validation = 3
        config.trainLimit = 5
        config.testLimit = 2
        config.normalize = .none
        let d = try Dataset.load(config)
        XCTAssertEqual(d.train.count, 5)
        XCTAssertEqual(d.validation.count, 3)
        XCTAssertEqual(d.test.count, 2)
        XCTAssertEqual(d.train.labels, [0, 1, 2, 0, 1])
        XCTAssertEqual(d.validation.labels, [1, 2, 0])  // samples 7, 8, 9
        XCTAssertEqual(Array(d.validation.images.prefix(3)), [112, 113, 114])  // sample 7: 7·16 + pixel
        XCTAssertEqual(d.classCount, 3)
        XCTAssertEqual(d.imageSide, 3)
        XCTAssertEqual(d.train.classCounts(classCount: 3), [2, 2, 1])
        XCTAssertNil(d.provenance.verified)

        config.normalize = .unit
        XCTAssertEqual(try Dataset.load(config).train.images[9], 16 / 255)

        // standardize on an unknown dataset: the training split's own mean/std, recorded.
        config.normalize = .standardize
        let s = try Dataset.load(config)
        var pixels: [Double] = []
        for i in 0..<45 { pixels.append(Double((i / 9) * 16 + i % 9) / 255) }
        let mean: Double = pixels.reduce(0, +) / 45
        var squares = 0.0
        for p in pixels { squares += (p - mean) * (p - mean) }
        let std: Double = (squares / 45).squareRoot()
        XCTAssertEqual(s.normalization.mean, mean, accuracy: 1e-12)
        XCTAssertEqual(s.normalization.std, std, accuracy: 1e-12)
        XCTAssertEqual(s.normalization.source, "training set")
        let total: Double = s.train.images.reduce(0.0) { $0 + Double($1) }
        XCTAssertEqual(total / 45, 0, accuracy: 1e-6)
        XCTAssertEqual(Double(s.validation.images[0]), (112.0 / 255 - mean) / std, accuracy: 1e-5)
    }
}
