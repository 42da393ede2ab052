// `exp data info|verify [NAME]`, `exp data fetch NAME [--to DIR]` (SPEC.md "Command line").
// Argument parsing and printing only; the work is in Datasets (DatasetInfo, DatasetFetcher).

import ArgumentParser
import Datasets
import Foundation

/// `exp data …`.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Inspect, verify and fetch datasets.",
        subcommands: [Info.self, Verify.self, Fetch.self])

    /// `exp data info [NAME] [--path DIR]`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Shapes, class counts, pixel mean/std, checksums and location of a dataset.")
        @Argument(help: "mnist or fashion-mnist.") var name: String = "mnist"
        @Option(help: "A directory searched first (as dataset.path).") var path: String?

        func run() throws {
            let info = try reportingErrors {
                try DatasetInfo.inspect(DatasetConfiguration(name: name, path: path))
            }
            try printOutput(info.text + "\n")
        }
    }

    /// `exp data verify [NAME] [--path DIR]`: exit 0 when the files match the published checksums.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a dataset's files against the published SHA-256 checksums (exit 1 on a mismatch).")
        @Argument(help: "mnist or fashion-mnist.") var name: String = "mnist"
        @Option(help: "A directory searched first (as dataset.path).") var path: String?

        func run() throws {
            let provenance = try reportingErrors(failureCode: 1) {
                try DatasetInfo.verify(DatasetConfiguration(name: name, path: path))
            }
            try printOutput(provenance.files.map { "\($0.contentSHA256)  \($0.path)\n" }.joined()
                            + "\(name): " + (provenance.verified == true ? "verified" : "structure checked (no published checksums)") + "\n")
        }
    }

    /// `exp data fetch NAME [--to DIR]`.
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a dataset from its public mirrors (or $EXP_DATA_MIRROR), verify and store it.")
        @Argument(help: "mnist or fashion-mnist.") var name: String
        @Option(help: "The directory to write to (default ./data/NAME).") var to: String?

        func run() throws {
            let results = try reportingErrors(failureCode: 1) {
                try DatasetFetcher.fetch(name: name, to: to)
            }
            try printOutput(results.map { r in "\(r.sha256)  \(r.path)  (\(r.url.map { "from \($0)" } ?? "already present"))\n" }.joined()
                            + "\(name): verified\n")
        }
    }
}

/// Runs `body`; a `DatasetError` is printed to stderr and becomes exit code 64 (bad input:
/// missing files, bad configuration) or `failureCode` (damaged files, checksum mismatch,
/// download failure).
private func reportingErrors<T>(failureCode: Int32 = 64, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DatasetError {
        printError(error.description)
        switch error {
        case .datasetNotFound, .fileNotFound, .invalidConfiguration: throw ExitCode(64)
        default: throw ExitCode(failureCode)
        }
    }
}
