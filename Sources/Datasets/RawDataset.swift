// The four IDX files of a dataset, read, checked against each other and (for known datasets)
// against their published checksums; pixels still bytes. `Dataset` builds the Float splits.

import Foundation

/// A dataset's files as read: images n×r×r and labels n for train and test, as bytes.
public struct RawDataset: Sendable {
    /// Where the files are.
    public let files: DatasetFiles
    /// Train images N×r×r, train labels N, test images M×r×r, test labels M.
    public let trainImages: IDXFile, trainLabels: IDXFile, testImages: IDXFile, testLabels: IDXFile
    /// The number of classes m; every label is < m.
    public let classCount: Int
    /// The image side r (images are r×r, one channel).
    public let imageSide: Int
    /// Paths and checksums of the four files.
    public let provenance: DatasetProvenance

    /// The number of training and test samples.
    public var trainCount: Int { trainLabels.data.count }
    public var testCount: Int { testLabels.data.count }

    /// Reads the four files of `files` and checks them.
    /// - Parameters:
    ///   - verify: check known datasets' SHA-256 (of the decompressed IDX bytes) before
    ///     anything else is checked; `exp data info` passes false and reports `provenance.verified`.
    ///   - classCount: m for `idx` (nil: 1 + the largest training label); known datasets use theirs.
    /// - Throws: `DatasetError`: any of `IDXFile.read`'s, `.checksumMismatch`, `.unsupportedShape`,
    ///   `.countMismatch`, `.imageSizeMismatch`, `.labelOutOfRange`.
    public static func load(_ files: DatasetFiles, verify: Bool = true, classCount: Int? = nil) throws -> RawDataset {
        let magics = [IDXFile.imagesMagic, IDXFile.labelsMagic, IDXFile.imagesMagic, IDXFile.labelsMagic]
        let idx = try zip(files.paths, magics).map { try IDXFile.read(path: $0.0, expectedMagic: $0.1) }
        let provenance = DatasetProvenance(name: files.name, files: (0..<4).map { i in
            DatasetProvenance.File(role: DatasetProvenance.roles[i], path: idx[i].path, sha256: idx[i].fileSHA256,
                                   contentSHA256: idx[i].contentSHA256,
                                   expectedContentSHA256: files.known?.files[i].contentSHA256)
        })
        if verify {
            for file in provenance.files where file.verified == false {
                throw DatasetError.checksumMismatch(path: file.path, dataset: files.name,
                                                    expected: file.expectedContentSHA256!, actual: file.contentSHA256)
            }
        }
        let trainSide = try side(of: idx[0]), testSide = try side(of: idx[2])
        try checkCounts(images: idx[0], labels: idx[1])
        try checkCounts(images: idx[2], labels: idx[3])
        if trainSide != testSide {
            throw DatasetError.imageSizeMismatch(trainPath: idx[0].path, trainSide: trainSide,
                                                 testPath: idx[2].path, testSide: testSide)
        }
        let m = files.known?.classCount ?? classCount ?? (Int(idx[1].data.max() ?? 0) + 1)
        try checkLabels(idx[1], classCount: m)
        try checkLabels(idx[3], classCount: m)
        return RawDataset(files: files, trainImages: idx[0], trainLabels: idx[1], testImages: idx[2],
                          testLabels: idx[3], classCount: m, imageSide: trainSide, provenance: provenance)
    }

    /// Locates and loads the dataset of `configuration` (see `DatasetLocator.locate`).
    public static func load(_ configuration: DatasetConfiguration, verify: Bool = true,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> RawDataset {
        let files = try DatasetLocator.locate(configuration, environment: environment, currentDirectory: currentDirectory)
        return try load(files, verify: verify, classCount: configuration.classCount)
    }

    /// Samples per class 0..<m of the training (or test) labels.
    public func classCounts(test: Bool = false) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in (test ? testLabels : trainLabels).data { counts[Int(label)] += 1 }
        return counts
    }

    private static func side(of images: IDXFile) throws -> Int {
        let d = images.dimensions
        guard d.count == 3, d[1] == d[2], d[1] > 0 else {
            throw DatasetError.unsupportedShape(path: images.path, dimensions: d, expected: "n×r×r square images")
        }
        return d[1]
    }

    private static func checkCounts(images: IDXFile, labels: IDXFile) throws {
        if images.dimensions[0] != labels.dimensions[0] {
            throw DatasetError.countMismatch(imagesPath: images.path, imageCount: images.dimensions[0],
                                             labelsPath: labels.path, labelCount: labels.dimensions[0])
        }
    }

    private static func checkLabels(_ labels: IDXFile, classCount: Int) throws {
        if let i = labels.data.firstIndex(where: { Int($0) >= classCount }) {
            throw DatasetError.labelOutOfRange(path: labels.path, index: i, label: Int(labels.data[i]),
                                               classCount: classCount)
        }
    }
}
