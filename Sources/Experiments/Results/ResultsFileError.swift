// Errors reading a run's HDF5 results (SPEC.md "Results layout", "HDF5 files"; docs/FORMAT.md):
// which file, what is wrong with it, and what the user can do about it.

import Foundation

/// The three HDF5 files of a run directory, with their `format` attribute.
public enum ResultsFileKind: String, Sendable, CaseIterable {
    /// metrics.h5, `format` = "exp-metrics".
    case metrics
    /// weights.h5, `format` = "exp-weights".
    case weights
    /// checkpoint.h5, `format` = "exp-checkpoint".
    case checkpoint

    /// The file name inside a run directory: "metrics.h5", "weights.h5", "checkpoint.h5".
    public var fileName: String { rawValue + ".h5" }
    /// The root attribute `format` this kind of file carries.
    public var format: String { "exp-" + rawValue }
    /// The `format_version` this code writes and the only one it reads.
    public var formatVersion: Int64 { 1 }

    /// What the user can do when the file is damaged or does not belong to the run.
    public var remedy: String {
        switch self {
        case .metrics, .weights:
            return "rerun with --force or let exp run rerun this run"
        case .checkpoint:
            return "delete checkpoint.h5 to restart the run from epoch 0, or rerun with --force"
        }
    }
}

/// A results file that cannot be read as what it should be.
///
/// Printed as `PATH: problem; remedy`, e.g. `results/s/r/metrics.h5 is truncated or not an
/// HDF5 file; rerun with --force or let exp run rerun this run`.
public struct ResultsFileError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        /// No file at the path.
        case missing
        /// The file exists but HDF5 cannot open it; `hasSignature` says whether it starts with
        /// the HDF5 signature (then it is damaged or truncated rather than something else).
        case notHDF5(hasSignature: Bool)
        /// The root attribute `format` is absent or another string.
        case wrongFormat(found: String?)
        /// `format_version` is absent or not one this code reads.
        case unsupportedVersion(found: Int64?)
        /// A required dataset, group or attribute is absent (`object` = its path, `/a/b` or `/a@attr`).
        case missingObject(String)
        /// A dataset whose shape is not the expected one.
        case wrongShape(object: String, expected: [Int], found: [Int])
        /// A dataset or attribute of another element type (e.g. float64 where float32 is expected).
        case wrongType(object: String, expected: String, found: String)
        /// `run_id` (or `config_json`) differs from the run's.
        case runMismatch(expected: String, found: String)
        /// Anything else inconsistent: `message` says what.
        case inconsistent(String)
    }

    /// The file's path as given.
    public var path: String
    /// Which kind of file it should be.
    public var kind: ResultsFileKind
    /// What is wrong.
    public var problem: Problem

    /// An error about the file at `path`.
    public init(path: String, kind: ResultsFileKind, problem: Problem) {
        self.path = path
        self.kind = kind
        self.problem = problem
    }

    /// `PATH: problem; remedy`.
    public var description: String {
        let what: String
        switch problem {
        case .missing:
            what = "\(path) does not exist"
        case .notHDF5(let hasSignature):
            what = hasSignature ? "\(path) is damaged or truncated (HDF5 cannot open it)"
                                : "\(path) is truncated or not an HDF5 file"
        case .wrongFormat(let found):
            what = "\(path) is not a \(kind.fileName) file: attribute format is "
                + (found.map { "\"\($0)\"" } ?? "missing") + ", expected \"\(kind.format)\""
        case .unsupportedVersion(let found):
            what = "\(path): format_version " + (found.map(String.init) ?? "missing")
                + " is not supported (this exp reads version \(kind.formatVersion))"
        case .missingObject(let object):
            what = "\(path): \(object) is missing"
        case let .wrongShape(object, expected, found):
            what = "\(path): \(object) has shape \(found), expected \(expected)"
        case let .wrongType(object, expected, found):
            what = "\(path): \(object) is \(found), expected \(expected)"
        case let .runMismatch(expected, found):
            what = "\(path) belongs to another run (\(found), expected \(expected))"
        case .inconsistent(let message):
            what = "\(path): \(message)"
        }
        return what + "; " + kind.remedy
    }

    /// The same text, for `localizedDescription`.
    public var errorDescription: String? { description }
}
