// `exp data fetch NAME [--to DIR]`: downloads a known dataset's four .gz files from its public
// mirrors (or $EXP_DATA_MIRROR), verifies each against the published SHA-256 and writes it
// atomically (temporary file in the target directory, then rename).

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads known datasets.
public enum DatasetFetcher {
    /// What happened to one file.
    public struct FileResult: Sendable, Equatable {
        /// The file written (or found), absolute.
        public let path: String
        /// The URL it came from; nil when a verified copy was already there.
        public let url: String?
        /// SHA-256 of the .gz written, 64 hex digits.
        public let sha256: String
    }

    /// Downloads the files of the known dataset `name` into `directory` (default
    /// `./data/<name>`), skipping files already present and verified.
    ///
    /// Mirrors: `$EXP_DATA_MIRROR` (a base URL; `<file>.gz` is appended) when set, else the
    /// dataset's public mirrors in order (`KnownDataset.mirrors`).
    /// - Throws: `DatasetError.invalidConfiguration` for an unknown name, `.downloadFailed`
    ///   when no mirror answers (offline, server down, HTTP error), `.checksumMismatch` when
    ///   the bytes received are not the published file, `.unreadable` when writing fails.
    public static func fetch(name: String, to directory: String? = nil,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             currentDirectory: String = FileManager.default.currentDirectoryPath,
                             timeout: TimeInterval = 60) throws -> [FileResult] {
        guard let known = KnownDataset.named(name) else {
            throw DatasetError.invalidConfiguration(
                "cannot fetch '\(name)'; known datasets: \(KnownDataset.all.map(\.name).joined(separator: ", "))")
        }
        let target = DatasetLocator.absolute(directory ?? "data/\(name)", currentDirectory)
        let mirrors = environment["EXP_DATA_MIRROR"].flatMap { $0.isEmpty ? nil : [$0] } ?? known.mirrors
        // Directories this call creates (the target and its missing parents), removed again when
        // the fetch fails, so that a failed fetch leaves nothing behind.
        var created: [String] = []
        var probe = target
        while !probe.isEmpty, probe != "/", !FileManager.default.fileExists(atPath: probe) {
            created.append(probe)
            probe = (probe as NSString).deletingLastPathComponent
        }
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.unreadable(path: target, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        // Foundation's URLSession creates $XDG_DATA_HOME/<executable's directory name> (by
        // default under ~/.local/share) even for an ephemeral session: point it at a scratch
        // folder inside the target, removed afterwards, so nothing is written elsewhere.
        let scratch = target + "/.exp-fetch-\(ProcessInfo.processInfo.processIdentifier)"
        setenv("XDG_DATA_HOME", scratch, 1)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            return try fetchFiles(known, name: name, target: target, mirrors: mirrors, timeout: timeout)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            for directory in created where (try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: directory)
            }
            throw error
        }
    }

    /// Downloads and verifies every file of `known` into `target` (skipping verified ones).
    static func fetchFiles(_ known: KnownDataset, name: String, target: String, mirrors: [String],
                           timeout: TimeInterval) throws -> [FileResult] {
        try known.files.map { file in
            let path = target + "/" + file.name + ".gz"
            if let existing = try? IDXFile.read(path: path), existing.contentSHA256 == file.contentSHA256 {
                return FileResult(path: path, url: nil, sha256: existing.fileSHA256)
            }
            var failures: [String] = []
            for base in mirrors {
                let url = base.hasSuffix("/") ? base + file.name + ".gz" : base + "/" + file.name + ".gz"
                let bytes: Data
                do { bytes = try download(url, timeout: timeout) } catch {
                    failures.append("\(url): \(error)")
                    continue
                }
                let sha = try writeVerified(bytes, to: path, file: file, dataset: name)
                return FileResult(path: path, url: url, sha256: sha)
            }
            throw DatasetError.downloadFailed(url: mirrors.map { $0 }.joined(separator: ", "),
                                              reason: failures.joined(separator: "; "), dataset: name)
        }
    }

    /// Writes `bytes` to a temporary file beside `path`, checks that it is the published file
    /// (SHA-256 of the .gz, or of the decompressed IDX for a recompressed copy), then renames it.
    static func writeVerified(_ bytes: Data, to path: String, file: KnownFile, dataset: String) throws -> String {
        let sha = bytes.withUnsafeBytes { SHA256Hasher.hash($0) }
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do { try bytes.write(to: URL(fileURLWithPath: temporary)) } catch {
            throw DatasetError.unreadable(path: temporary, reason: "cannot write: \(error.localizedDescription)")
        }
        if sha != file.gzipSHA256 {
            let content = try? IDXFile.read(path: temporary).contentSHA256
            guard content == file.contentSHA256 else {
                throw DatasetError.checksumMismatch(path: path, dataset: dataset, expected: file.gzipSHA256, actual: sha)
            }
        }
        guard rename(temporary, path) == 0 else {
            throw DatasetError.unreadable(path: path, reason: "cannot rename \(temporary) into place: \(String(cString: strerror(errno)))")
        }
        return sha
    }

    /// A failed HTTP request.
    struct TransferError: Error, CustomStringConvertible {
        let description: String
    }

    /// GETs `url` synchronously.
    /// - Throws: `TransferError` on a network error or a status other than 200.
    static func download(_ url: String, timeout: TimeInterval) throws -> Data {
        guard let u = URL(string: url) else { throw TransferError(description: "not a valid URL") }
        final class Outcome: @unchecked Sendable {
            var data: Data?, response: URLResponse?, error: Error?
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        // No cookie store or cache: Foundation would create them under ~/.local/share, outside
        // the directory the user named.
        configuration.httpCookieStorage = nil
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: URLRequest(url: u, timeoutInterval: timeout)) { data, response, error in
            outcome.data = data
            outcome.response = response
            outcome.error = error
            done.signal()
        }.resume()
        done.wait()
        if let error = outcome.error {
            throw TransferError(description: "offline or unreachable: \(error.localizedDescription)")
        }
        if let http = outcome.response as? HTTPURLResponse, http.statusCode != 200 {
            throw TransferError(description: "HTTP status \(http.statusCode)")
        }
        guard let data = outcome.data else { throw TransferError(description: "no data received") }
        return data
    }
}
