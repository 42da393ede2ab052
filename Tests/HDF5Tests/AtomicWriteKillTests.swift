import Foundation
import HDF5
import XCTest

/// A writer process is SIGKILLed while it rewrites a file through `writeAtomically`, and the
/// previous complete file must then be intact. The writer is this test binary itself
/// (`/proc/self/exe`), run with a test filter that selects `testChildWriterLoop` and
/// environment variables that turn that helper on.
final class AtomicWriteKillTests: XCTestCase {
    static let pathVariable = "EXP_HDF5_KILL_TEST_PATH"
    static let pauseVariable = "EXP_HDF5_KILL_TEST_PAUSE_AT"
    static let parentVariable = "EXP_HDF5_KILL_TEST_PARENT"

    /// The child side: rewrites the file, generation after generation, until killed.
    /// Skipped unless the parent test set `EXP_HDF5_KILL_TEST_PATH`. Stops by itself when its
    /// parent is gone or after 120 s, so a crashed parent leaves no endless writer behind.
    func testChildWriterLoop() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment[Self.pathVariable] else {
            throw XCTSkip("helper process for testKilledWriterLeavesThePreviousFileIntact")
        }
        let pauseAt = environment[Self.pauseVariable].flatMap { Int64($0) }
        let parent = environment[Self.parentVariable].flatMap { Int32($0) }
        let deadline = Date().addingTimeInterval(120)
        let parentAlive = { getppid() == parent && Date() < deadline }
        var generation: Int64 = 1
        while parentAlive() {
            try HDF5File.writeAtomically(to: path) { file in
                try writeGeneration(generation, to: file, pauseMarker: generation == pauseAt ? path + ".paused" : nil,
                                    keepPausing: parentAlive)
            }
            generation += 1
        }
    }

    private func startWriter(path: String, pauseAt: Int64?) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["HDF5Tests.AtomicWriteKillTests/testChildWriterLoop"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.pathVariable] = path
        environment[Self.parentVariable] = String(getpid())
        if let pauseAt { environment[Self.pauseVariable] = String(pauseAt) }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls `condition` every 5 ms for up to 60 s.
    private func wait(for what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(60)
        while !condition() {
            if Date() > deadline { throw XCTSkip("timed out waiting for \(what)") }
            usleep(5000)
        }
    }

    private func kill9(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(process.terminationStatus, SIGKILL)
    }

    private func generation(at path: String) -> Int64? {
        guard let file = try? HDF5File.open(path) else { return nil }
        defer { try? file.close() }
        return try? file.int64Attribute("generation")
    }

    /// Deterministic: the writer stops inside generation 3's body with data flushed into its
    /// temporary file, and is killed there.
    func testKilledWriterLeavesThePreviousFileIntact() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/metrics.h5"
        let writer = try startWriter(path: path, pauseAt: 3)
        defer { if writer.isRunning { kill(writer.processIdentifier, SIGKILL) } }
        try wait(for: "the writer to pause mid-write") { FileManager.default.fileExists(atPath: path + ".paused") }
        kill9(writer)

        let temporary = "metrics.h5.tmp.\(writer.processIdentifier)"
        XCTAssertEqual(temporaries(in: directory), [temporary], "the kill interrupted a write")
        let size = try FileManager.default.attributesOfItem(atPath: directory + "/" + temporary)[.size] as? Int
        XCTAssertGreaterThan(size ?? 0, 1000, "the interrupted write had reached the disk")
        XCTAssertEqual(try verifyWholeFile(path), 2)
        XCTAssertEqual(HDF5File.removeStaleTemporaries(for: path), [directory + "/" + temporary])
    }

    /// Random timing: kills at arbitrary points of the rewrite loop; the file is whole every time.
    func testWriterKilledAtRandomMomentsLeavesAWholeFile() throws {
        let directory = try makeTemporaryDirectory(self)
        var interrupted = 0
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            let path = directory + "/round\(round).h5"
            let writer = try startWriter(path: path, pauseAt: nil)
            defer { if writer.isRunning { kill(writer.processIdentifier, SIGKILL) } }
            try wait(for: "generation 2") { (generation(at: path) ?? 0) >= 2 }
            usleep(UInt32.random(in: 0..<40_000, using: &generator))
            kill9(writer)
            XCTAssertGreaterThanOrEqual(try verifyWholeFile(path), 2, "round \(round)")
            if !HDF5File.removeStaleTemporaries(for: path).isEmpty { interrupted += 1 }
        }
        print("AtomicWriteKillTests: \(interrupted) of 5 kills interrupted a write in progress")
    }
}
