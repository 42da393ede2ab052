// The error of the strict JSON parser (SPEC.md "Sweep file": `FILE:LINE:COLUMN: message`).

import Foundation  // LocalizedError only

/// Four upper-case hex digits of `value`.
func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// A JSON syntax error: `FILE:LINE:COLUMN: message` (SPEC.md "Sweep file").
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file (or `<input>`, `--set`) the text came from.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column in Unicode scalars.
    public var column: Int
    /// What is wrong.
    public var message: String

    /// `FILE:LINE:COLUMN: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
    /// Same as ``description``.
    public var errorDescription: String? { description }
}
