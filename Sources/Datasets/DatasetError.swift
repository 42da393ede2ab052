// Errors of the Datasets module: file and configuration problems, each naming the file, saying
// what is wrong and how to fix it (CONVENTIONS.md #9, second tier). Never a crash on bad input.

import Foundation

/// A problem with a dataset file, its location or its configuration.
///
/// Every case carries the path (or the places searched) and renders, through `description`,
/// a message of the form "<file>: <what is wrong>. <how to fix it>".
public enum DatasetError: Error, Equatable, Sendable {
    /// A file that the configuration names does not exist.
    case fileNotFound(path: String)
    /// A dataset by name was not found in any of the places searched (in search order).
    case datasetNotFound(name: String, searched: [String])
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// The first four bytes are not the IDX magic expected (e.g. 0x00000803 for images).
    case wrongMagic(path: String, expected: UInt32, actual: UInt32)
    /// The file ends inside its IDX header, or its gzip stream is cut off.
    case truncated(path: String, detail: String)
    /// The header is complete but describes more bytes than the file holds.
    case headerClaimsMore(path: String, dimensions: [Int], claimedBytes: Int, actualBytes: Int)
    /// The file holds bytes after the data its header describes.
    case trailingData(path: String, dimensions: [Int], claimedBytes: Int, actualBytes: Int)
    /// The gzip stream is corrupt (zlib's message).
    case corruptGzip(path: String, reason: String)
    /// The dimensions are not those of the expected kind (images n×r×r, labels n).
    case unsupportedShape(path: String, dimensions: [Int], expected: String)
    /// The image and label files of one split hold different numbers of samples.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
    /// The train and test images have different sizes.
    case imageSizeMismatch(trainPath: String, trainSide: Int, testPath: String, testSide: Int)
    /// A label is not below the number of classes.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// A known dataset's file has another SHA-256 than the published one.
    case checksumMismatch(path: String, dataset: String, expected: String, actual: String)
    /// The dataset configuration is invalid (unknown name, missing keys, bad limits).
    case invalidConfiguration(String)
    /// A download failed (offline, server down, HTTP error).
    case downloadFailed(url: String, reason: String, dataset: String)
}

extension DatasetError: CustomStringConvertible, LocalizedError {
    /// The full message: file, what is wrong, how to fix it.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): file not found. Check the dataset path and file names in the configuration."
        case .datasetNotFound(let name, let searched):
            let places = searched.map { "  - \($0)" }.joined(separator: "\n")
            return "dataset '\(name)' not found. Searched, in order:\n\(places)\n"
                + fixForMissing(name)
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file (\(reason)). Check that it is a readable regular file."
        case .wrongMagic(let path, let expected, let actual):
            return "\(path): not an IDX \(kind(expected)) file: magic number is \(hex(actual)) (\(actual)), "
                + "expected \(hex(expected)) (\(expected)). Check that the images and labels files "
                + "are not swapped and that the file is an IDX file (raw or .gz) of unsigned bytes."
        case .truncated(let path, let detail):
            return "\(path): the file is truncated (\(detail)). Download it again."
        case .headerClaimsMore(let path, let dims, let claimed, let actual):
            let amount = claimed == Int.max ? "more than \(Int.max)" : "\(claimed)"
            return "\(path): the header describes \(dims.map(String.init).joined(separator: "×")) = "
                + "\(amount) data bytes but the file holds only \(actual). The file is truncated or its "
                + "header is wrong; download it again."
        case .trailingData(let path, let dims, let claimed, let actual):
            return "\(path): the header describes \(dims.map(String.init).joined(separator: "×")) = "
                + "\(claimed) data bytes but the file holds \(actual). The file is damaged or its header "
                + "is wrong; download it again."
        case .corruptGzip(let path, let reason):
            return "\(path): the gzip data is corrupt (\(reason)). Download the file again."
        case .unsupportedShape(let path, let dims, let expected):
            return "\(path): dimensions \(dims) are not \(expected). Check that the file holds what "
                + "the configuration says (images n×r×r with square images, labels n)."
        case .countMismatch(let imagesPath, let n, let labelsPath, let m):
            return "\(imagesPath) holds \(n) images but \(labelsPath) holds \(m) labels. "
                + "Use the images and labels files of the same split."
        case .imageSizeMismatch(let trainPath, let a, let testPath, let b):
            return "\(trainPath) holds \(a)×\(a) images but \(testPath) holds \(b)×\(b) images. "
                + "Use train and test files of the same dataset."
        case .labelOutOfRange(let path, let index, let label, let classCount):
            return "\(path): label \(label) at index \(index) is not below the number of classes "
                + "(\(classCount)). Check that this is a labels file of this dataset."
        case .checksumMismatch(let path, let dataset, let expected, let actual):
            return "\(path): SHA-256 mismatch for \(dataset): expected \(expected), got \(actual). "
                + "The file is damaged or not the published one; re-download with `exp data fetch \(dataset)`."
        case .invalidConfiguration(let message):
            return "invalid dataset configuration: \(message)"
        case .downloadFailed(let url, let reason, let dataset):
            return "\(url): download failed (\(reason)). Check the network connection (or set "
                + "EXP_DATA_MIRROR to a reachable mirror), or copy the files of '\(dataset)' into "
                + "data/\(dataset)/ by hand."
        }
    }

    /// The same as `description`.
    public var errorDescription: String? { description }

    private func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    private func kind(_ magic: UInt32) -> String {
        switch magic {
        case IDXFile.imagesMagic: return "images"
        case IDXFile.labelsMagic: return "labels"
        default: return "unsigned-byte"
        }
    }

    private func fixForMissing(_ name: String) -> String {
        switch name {
        case "fashion-mnist":
            return "Install the Debian package dataset-fashion-mnist, run `exp data fetch fashion-mnist`, "
                + "set dataset.path, or set EXP_DATA_DIR."
        case "mnist":
            return "Run from the repository root (data/mnist is committed), run `exp data fetch mnist`, "
                + "set dataset.path, or set EXP_DATA_DIR."
        default:
            return "Set dataset.path or EXP_DATA_DIR to the directory holding the files."
        }
    }
}
