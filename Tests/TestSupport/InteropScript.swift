import Foundation
import XCTest

/// Runs `scripts/check_interop.py DIR` with /usr/bin/python3 and returns its output; throws
/// `XCTSkip` when /usr/bin/python3 with h5py, numpy and PIL is not installed. (Shared by HDF5Tests and PNGTests; formerly each held
/// a copy of this helper: the two test targets share no support target.)
public func runInteropScript(on directory: String) throws -> (status: Int32, output: String) {
    try requireInteropPython()
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/check_interop.py").path
    return try runProcess(python, [script, directory])
}

private let python = "/usr/bin/python3"

/// Throws `XCTSkip` unless /usr/bin/python3 can import h5py, numpy and PIL.
public func requireInteropPython() throws {
    guard FileManager.default.isExecutableFile(atPath: python),
          try runProcess(python, ["-c", "import h5py, numpy, PIL"]).status == 0 else {
        throw XCTSkip("/usr/bin/python3 with h5py, numpy and PIL is not installed")
    }
}

/// Runs `executable` with `arguments` and returns its exit status and combined stdout + stderr.
public func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The pid of a process that has exited (`/bin/true`, waited for): for tests of what is left
/// behind by writers that no longer run.
public func deadPID() throws -> Int32 {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    return child.processIdentifier
}
