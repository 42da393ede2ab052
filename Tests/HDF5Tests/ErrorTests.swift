import Foundation
import HDF5
import XCTest

final class ErrorTests: XCTestCase {
    /// Runs `body` with file descriptor 2 redirected to a file; returns what was written there.
    private func capturingStandardError(_ body: () -> Void) -> String {
        let capture = NSTemporaryDirectory() + "exp-stderr-" + UUID().uuidString
        let descriptor = open(capture, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        precondition(descriptor >= 0)
        let saved = dup(2)
        fflush(stderr)
        dup2(descriptor, 2)
        defer {
            fflush(stderr)
            dup2(saved, 2)
            close(saved)
            close(descriptor)
        }
        body()
        fflush(stderr)
        let text = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: capture)
        return text
    }

    private func assertOpenFails(_ path: String, mentioning expected: String, file: StaticString = #filePath, line: UInt = #line) {
        var thrown: Error?
        let printed = capturingStandardError {
            do { _ = try HDF5File.open(path) } catch { thrown = error }
        }
        guard let hdf5 = thrown as? HDF5Error else { return XCTFail("expected an HDF5Error, got \(String(describing: thrown))", file: file, line: line) }
        XCTAssertEqual(hdf5.operation, "open file", file: file, line: line)
        XCTAssertEqual(hdf5.file, path, file: file, line: line)
        XCTAssertTrue(hdf5.description.contains(expected), hdf5.description, file: file, line: line)
        XCTAssertTrue(hdf5.description.contains("H5Fopen"), hdf5.description, file: file, line: line)
        XCTAssertFalse(hdf5.description.contains("\n"), hdf5.description, file: file, line: line)
        XCTAssertEqual(printed, "", "HDF5 must not print its error stack", file: file, line: line)
    }

    func testOpeningAMissingFileThrowsWithoutPrinting() throws {
        let path = try makeTemporaryDirectory(self) + "/missing.h5"
        assertOpenFails(path, mentioning: "No such file or directory")
    }

    /// HDF5 keeps the auto-print setting per thread: a fresh thread must stay quiet too.
    func testAFreshThreadStaysQuiet() throws {
        let path = try makeTemporaryDirectory(self) + "/missing.h5"
        final class Box: @unchecked Sendable { var error: Error? }
        let box = Box()
        let printed = capturingStandardError {
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                do { _ = try HDF5File.open(path) } catch { box.error = error }
                done.signal()
            }
            done.wait()
        }
        XCTAssertTrue(box.error is HDF5Error)
        XCTAssertEqual(printed, "")
    }

    func testOpeningGarbageThrowsWithoutPrinting() throws {
        let path = try makeTemporaryDirectory(self) + "/garbage.h5"
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: path))
        assertOpenFails(path, mentioning: "file signature not found")
    }

    func testOpeningATruncatedFileThrowsWithoutPrinting() throws {
        let directory = try makeTemporaryDirectory(self)
        let whole = directory + "/whole.h5"
        let file = try HDF5File.create(whole)
        try file.writeDataset("x", values: (0..<20_000).map(Double.init), shape: [20_000])
        try file.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        for length in [0, 100, bytes.count / 2] {
            let truncated = directory + "/truncated-\(length).h5"
            try bytes.prefix(length).write(to: URL(fileURLWithPath: truncated))
            // Some truncations still open (the superblock is intact) but then fail on read.
            var thrown: Error?
            let printed = capturingStandardError {
                do { _ = try HDF5File.open(truncated).readDataset("x", as: Double.self) } catch { thrown = error }
            }
            XCTAssertTrue(thrown is HDF5Error, "length \(length): \(String(describing: thrown))")
            XCTAssertEqual(printed, "", "length \(length)")
        }
    }

    /// The harness above must see what goes to file descriptor 2, or its "" checks prove nothing.
    func testStandardErrorCaptureWorks() {
        let printed = capturingStandardError { fputs("visible\n", stderr) }
        XCTAssertEqual(printed, "visible\n")
    }

    func testCreatingInAMissingDirectoryThrows() {
        XCTAssertThrowsError(try HDF5File.create("/nonexistent-dir-\(UUID())/x.h5")) { error in
            XCTAssertEqual((error as? HDF5Error)?.operation, "create file")
        }
    }

    func testErrorDescriptionNamesOperationFileAndObject() {
        let error = HDF5Error(operation: "read dataset", file: "r.h5", object: "/a", messages: ["H5Dopen2(): not found"])
        XCTAssertEqual(error.description, "HDF5: cannot read dataset 'r.h5' object '/a': H5Dopen2(): not found")
    }
}

/// A full disk: `/dev/full` fails every write with ENOSPC.
final class FullDiskErrorTests: XCTestCase {
    func testAFullDiskIsNamedFirstAndBriefly() throws {
        var thrown: Error?
        do {
            let file = try HDF5File.create("/dev/full")
            try file.writeDataset("big", values: [Float](repeating: 1, count: 1 << 20), shape: [1 << 20])
            try file.close()
        } catch { thrown = error }
        let error = try XCTUnwrap(thrown as? HDF5Error, "\(String(describing: thrown))")
        XCTAssertEqual(error.systemError, "No space left on device (errno 28)")
        XCTAssertEqual(error.description,
                       "HDF5: cannot create file '/dev/full': No space left on device (errno 28); H5Fcreate(): unable to create file")
        XCTAssertGreaterThan(error.messages.count, 5)   // the whole stack is still there
    }
}
