@testable import Experiments
import Foundation
import TestSupport
import PNG
import XCTest

/// `AtomicFile.writeDirectory`: an epoch's image directory is staged under `<path>.tmp.<pid>`,
/// flushed with one syncfs and renamed into place; readers see no directory or a complete one.
final class StagedDirectoryTests: XCTestCase {
    /// Every entry below `path` (relative, sorted), not following links.
    func tree(_ path: String) -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
    }

    func write(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: false, encoding: .utf8) }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Fills a staging directory like the activations plugin: image_00000/A0.png, A1.png.
    func fill(_ staging: String, tag: String) throws {
        XCTAssertEqual(mkdir(staging + "/image_00000", 0o755), 0)
        for name in ["A0.png", "A1.png"] { try write(tag + name, staging + "/image_00000/" + name) }
    }

    func testANewDirectoryAppearsOnlyWhenComplete() throws {
        let root = try makeTemporaryDirectory(self)
        let path = root + "/run/activations/epoch_0001"
        var seenDuringBody: [String] = []
        try AtomicFile.writeDirectory(path, under: root) { staging in
            XCTAssertEqual(staging, path + ".tmp.\(getpid())")
            try fill(staging, tag: "new ")
            seenDuringBody = tree(root + "/run/activations")
        }
        XCTAssertFalse(seenDuringBody.contains { $0.hasPrefix("epoch_0001/") || $0 == "epoch_0001" }, "\(seenDuringBody)")
        XCTAssertEqual(tree(root + "/run/activations"),
                       ["epoch_0001", "epoch_0001/image_00000", "epoch_0001/image_00000/A0.png", "epoch_0001/image_00000/A1.png"])
        XCTAssertEqual(try read(path + "/image_00000/A1.png"), "new A1.png")
    }

    /// An earlier attempt at the same epoch (killed before its checkpoint, then resumed): the
    /// complete old directory stays visible while the new one is written, then is swapped out.
    func testAnExistingEpochDirectoryIsReplacedWhole() throws {
        let root = try makeTemporaryDirectory(self)
        let path = root + "/kernels/epoch_0002"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try write("old P0", path + "/P0.png")
        try write("old P3", path + "/P3.png")  // a file the new attempt does not write
        try AtomicFile.writeDirectory(path, under: root) { staging in
            XCTAssertEqual(self.tree(path), ["P0.png", "P3.png"], "the old directory is intact meanwhile")
            try self.write("new P0", staging + "/P0.png")
        }
        XCTAssertEqual(tree(root + "/kernels"), ["epoch_0002", "epoch_0002/P0.png"])
        XCTAssertEqual(try read(path + "/P0.png"), "new P0")
    }

    /// Where the file system cannot exchange two names, the old directory is renamed aside
    /// first (`path` is briefly missing, never partial), then removed.
    func testReplacingWithoutRenameExchange() throws {
        AtomicFile.exchangeSupported = false
        defer { AtomicFile.exchangeSupported = true }
        let root = try makeTemporaryDirectory(self)
        let path = root + "/kernels/epoch_0002"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try write("old P0", path + "/P0.png")
        try AtomicFile.writeDirectory(path, under: root) { try self.write("new P0", $0 + "/P0.png") }
        XCTAssertEqual(tree(root + "/kernels"), ["epoch_0002", "epoch_0002/P0.png"])
        XCTAssertEqual(try read(path + "/P0.png"), "new P0")
    }

    func testAFailingBodyLeavesNothingAndTheOldDirectoryIntact() throws {
        let root = try makeTemporaryDirectory(self)
        struct Stop: Error {}
        XCTAssertThrowsError(try AtomicFile.writeDirectory(root + "/kernels/epoch_0001", under: root) { staging in
            try self.write("partial", staging + "/P0.png")
            throw Stop()
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(tree(root + "/kernels"), [])

        let path = root + "/kernels/epoch_0002"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try write("old", path + "/P0.png")
        XCTAssertThrowsError(try AtomicFile.writeDirectory(path, under: root) { staging in
            try PNGImage(width: 1, height: 1, channels: 1, pixels: [0]).write(toNewFile: staging + "/P0.png")
            try PNGImage(width: 1, height: 1, channels: 1, pixels: [0]).write(toNewFile: staging + "/P0.png")
        }) { error in
            XCTAssertTrue("\(error)".contains(path + ".tmp.\(getpid())/P0.png"), "\(error)")
        }
        XCTAssertEqual(tree(root + "/kernels"), ["epoch_0002", "epoch_0002/P0.png"])
        XCTAssertEqual(try read(path + "/P0.png"), "old")
    }

    /// A staging directory of this pid left by an earlier process (pid reused) is replaced.
    func testALeftoverStagingDirectoryOfThisPidIsDiscarded() throws {
        let root = try makeTemporaryDirectory(self)
        let path = root + "/activations/epoch_0003"
        try FileManager.default.createDirectory(atPath: path + ".tmp.\(getpid())/image_00007", withIntermediateDirectories: true)
        try write("stale", path + ".tmp.\(getpid())/image_00007/A0.png")
        try AtomicFile.writeDirectory(path, under: root) { try fill($0, tag: "") }
        XCTAssertEqual(tree(root + "/activations"),
                       ["epoch_0003", "epoch_0003/image_00000", "epoch_0003/image_00000/A0.png", "epoch_0003/image_00000/A1.png"])
    }

    /// Staging directories of killed processes are removed, with their contents, by the next
    /// process holding the run's lock; links with such names, and links to directories holding
    /// such names, are not followed.
    func testStagingDirectoriesOfDeadProcessesAreRemoved() throws {
        let run = try makeTemporaryDirectory(self)
        let elsewhere = try makeTemporaryDirectory(self)
        let dead = try deadPID()
        try FileManager.default.createDirectory(atPath: run + "/activations/epoch_0001.tmp.\(dead)/image_00000",
                                                withIntermediateDirectories: true)
        try write("x", run + "/activations/epoch_0001.tmp.\(dead)/image_00000/A0.png")
        try FileManager.default.createDirectory(atPath: run + "/kernels/epoch_0001.old.tmp.\(dead)", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: run + "/kernels/epoch_0000", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: elsewhere + "/epoch_0005.tmp.\(dead)", withIntermediateDirectories: true)
        try write("keep", elsewhere + "/epoch_0005.tmp.\(dead)/P0.png")
        try FileManager.default.createSymbolicLink(atPath: run + "/linked", withDestinationPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: run + "/kernels/epoch_0002.tmp.\(dead)", withDestinationPath: elsewhere)
        let removed = AtomicFile.removeStaleTemporaries(under: run).sorted()
        XCTAssertEqual(removed, [run + "/activations/epoch_0001.tmp.\(dead)", run + "/kernels/epoch_0001.old.tmp.\(dead)"])
        XCTAssertEqual(tree(run), ["activations", "kernels", "kernels/epoch_0000", "kernels/epoch_0002.tmp.\(dead)", "linked"])
        XCTAssertEqual(tree(elsewhere), ["epoch_0005.tmp.\(dead)", "epoch_0005.tmp.\(dead)/P0.png"])
    }

    /// A link planted at the staging name is removed, not written through.
    func testALinkAtTheStagingNameIsNotFollowed() throws {
        let root = try makeTemporaryDirectory(self)
        let elsewhere = try makeTemporaryDirectory(self)
        let path = root + "/kernels/epoch_0001"
        try FileManager.default.createDirectory(atPath: root + "/kernels", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path + ".tmp.\(getpid())", withDestinationPath: elsewhere)
        try AtomicFile.writeDirectory(path, under: root) { try self.write("P0", $0 + "/P0.png") }
        XCTAssertEqual(tree(elsewhere), [])
        XCTAssertTrue(AtomicFile.isRealDirectory(path))
        XCTAssertEqual(tree(root + "/kernels"), ["epoch_0001", "epoch_0001/P0.png"])
    }

    /// A link at the final name, or a link for the parent below the results root, is refused
    /// with the path named; nothing is written through it and no staging directory is left.
    func testALinkAtTheFinalNameOrParentIsRefused() throws {
        let root = try makeTemporaryDirectory(self)
        let elsewhere = try makeTemporaryDirectory(self)
        let path = root + "/kernels/epoch_0001"
        try FileManager.default.createDirectory(atPath: root + "/kernels", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        XCTAssertThrowsError(try AtomicFile.writeDirectory(path, under: root) { try self.write("P0", $0 + "/P0.png") }) {
            XCTAssertEqual("\($0)", "cannot write \(path): is a symbolic link; results are only written into real directories")
        }
        XCTAssertEqual(tree(elsewhere), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/kernels"), ["epoch_0001"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path), elsewhere)

        try FileManager.default.createSymbolicLink(atPath: root + "/activations", withDestinationPath: elsewhere)
        XCTAssertThrowsError(try AtomicFile.writeDirectory(root + "/activations/epoch_0001", under: root) { _ in
            XCTFail("the body must not run")
        }) { XCTAssertTrue("\($0)".contains("cannot write \(root)/activations: is a symbolic link"), "\($0)") }
        XCTAssertEqual(tree(elsewhere), [])

        try write("a file", root + "/kernels/epoch_0004")
        XCTAssertThrowsError(try AtomicFile.writeDirectory(root + "/kernels/epoch_0004", under: root) { _ in }) {
            XCTAssertEqual("\($0)", "cannot write \(root)/kernels/epoch_0004: exists and is not a directory")
        }
        XCTAssertEqual(try read(root + "/kernels/epoch_0004"), "a file")
    }

    /// `removeTree` unlinks links inside the tree instead of descending into them.
    func testRemoveTreeDoesNotFollowLinks() throws {
        let root = try makeTemporaryDirectory(self)
        let elsewhere = try makeTemporaryDirectory(self)
        try write("keep", elsewhere + "/file")
        try FileManager.default.createDirectory(atPath: root + "/tree/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/tree/sub/link", withDestinationPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: root + "/tree/file-link", withDestinationPath: elsewhere + "/file")
        try AtomicFile.removeTree(root + "/tree")
        XCTAssertEqual(tree(root), [])
        XCTAssertEqual(try read(elsewhere + "/file"), "keep")
        try AtomicFile.removeTree(root + "/missing")
    }

    /// `PNGImage.write(toNewFile:)` never replaces or follows an existing entry.
    func testWriteToNewFileRefusesExistingEntries() throws {
        let root = try makeTemporaryDirectory(self)
        let image = PNGImage(width: 2, height: 1, channels: 1, pixels: [0, 255])
        try image.write(toNewFile: root + "/a.png")
        XCTAssertEqual(try PNGImage.read(from: root + "/a.png"), image)
        try write("keep", root + "/target")
        try FileManager.default.createSymbolicLink(atPath: root + "/link.png", withDestinationPath: root + "/target")
        XCTAssertThrowsError(try image.write(toNewFile: root + "/link.png")) {
            XCTAssertTrue("\($0)".contains(root + "/link.png"), "\($0)")
        }
        XCTAssertEqual(try read(root + "/target"), "keep")
    }
}
