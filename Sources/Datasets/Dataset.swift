// A loaded dataset: train / validation / test splits as pixel bytes n×1×r×r with the 256-entry
// normalisation table (a pixel's Float is table[byte]) and UInt8 labels, with the constants
// used and the files' provenance.

import Foundation

/// One split: `count` images of 1×r×r pixel bytes (row-major, sample after sample), the table
/// that normalises them, and their labels. Batches map the bytes through the table as they are
/// gathered (`Batcher.fill`), so the split holds a quarter of the Float pixels' memory.
public struct DatasetSplit: Sendable {
    /// Pixel bytes 0…255 as read from the file, count×1×r×r in row-major order.
    public let pixels: [UInt8]
    /// The normalisation: pixel byte p stands for the Float table[p]; 256 entries.
    public let table: [Float]
    /// Labels 0..<m, one per image.
    public let labels: [UInt8]
    /// The image side r.
    public let imageSide: Int

    /// A split of `labels.count` images. Pixels of at least `hugePageThreshold` bytes are
    /// copied into memory that may be backed by 2 MiB pages (`hugePageCopy`).
    /// - Precondition: `table` holds 256 Floats; `pixels` holds labels.count·r² bytes.
    public init(pixels: [UInt8], table: [Float], labels: [UInt8], imageSide: Int) {
        precondition(table.count == 256, "the normalisation table holds \(table.count) Floats, not 256")
        precondition(pixels.count == labels.count * imageSide * imageSide,
                     "\(pixels.count) pixel bytes for \(labels.count) images of \(imageSide)×\(imageSide)")
        self.pixels = pixels.count >= Self.hugePageThreshold ? Self.hugePageCopy(pixels) : pixels
        self.table = table
        self.labels = labels
        self.imageSide = imageSide
    }

    /// Splits of at least this many pixel bytes (4 MiB) are kept in huge-page-advised memory.
    public static let hugePageThreshold = 1 << 22

    /// A copy of `bytes` whose 2 MiB-aligned interior is advised `MADV_HUGEPAGE` before the copy
    /// first touches it, so that the kernel may back it with 2 MiB pages (transparent huge pages
    /// in "madvise" mode, this machine kind's setting; in "never" mode the hint does nothing).
    /// The minibatch gather reads 64 scattered rows of the 47 MB training set per step: with
    /// 4 KiB pages nearly every row missed the TLB, and the lookups of an epoch took 7–8 ms
    /// instead of 4.6–5 ms (2 threads, n = 64; docs/PERFORMANCE.md). The bytes are the same.
    static func hugePageCopy(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            let huge = 1 << 21
            let base = Int(bitPattern: buffer.baseAddress)
            let start = (base + huge - 1) & ~(huge - 1), end = (base + bytes.count) & ~(huge - 1)
            if end > start {   // advice only: a kernel without it (EINVAL) leaves ordinary pages
                _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, Int32(MADV_HUGEPAGE))
            }
            bytes.withUnsafeBufferPointer { source in
                buffer.baseAddress!.update(from: source.baseAddress!, count: bytes.count)
            }
            initialized = bytes.count
        }
    }

    /// The number of samples n.
    public var count: Int { labels.count }
    /// Floats per sample: 1·r·r.
    public var sampleSize: Int { imageSide * imageSide }

    /// Every image normalised, count×1×r×r Floats in row-major order (a new array of
    /// count·r² Floats: for tests and small splits; batches come from `Batcher`).
    public var images: [Float] { images(0..<count) }

    /// Samples `range` normalised, range.count×1×r×r Floats in row-major order.
    /// - Precondition: `range` lies within 0..<count.
    public func images(_ range: Range<Int>) -> [Float] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "samples \(range) outside 0..<\(count)")
        let s = sampleSize
        return [Float](unsafeUninitializedCapacity: range.count * s) { out, initialized in
            pixels.withUnsafeBufferPointer { src in
                table.withUnsafeBufferPointer { t in
                    var o = 0
                    for i in (range.lowerBound * s)..<(range.upperBound * s) { out[o] = t[Int(src[i])]; o += 1 }
                }
            }
            initialized = range.count * s
        }
    }

    /// Samples per class 0..<classCount.
    public func classCounts(classCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for l in labels { counts[Int(l)] += 1 }
        return counts
    }
}

