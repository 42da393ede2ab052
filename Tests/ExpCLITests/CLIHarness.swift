import ArgumentParser
import Foundation
import XCTest

@testable import ExpCLI

/// Runs `exp` in-process with `arguments`; returns the exit code, stdout and stderr.
/// The file descriptors 1 and 2 are redirected for the duration, so tests using it must not
/// run concurrently with each other (XCTest runs test methods one at a time).
func runExp(_ arguments: [String]) throws -> (code: Int32, stdout: String, stderr: String) {
    let out = Pipe(), err = Pipe()
    let savedOut = dup(STDOUT_FILENO), savedErr = dup(STDERR_FILENO)
    fflush(stdout)
    dup2(out.fileHandleForWriting.fileDescriptor, STDOUT_FILENO)
    dup2(err.fileHandleForWriting.fileDescriptor, STDERR_FILENO)
    var code: Int32 = 0
    // Drain both pipes while the command runs, so a long message cannot fill a pipe and block.
    let captured = Captured()
    let group = DispatchGroup()
    for (pipe, index) in [(out, 0), (err, 1)] {
        DispatchQueue.global().async(group: group) {
            captured.set(index, pipe.fileHandleForReading.readDataToEndOfFile())
        }
    }
    do {
        var command = try Exp.parseAsRoot(arguments)
        try command.run()
    } catch let exit as ExitCode {
        code = exit.rawValue
    } catch {
        code = -1
        FileHandle.standardError.write(Data("uncaught: \(error)\n".utf8))
    }
    fflush(stdout)
    dup2(savedOut, STDOUT_FILENO)
    dup2(savedErr, STDERR_FILENO)
    close(savedOut)
    close(savedErr)
    try out.fileHandleForWriting.close()
    try err.fileHandleForWriting.close()
    group.wait()
    return (code, String(decoding: captured.data[0], as: UTF8.self), String(decoding: captured.data[1], as: UTF8.self))
}

/// stdout and stderr as read by two reader threads.
private final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var data = [Data(), Data()]
    func set(_ index: Int, _ value: Data) { lock.lock(); data[index] = value; lock.unlock() }
}

/// A temporary directory removed when the test ends.
func temporaryDirectory(_ test: XCTestCase, _ label: String = "cli") throws -> String {
    let path = NSTemporaryDirectory() + "exp-\(label)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// Tests/Fixtures/<name>, found from this source file's location.
func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name).path
}
