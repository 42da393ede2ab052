// Where a dataset's files are: SPEC.md's search order for datasets by name, explicit paths
// for `idx`.

import Foundation

/// The four IDX files of a dataset, resolved to paths that exist.
public struct DatasetFiles: Sendable, Equatable {
    /// The dataset name ("mnist", "fashion-mnist", "idx").
    public let name: String
    /// The directory they were found in (nil for `idx` files given one by one).
    public let directory: String?
    /// Paths of the train images, train labels, test images and test labels.
    public let trainImages: String, trainLabels: String, testImages: String, testLabels: String
    /// The known dataset (checksums, class count), nil for `idx`.
    public let known: KnownDataset?

    /// The four paths in the order train images, train labels, test images, test labels.
    public var paths: [String] { [trainImages, trainLabels, testImages, testLabels] }
}

/// Finds dataset files.
public enum DatasetLocator {
    /// The repository's own data/ directory (this source file is Sources/Datasets/…), so that
    /// `./data/<name>` is also found when a binary built from a checkout runs elsewhere.
    static let checkoutDataDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data").path

    /// The directories searched for a dataset by name, in order: `dataset.path`,
    /// `$EXP_DATA_DIR/<name>`, `./data/<name>`, the dataset's system directories
    /// (fashion-mnist: /usr/share/datasets/fashion-mnist), then `data/<name>` of the checkout
    /// this module was built from. Each with a note when it was skipped. `fallbacks: false`
    /// keeps only SPEC.md's first three places (for tests).
    public static func searchDirectories(name: String, path: String?, environment: [String: String],
                                         currentDirectory: String,
                                         fallbacks: Bool = true) -> [(directory: String, note: String?)] {
        var result: [(String, String?)] = []
        if let path { result.append((absolute(path, currentDirectory), nil)) }
        if let root = environment["EXP_DATA_DIR"], !root.isEmpty {
            result.append((absolute(root, currentDirectory) + "/" + name, nil))
        } else {
            result.append(("$EXP_DATA_DIR/\(name)", "EXP_DATA_DIR is not set"))
        }
        result.append((absolute("data/" + name, currentDirectory), nil))
        guard fallbacks else { return result }
        for dir in KnownDataset.named(name)?.systemDirectories ?? [] { result.append((dir, nil)) }
        let checkout = checkoutDataDirectory + "/" + name
        if !result.contains(where: { $0.0 == checkout }) { result.append((checkout, nil)) }
        return result
    }

    /// Resolves the files of `configuration`.
    /// - Throws: `DatasetError.invalidConfiguration` (unknown name, missing `idx` keys),
    ///   `.datasetNotFound` listing every place searched and what was missing there,
    ///   `.fileNotFound` for an `idx` path that does not exist.
    public static func locate(_ configuration: DatasetConfiguration,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              fallbacks: Bool = true) throws -> DatasetFiles {
        try configuration.validate()
        guard let known = KnownDataset.named(configuration.name) else {
            return try locateIDX(configuration, currentDirectory: currentDirectory)
        }
        var searched: [String] = []
        for (dir, note) in searchDirectories(name: known.name, path: configuration.path,
                                             environment: environment, currentDirectory: currentDirectory,
                                             fallbacks: fallbacks) {
            if let note { searched.append("\(dir) (\(note))"); continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                searched.append("\(dir) (no such directory)")
                continue
            }
            let found = known.files.map { file(named: $0.name, in: dir) }
            if found.allSatisfy({ $0 != nil }) {
                let p = found.map { $0! }
                return DatasetFiles(name: known.name, directory: dir, trainImages: p[0], trainLabels: p[1],
                                    testImages: p[2], testLabels: p[3], known: known)
            }
            let missing = zip(known.files, found).filter { $0.1 == nil }.map { $0.0.name + "[.gz]" }
            searched.append("\(dir) (missing \(missing.joined(separator: ", ")))")
        }
        throw DatasetError.datasetNotFound(name: known.name, searched: searched)
    }

    /// `dir/name.gz` or `dir/name`, whichever exists first.
    static func file(named name: String, in dir: String) -> String? {
        for candidate in [dir + "/" + name + ".gz", dir + "/" + name]
        where FileManager.default.isReadableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    private static func locateIDX(_ c: DatasetConfiguration, currentDirectory: String) throws -> DatasetFiles {
        let base = c.path.map { absolute($0, currentDirectory) } ?? currentDirectory
        let paths = [c.trainImages, c.trainLabels, c.testImages, c.testLabels].map { absolute($0!, base) }
        for p in paths where !FileManager.default.fileExists(atPath: p) {
            throw DatasetError.fileNotFound(path: p)
        }
        return DatasetFiles(name: "idx", directory: c.path.map { absolute($0, currentDirectory) },
                            trainImages: paths[0], trainLabels: paths[1], testImages: paths[2],
                            testLabels: paths[3], known: nil)
    }

    /// `path` if absolute, else `base/path`, standardised.
    static func absolute(_ path: String, _ base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
            : URL(fileURLWithPath: base).appendingPathComponent(expanded)
        return url.standardizedFileURL.path
    }
}
