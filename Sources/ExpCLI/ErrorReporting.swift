// Turning library errors into messages on stderr and SPEC.md's exit codes.

import ArgumentParser
import Foundation

/// Writes `exp: <message>` to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("exp: \(message)\n".utf8))
}

/// Runs `body`; any error is bad input (SPEC.md: exit 64, nothing written): its description goes
/// to stderr, without a stack trace.
func reportingBadInput<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("\(error)")
        throw ExitCode(64)
    }
}