/// The normalisation applied to pixels p ∈ 0…255: x = (p/scale − mean)/std.
public struct NormalizationConstants: Sendable, Equatable, Codable {
    /// The configured kind.
    public let kind: Normalization
    /// 255 for standardize and unit, 1 for none.
    public let scale: Double
    /// Subtracted after scaling (standardize: the training mean in [0, 1] units; else 0).
    public let mean: Double
    /// Divided by after subtracting (standardize: the training std in [0, 1] units; else 1).
    public let std: Double
    /// Where mean/std come from: "published" (MNIST 0.1307/0.3081), "training set" or "none".
    public let source: String
}

/// A dataset ready for training: splits, class count, normalisation constants and provenance.
public struct Dataset: Sendable {
    /// "mnist", "fashion-mnist" or "idx".
    public let name: String
    /// The training split (after the validation hold-out and `trainLimit`).
    public let train: DatasetSplit
    /// The last `validation` samples of the training file (empty when 0).
    public let validation: DatasetSplit
    /// The test split (first `testLimit` samples).
    public let test: DatasetSplit
    /// The number of classes m.
    public let classCount: Int
    /// Channels d (always 1: gray images).
    public let channels = 1
    /// The image side r.
    public let imageSide: Int
    /// The constants applied to every split.
    public let normalization: NormalizationConstants
    /// The files read and their checksums.
    public let provenance: DatasetProvenance

    /// Locates, reads, verifies (known datasets) and normalises the dataset of `configuration`.
    /// - Throws: `DatasetError` (see `DatasetLocator.locate`, `RawDataset.load` and
    ///   `.invalidConfiguration` for limits that leave no training samples).
    public static func load(_ configuration: DatasetConfiguration,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> Dataset {
        let raw = try RawDataset.load(configuration, verify: true, environment: environment,
                                      currentDirectory: currentDirectory)
        return try Dataset(raw: raw, configuration: configuration)
    }

    /// Splits and normalises `raw`: validation = the last `configuration.validation` training
    /// samples, then train = the first `trainLimit` of the rest, test = the first `testLimit`.
    public init(raw: RawDataset, configuration: DatasetConfiguration) throws {
        let n = raw.trainCount, v = configuration.validation
        guard v < n else {
            throw DatasetError.invalidConfiguration(
                "dataset.validation is \(v) but \(raw.trainLabels.path) holds \(n) samples; keep some for training")
        }
        let trainCount = try Dataset.limited(configuration.trainLimit, available: n - v, key: "train_limit",
                                             path: raw.trainLabels.path)
        let testCount = try Dataset.limited(configuration.testLimit, available: raw.testCount, key: "test_limit",
                                            path: raw.testLabels.path)
        if trainCount == 0 {
            throw DatasetError.invalidConfiguration("dataset.train_limit is 0; it must be ≥ 1")
        }
        let s = raw.imageSide * raw.imageSide
        let trainPixels = raw.trainImages.data[0..<(trainCount * s)]
        let constants: NormalizationConstants
        switch configuration.normalize {
        case .none: constants = NormalizationConstants(kind: .none, scale: 1, mean: 0, std: 1, source: "none")
        case .unit: constants = NormalizationConstants(kind: .unit, scale: 255, mean: 0, std: 1, source: "none")
        case .standardize:
            if let published = raw.files.known?.standardization {
                constants = NormalizationConstants(kind: .standardize, scale: 255, mean: published.mean,
                                                   std: published.std, source: "published")
            } else {
                let stats = PixelStatistics(pixels: trainPixels)
                constants = NormalizationConstants(kind: .standardize, scale: 255, mean: stats.mean,
                                                   std: stats.std > 0 ? stats.std : 1, source: "training set")
            }
        }
        let table = (0..<256).map { Float((Double($0) / constants.scale - constants.mean) / constants.std) }
        func split(_ images: IDXFile, _ labels: IDXFile, _ range: Range<Int>) -> DatasetSplit {
            DatasetSplit(pixels: Array(images.data[(range.lowerBound * s)..<(range.upperBound * s)]), table: table,
                         labels: Array(labels.data[range]), imageSide: raw.imageSide)
        }
        name = raw.files.name
        train = split(raw.trainImages, raw.trainLabels, 0..<trainCount)
        validation = split(raw.trainImages, raw.trainLabels, (n - v)..<n)
        test = split(raw.testImages, raw.testLabels, 0..<testCount)
        classCount = raw.classCount
        imageSide = raw.imageSide
        normalization = constants
        provenance = raw.provenance
    }

    private static func limited(_ limit: Int?, available: Int, key: String, path: String) throws -> Int {
        guard let limit else { return available }
        guard limit <= available else {
            throw DatasetError.invalidConfiguration(
                "dataset.\(key) is \(limit) but only \(available) samples are available from \(path)")
        }
        return limit
    }
}
