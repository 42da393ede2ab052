import Foundation
import HDF5
import XCTest

/// Writes generation `generation` of the test file: a payload whose every value depends on
/// the generation, an attribute saying which generation it is, and a last attribute
/// `complete` = 1, so a reader can tell a whole file from a partial one.
/// With a `pauseMarker`, the writer stops mid-write and waits while `keepPausing()` holds.
func writeGeneration(_ generation: Int64, to file: HDF5File, pauseMarker: String? = nil,
                     keepPausing: () -> Bool = { false }) throws {
    try file.setAttribute("generation", .int64(generation))
    try file.writeDataset("payload", values: payload(generation), shape: [500, 1000])
    if let pauseMarker {
        // Mid-write on purpose: data written and flushed into the temporary file, not yet renamed.
        try file.flush()
        _ = FileManager.default.createFile(atPath: pauseMarker, contents: Data("paused".utf8))
        while keepPausing() { usleep(10_000) }
        throw CocoaError(.userCancelled)
    }
    try file.setAttribute("complete", .int64(1))
}

func payload(_ generation: Int64) -> [Float] {
    (0..<500_000).map { Float(generation) * 1000 + Float($0 % 1000) }
}

/// Opens `path` and checks that it is one whole generation; returns that generation.
func verifyWholeFile(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
    let reader = try HDF5File.open(path)
    defer { try? reader.close() }
    let generation = try reader.int64Attribute("generation")
    XCTAssertEqual(try reader.int64Attribute("complete"), 1, file: file, line: line)
    let array = try reader.readDataset("payload", as: Float.self)
    XCTAssertEqual(array.shape, [500, 1000], file: file, line: line)
    XCTAssertTrue(array.values == payload(generation), "payload of generation \(generation) differs", file: file, line: line)
    return generation
}

func temporaries(in directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.contains(".tmp.") }.sorted()
}

final class AtomicWriteTests: XCTestCase {
    func testWriteAtomicallyReplacesTheFileAndLeavesNoTemporary() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/metrics.h5"
        try HDF5File.writeAtomically(to: path) { try writeGeneration(1, to: $0) }
        XCTAssertEqual(try verifyWholeFile(path), 1)
        try HDF5File.writeAtomically(to: path) { try writeGeneration(2, to: $0) }
        XCTAssertEqual(try verifyWholeFile(path), 2)
        XCTAssertEqual(temporaries(in: directory), [])
    }

    func testAFailingBodyLeavesTheOldFileByteForByte() throws {
        struct Boom: Error {}
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/weights.h5"
        try HDF5File.writeAtomically(to: path) { try writeGeneration(1, to: $0) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try HDF5File.writeAtomically(to: path) { file in
            try file.writeDataset("partial", values: [Float](repeating: 9, count: 5000), shape: [5000])
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        // An HDF5 failure inside the body (a duplicate name) is reported the same way.
        XCTAssertThrowsError(try HDF5File.writeAtomically(to: path) { file in
            try file.writeDataset("x", values: [Int32(1)], shape: [])
            try file.writeDataset("x", values: [Int32(1)], shape: [])
        }) { XCTAssertEqual(($0 as? HDF5Error)?.operation, "create dataset") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(temporaries(in: directory), [])
    }

    func testStaleTemporariesOfDeadProcessesAreRemoved() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/checkpoint.h5"
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = "\(path).tmp.\(finished.processIdentifier)"
        let mine = "\(path).tmp.\(getpid())"
        for stale in [dead, mine, directory + "/other.h5.tmp.1"] {
            _ = FileManager.default.createFile(atPath: stale, contents: Data("x".utf8))
        }
        XCTAssertEqual(HDF5File.removeStaleTemporaries(for: path), [dead])
        XCTAssertEqual(temporaries(in: directory), ["checkpoint.h5.tmp.\(getpid())", "other.h5.tmp.1"])
    }
}
