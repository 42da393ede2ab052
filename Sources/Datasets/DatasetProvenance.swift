// What a run's results record about its data (SPEC.md metrics.h5 `datasets`: name, files,
// SHA-256): which files were read and whether they match the published checksums.

/// The files a dataset was loaded from, with their checksums.
public struct DatasetProvenance: Codable, Sendable, Equatable {
    /// One file read.
    public struct File: Codable, Sendable, Equatable {
        /// "train_images", "train_labels", "test_images" or "test_labels".
        public let role: String
        /// The path read (absolute).
        public let path: String
        /// SHA-256 of the file as stored (the .gz when compressed), 64 hex digits.
        public let sha256: String
        /// SHA-256 of the decompressed IDX bytes, 64 hex digits.
        public let contentSHA256: String
        /// The published SHA-256 of the decompressed bytes (known datasets), else nil.
        public let expectedContentSHA256: String?

        /// True when the published checksum is known and matches; nil when none is published.
        public var verified: Bool? { expectedContentSHA256.map { $0 == contentSHA256 } }

        enum CodingKeys: String, CodingKey {
            case role, path, sha256
            case contentSHA256 = "content_sha256"
            case expectedContentSHA256 = "expected_content_sha256"
        }
    }

    /// The dataset name ("mnist", "fashion-mnist", "idx").
    public let name: String
    /// The four files, in the order train images, train labels, test images, test labels.
    public let files: [File]

    /// True when every file matches its published checksum; nil for datasets without any
    /// (`idx`), false when any file differs.
    public var verified: Bool? {
        let checks = files.compactMap(\.verified)
        return checks.isEmpty ? nil : checks.allSatisfy { $0 }
    }

    /// The roles in file order.
    public static let roles = ["train_images", "train_labels", "test_images", "test_labels"]
}
