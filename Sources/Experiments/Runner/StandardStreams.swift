// Writing to stdout and stderr without trapping: Foundation's `FileHandle.write(_:)` traps when
// the write fails (stderr on a full disk, a closed descriptor, a reader that went away).

import Foundation

/// The process's standard output (results) and standard error (progress, diagnostics).
///
/// Diagnostics are best effort: a failed write to stderr is ignored, so training goes on and
/// finishes normally. Results are not: ``writeOutput(_:)`` reports a failed write to stdout, so
/// that the command can exit non-zero instead of losing its output silently.
public enum StandardStreams {
    /// Writes `text` to stderr (file descriptor 2) whole; a failure (EBADF, ENOSPC, EPIPE, …)
    /// is ignored.
    public static func writeDiagnostic(_ text: String) {
        _ = writeAll(text, to: STDERR_FILENO)
    }

    /// Writes `text` to stdout (file descriptor 1) whole, bypassing stdio's buffer.
    /// - Returns: nil when everything was written, else the system's reason (strerror).
    public static func writeOutput(_ text: String) -> String? {
        fflush(stdout)  // anything printed through stdio goes first
        return writeAll(text, to: STDOUT_FILENO).map { String(cString: strerror($0)) }
    }

    /// Prepares the `exp` process for standard streams that may fail: SIGPIPE is ignored, so a
    /// reader that goes away (`exp run … | head -2`) makes writes fail with EPIPE instead of
    /// killing the process mid-run; a closed descriptor 0, 1 or 2 (`2>&-`) is occupied by
    /// /dev/null opened read-only, so that writes to it still fail (EBADF) while files the
    /// engine opens can never get that number and receive its output.
    public static func prepareProcess() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0 && opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }

    /// Writes all of `text` to `descriptor`, retrying after EINTR and short writes.
    /// - Returns: nil on success, else errno.
    static func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n == 0 ? EIO : errno }
            written += n
        }
        return nil
    }
}
