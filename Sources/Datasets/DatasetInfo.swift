// `exp data info|verify [NAME]`: what a dataset holds and whether it matches its published
// checksums. Library entry points; the CLI only prints `text`.

import Foundation

/// A summary of a dataset's files: shapes, class counts, pixel statistics, checksums, location.
public struct DatasetInfo: Sendable {
    /// The dataset name.
    public let name: String
    /// The directory the files were found in (nil for `idx` files given one by one).
    public let directory: String?
    /// Train and test images (N×r×r, M×r×r) as in the IDX headers.
    public let trainShape: [Int], testShape: [Int]
    /// The number of classes m.
    public let classCount: Int
    /// Samples per class 0..<m.
    public let trainClassCounts: [Int], testClassCounts: [Int]
    /// Mean and std of the training pixels in [0, 1] units (all of the training file).
    public let trainPixels: PixelStatistics
    /// Paths and checksums; `provenance.verified` is true when all match the published ones.
    public let provenance: DatasetProvenance

    /// Reads the dataset of `configuration` without stopping at a checksum mismatch (reported
    /// in `provenance.verified`).
    /// - Throws: `DatasetError` when the files are missing or malformed.
    public static func inspect(_ configuration: DatasetConfiguration,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> DatasetInfo {
        let raw = try RawDataset.load(configuration, verify: false, environment: environment,
                                      currentDirectory: currentDirectory)
        return DatasetInfo(name: raw.files.name, directory: raw.files.directory,
                           trainShape: raw.trainImages.dimensions, testShape: raw.testImages.dimensions,
                           classCount: raw.classCount, trainClassCounts: raw.classCounts(),
                           testClassCounts: raw.classCounts(test: true),
                           trainPixels: PixelStatistics(pixels: raw.trainImages.data), provenance: raw.provenance)
    }

    /// Reads the dataset and checks it completely, checksums included.
    /// - Returns: the provenance (verified, or nil for `idx`, which has no published checksums).
    /// - Throws: `DatasetError`, e.g. `.checksumMismatch` naming the file.
    public static func verify(_ configuration: DatasetConfiguration,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> DatasetProvenance {
        try RawDataset.load(configuration, verify: true, environment: environment,
                            currentDirectory: currentDirectory).provenance
    }

    /// The report printed by `exp data info`.
    public var text: String {
        func shape(_ d: [Int]) -> String {
            "\(d.first.map(grouped) ?? "0") images of \(d.dropFirst().map(String.init).joined(separator: "×"))"
        }
        var lines = [
            "dataset: \(name)",
            "directory: \(directory ?? "(files given one by one)")",
            "train: \(shape(trainShape)), test: \(shape(testShape)), \(classCount) classes",
            "train class counts: \(trainClassCounts.map(String.init).joined(separator: " "))",
            "test class counts:  \(testClassCounts.map(String.init).joined(separator: " "))",
            String(format: "train pixel mean/std (in [0, 1]): %.4f / %.4f", trainPixels.mean, trainPixels.std),
            "checksums (SHA-256 of the decompressed IDX; of the file as stored):",
        ]
        for f in provenance.files {
            let status = f.verified.map { $0 ? "verified" : "MISMATCH, expected \(f.expectedContentSHA256!)" }
                ?? "no published checksum"
            lines.append("  \(f.role): \(f.path)")
            lines.append("    content \(f.contentSHA256) (\(status))")
            lines.append("    file    \(f.sha256)")
        }
        let verdict = provenance.verified.map { $0 ? "yes" : "no (re-download with `exp data fetch \(name)`)" }
            ?? "no published checksums (structure checked)"
        lines.append("verified: \(verdict)")
        return lines.joined(separator: "\n")
    }

    private func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
