@testable import Datasets
import Foundation
import XCTest

/// `DatasetFetcher` against `/usr/bin/python3 -m http.server` on 127.0.0.1 serving fixture files.
/// No public mirror is contacted: every fetch gets EXP_DATA_MIRROR in its environment.
final class FetchTests: XCTestCase {
    /// A static HTTP server on 127.0.0.1 (a free port chosen by the kernel) serving `directory`.
    final class LocalServer {
        let process = Process()
        private(set) var port = 0

        init(serving directory: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let range = text.range(of: "port "), let p = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
                throw DatasetError.invalidConfiguration("could not start the test HTTP server: \(text)")
            }
            port = p
        }

        var url: String { "http://127.0.0.1:\(port)/" }

        func stop() {
            kill(process.processIdentifier, SIGKILL)  // not terminate(): SIGTERM may be ignored
            process.waitUntilExit()
        }
    }

    /// A temporary copy of the four MNIST files of data/mnist, to be served.
    func mirrorDirectory() throws -> FixtureDirectory {
        let dir = try FixtureDirectory()
        for f in KnownDataset.mnist.files {
            try FileManager.default.copyItem(atPath: MNISTTests.directory + "/" + f.name + ".gz",
                                             toPath: dir.path + "/" + f.name + ".gz")
        }
        return dir
    }

    func testFetchVerifiesAndWritesAtomically() throws {
        let mirror = try mirrorDirectory()
        let server = try LocalServer(serving: mirror.path)
        defer { server.stop() }
        let target = try FixtureDirectory()
        let results = try DatasetFetcher.fetch(name: "mnist", to: target.path + "/mnist",
                                               environment: ["EXP_DATA_MIRROR": server.url])
        XCTAssertEqual(results.map(\.sha256), KnownDataset.mnist.files.map(\.gzipSHA256))
        XCTAssertEqual(results.map(\.url), KnownDataset.mnist.files.map { server.url + $0.name + ".gz" })
        let written = try FileManager.default.contentsOfDirectory(atPath: target.path + "/mnist").sorted()
        XCTAssertEqual(written, KnownDataset.mnist.files.map { $0.name + ".gz" }.sorted())  // no temporaries left
        XCTAssertEqual(try DatasetInfo.verify(DatasetConfiguration(name: "mnist", path: target.path + "/mnist")).verified, true)
        // A second fetch finds verified copies and downloads nothing.
        let again = try DatasetFetcher.fetch(name: "mnist", to: target.path + "/mnist",
                                             environment: ["EXP_DATA_MIRROR": server.url])
        XCTAssertEqual(again.map(\.url), [nil, nil, nil, nil])
    }

    func testChecksumMismatchLeavesNothingBehind() throws {
        let mirror = try mirrorDirectory()
        // The mirror serves a labels file with one label changed: valid gzip and IDX, wrong bytes.
        let labels = try IDXFile.read(path: mirror.path + "/train-labels-idx1-ubyte.gz")
        var data = labels.data
        data[0] = (data[0] + 1) % 10
        try mirror.write("train-labels-idx1-ubyte.gz", FixtureDirectory.idx(dims: [60000], data: data), gzip: true)
        let served = SHA256Hasher.hash([UInt8](try Data(contentsOf: URL(fileURLWithPath: mirror.path + "/train-labels-idx1-ubyte.gz"))))
        let server = try LocalServer(serving: mirror.path)
        defer { server.stop() }
        let target = try FixtureDirectory()
        let path = target.path + "/train-labels-idx1-ubyte.gz"
        assertDatasetError(try DatasetFetcher.fetch(name: "mnist", to: target.path, environment: ["EXP_DATA_MIRROR": server.url]),
                           mentions: [path, "expected \(KnownDataset.mnist.files[1].gzipSHA256)", "got \(served)",
                                      "exp data fetch mnist"]) {
            $0 == .checksumMismatch(path: path, dataset: "mnist", expected: KnownDataset.mnist.files[1].gzipSHA256, actual: served)
        }
        // The first file (verified) was written; the bad one was not, nor any temporary.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), ["train-images-idx3-ubyte.gz"])
    }

    func testServerDownGivesAClearError() throws {
        let server = try LocalServer(serving: try FixtureDirectory().path)
        let url = server.url
        server.stop()  // nothing listens on that port any more
        let target = try FixtureDirectory()
        assertDatasetError(try DatasetFetcher.fetch(name: "mnist", to: target.path, environment: ["EXP_DATA_MIRROR": url]),
                           mentions: ["download failed", url + "train-images-idx3-ubyte.gz", "offline or unreachable",
                                      "Check the network connection", "EXP_DATA_MIRROR"]) {
            if case .downloadFailed = $0 { return true } else { return false }
        }
        // A failed fetch into a new directory leaves nothing: not the directory, not Foundation's
        // data folder (redirected inside it through XDG_DATA_HOME while downloading).
        let fresh = target.path + "/new/deeper"
        XCTAssertThrowsError(try DatasetFetcher.fetch(name: "mnist", to: fresh, environment: ["EXP_DATA_MIRROR": url]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path + "/new"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), [])
        // A mirror that answers 404.
        let empty = try FixtureDirectory()
        let live = try LocalServer(serving: empty.path)
        defer { live.stop() }
        assertDatasetError(try DatasetFetcher.fetch(name: "fashion-mnist", to: target.path, environment: ["EXP_DATA_MIRROR": live.url]),
                           mentions: ["HTTP status 404", "fashion-mnist"]) {
            if case .downloadFailed = $0 { return true } else { return false }
        }
        assertDatasetError(try DatasetFetcher.fetch(name: "cifar", environment: ["EXP_DATA_MIRROR": live.url]),
                           mentions: ["cannot fetch 'cifar'"]) {
            if case .invalidConfiguration = $0 { return true } else { return false }
        }
    }
}
