@testable import Experiments
import Foundation
import HDF5
import TestSupport
import XCTest

/// Records, at every epoch end, whether the files of the built-in writers that ran before it are
/// in place for that epoch (the loop waits for the deferred commits before plugins it does not
/// ship).
final class FilesInPlacePlugin: ExperimentPlugin {
    static let name = "files-in-place"
    nonisolated(unsafe) static var seen: [String] = []
    init(options: JSONObject) throws {}
    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        guard case .epochEnd = event else { return .proceed }
        let weights = (try? WeightsFile.epochs(in: context.path("weights.h5")).last).flatMap { $0 }
        let images = FileManager.default.fileExists(atPath: context.path(String(format: "activations/epoch_%04d/image_00000/A1.png", context.epoch)))
        Self.seen.append("epoch \(context.epoch): weights \(weights.map(String.init) ?? "none"), activations \(images)")
        return .proceed
    }
}

/// The writers' deferred commits (`RunContext.commits`, `CommitQueue`): files appear whole and in
/// order, failures of a deferred step reach the run, and plugins outside the built-ins see files
/// as if the writes were synchronous.
final class DeferredCommitTests: XCTestCase {
    func testAtomicFileWriteWithAQueue() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/status.json"
        let queue = CommitQueue()
        let gate = queue.blockUntilSignalled()
        try AtomicFile.write("one\n", to: path, commits: queue)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        gate.signal()
        try AtomicFile.write("two\n", to: path, commits: queue)  // waits for "one" (same temporary name)
        try queue.wait()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two\n")

        let blocked = directory + "/blocked.json"
        try FileManager.default.createDirectory(atPath: blocked + "/x", withIntermediateDirectories: true)
        try AtomicFile.write("three\n", to: blocked, commits: queue)
        XCTAssertThrowsError(try queue.wait()) { error in
            XCTAssertEqual((error as? ResultsWriteError)?.path, blocked, "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["blocked.json", "status.json"])
    }

    func testWriteDirectoryWithAQueue() throws {
        let root = try makeTemporaryDirectory(self)
        let path = root + "/run/kernels/epoch_0001"
        let queue = CommitQueue()
        let gate = queue.blockUntilSignalled()
        try AtomicFile.writeDirectory(path, under: root, commits: queue) { staging in
            try "P0".write(toFile: staging + "/P0.png", atomically: false, encoding: .utf8)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "published only when the queue runs")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path + ".tmp.\(getpid())"), ["P0.png"])
        gate.signal()
        try queue.wait()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/run/kernels"), ["epoch_0001"])
        XCTAssertEqual(try String(contentsOfFile: path + "/P0.png", encoding: .utf8), "P0")

        // A regular file where the directory goes: the deferred publish fails, the staging goes.
        let file = root + "/run/kernels/epoch_0002"
        try "not a directory".write(toFile: file, atomically: false, encoding: .utf8)
        try AtomicFile.writeDirectory(file, under: root, commits: queue) { staging in
            try "P0".write(toFile: staging + "/P0.png", atomically: false, encoding: .utf8)
        }
        XCTAssertThrowsError(try queue.wait()) { error in
            XCTAssertEqual("\(error)", "cannot write \(file): exists and is not a directory")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/run/kernels").sorted(), ["epoch_0001", "epoch_0002"])
    }

    /// A run with a plugin of its own: at each epoch end it finds weights.h5 and the activation
    /// images of that epoch in place; after the run nothing temporary is left.
    func testPluginsOutsideTheBuiltinsSeeTheEpochsFiles() throws {
        let dir = try makeTemporaryDirectory(self)
        FilesInPlacePlugin.seen = []
        let summary = try runSweep(smallSweep(name: "deferred", base: #", "plugins": [{"name": "files-in-place"}]"#),
                                   in: dir, plugins: [FilesInPlacePlugin.self])
        XCTAssertEqual(summary.runs.map(\.state), [.completed])
        XCTAssertEqual(FilesInPlacePlugin.seen, ["epoch 0: weights 0, activations true", "epoch 1: weights 1, activations true",
                                                 "epoch 2: weights 2, activations true"])
        let run = dir + "/results/deferred/" + summary.runs[0].directory
        let leftovers = (FileManager.default.enumerator(atPath: run)?.allObjects as? [String] ?? []).filter { $0.contains(".tmp.") }
        XCTAssertEqual(leftovers, [])
        XCTAssertEqual(try RunStatus.read(from: run + "/status.json").state, .completed)
    }
}
