// Turning library errors into messages on stderr and SPEC.md's exit codes; writing results to
// stdout so that a lost result is an error, not a silent exit 0.

import ArgumentParser
import Experiments
import Foundation

/// Writes `exp: <message>` to stderr; a failed write is ignored (diagnostics are best effort).
func printError(_ message: String) {
    StandardStreams.writeDiagnostic("exp: \(message)\n")
}

/// Writes a command's result to stdout.
/// - Throws: `ExitCode(failureExitCode)` (SPEC.md: 1, a failure) after a short message on
///   stderr when stdout cannot take it (`>/dev/full`, a closed descriptor, a reader gone).
func printOutput(_ text: String) throws {
    if let reason = StandardStreams.writeOutput(text) {
        printError("cannot write the output to stdout: \(reason)")
        throw ExitCode(failureExitCode)
    }
}

/// SPEC.md's exit code for a failure that is not bad input (a run failed, an I/O error).
let failureExitCode: Int32 = 1

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
