// Errors of `exp report` that stop it before anything is written (bad input, SPEC.md exit 64).

/// Input `exp report` cannot work with; the message names the path.
public struct ReportError: Error, Equatable, CustomStringConvertible {
    /// The file or directory concerned.
    public var path: String
    /// What is wrong with it.
    public var message: String

    /// An error about `path`.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `PATH: message` (`'': message` for an empty path).
    public var description: String { "\(path.isEmpty ? "''" : path): \(message)" }
}
