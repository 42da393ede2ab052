import Foundation

/// POSIX steps that make a finished file durable and visible under its final name.
enum Durability {
    /// The temporary name `<dir>/<name>.tmp.<pid>` next to `path` (same directory, so the
    /// final `rename` stays on one file system and is atomic).
    /// Any file or symbolic link already there (a stale temporary, or a link planted to make
    /// the write land elsewhere) is removed first, so `H5Fcreate` never follows a link.
    static func temporaryPath(for path: String) -> String {
        let temporary = "\(path).tmp.\(getpid())"
        unlink(temporary)
        return temporary
    }

    /// `fsync`s the file at `path` (open read-only, fsync, close); returns an errno message on failure.
    static func syncFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return "open for fsync: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        return fsync(descriptor) == 0 ? nil : "fsync: \(String(cString: strerror(errno)))"
    }

    /// `fsync`s the directory holding `path`, so that a completed `rename` survives a power loss.
    static func syncDirectory(of path: String) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        return syncFile(directory.isEmpty ? "." : directory)
    }

    /// Copies the regular file `source` (not a symbolic link) to the new file `destination`
    /// (`O_EXCL | O_NOFOLLOW`, mode 0644), 1 MiB at a time; returns an errno message on failure
    /// (the partial `destination` is left for the caller to remove).
    static func copy(_ source: String, to destination: String) -> String? {
        let input = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard input >= 0 else { return "open \(source): \(String(cString: strerror(errno)))" }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard output >= 0 else { return "open \(destination): \(String(cString: strerror(errno)))" }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return "read \(source): \(String(cString: strerror(errno)))"
            }
            if count == 0 { return nil }
            var written = 0
            while written < count {
                let n = buffer[written..<count].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return "write \(destination): \(String(cString: strerror(errno)))"
                }
                written += n
            }
        }
    }

    /// `rename(2)`: atomically replaces `destination`; returns an errno message on failure.
    static func rename(_ source: String, to destination: String) -> String? {
        Foundation.rename(source, destination) == 0 ? nil : "rename: \(String(cString: strerror(errno)))"
    }
}
