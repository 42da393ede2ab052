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

    /// `rename(2)`: atomically replaces `destination`; returns an errno message on failure.
    static func rename(_ source: String, to destination: String) -> String? {
        Foundation.rename(source, destination) == 0 ? nil : "rename: \(String(cString: strerror(errno)))"
    }
}
