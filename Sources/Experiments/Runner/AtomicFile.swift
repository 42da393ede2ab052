// Whole-file atomic writes for small text files (config.json, status.json, sweep.json, lock).
//
// SPEC.md "HDF5 files": written whole to a temporary name in the same directory, flushed,
// fsynced and renamed over the old one, so a reader never sees a half-written file.

import Foundation
import HDF5

/// Errors writing results files; they name the path and say what to do.
public struct ResultsWriteError: Error, CustomStringConvertible, LocalizedError {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
    public var errorDescription: String? { description }
}

/// Atomic writes of whole files.
public enum AtomicFile {
    /// Writes `text` to `path` through `path.tmp.<pid>`, fsync and rename. With `commits`, the
    /// fsync, rename and fsync of the directory run later on that queue, whose `wait()` then
    /// throws their failure (a pending step writing `path` is waited for first).
    /// - Throws: `ResultsWriteError` naming the path (the old file, if any, is left intact).
    public static func write(_ text: String, to path: String, commits: CommitQueue? = nil) throws {
        try commits?.settle(path)
        let temporary = "\(path).tmp.\(getpid())"
        unlink(temporary)  // a stale temporary, or a planted symbolic link: never write through it
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ResultsWriteError(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw ResultsWriteError(path: path, reason: reason)
            }
            written += n
        }
        let finish = {
            if fsync(fd) != 0 || close(fd) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw ResultsWriteError(path: path, reason: reason)
            }
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw ResultsWriteError(path: path, reason: reason)
            }
            syncDirectory(of: path)
        }
        try CommitQueue.finish(path, on: commits, commit: finish, abandon: { close(fd); unlink(temporary) })
    }

    static func syncDirectory(of path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Creates `path` and its parents as real directories.
    ///
    /// - Parameter root: the directory the user named (`--results`): it and its ancestors may be
    ///   symbolic links (a results folder linked to a scratch disk is common on clusters); the
    ///   components below it may not.
    /// - Throws: `ResultsWriteError` when a component exists as a file, or below `root` as a
    ///   symbolic link (results never follow links out of the results directory).
    public static func createDirectory(_ path: String, under root: String) throws {
        var isDirectory: ObjCBool = false
        var current = path.hasPrefix("/") ? "/" : ""
        let trusted = root.split(separator: "/").count
        for (depth, component) in path.split(separator: "/").enumerated() {
            current = current.isEmpty || current == "/" ? current + component : current + "/" + component
            if depth >= trusted, let attributes = try? FileManager.default.attributesOfItem(atPath: current),
               attributes[.type] as? FileAttributeType == .typeSymbolicLink {
                throw ResultsWriteError(path: current, reason: "is a symbolic link; results are only written into real directories")
            }
            if FileManager.default.fileExists(atPath: current, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw ResultsWriteError(path: current, reason: "exists and is not a directory")
                }
                continue
            }
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw ResultsWriteError(path: current, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Removes the `<name>.tmp.<pid>` files and directories of other processes in `directory`
    /// (and below it when `recursive`, not following links): what a writer killed between
    /// creating its temporary and the rename left behind — a file's temporary, or an epoch's
    /// staging directory (`writeDirectory`) with everything in it. Links of that name are left
    /// alone. Call it only while holding the lock of `directory` (run or sweep), so no other
    /// process is writing there. Returns the paths removed.
    @discardableResult
    public static func removeStaleTemporaries(under directory: String, recursive: Bool = true) -> [String] {
        var removed: [String] = []
        let entries = recursive ? FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []
            : (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for relative in entries {
            let name = (relative as NSString).lastPathComponent
            guard let range = name.range(of: ".tmp.", options: .backwards),
                  let pid = Int32(name[range.upperBound...]), pid != getpid() else { continue }
            let path = directory + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                if unlink(path) == 0 { removed.append(path) }
            case S_IFDIR:
                if (try? removeTree(path)) != nil { removed.append(path) }
            default:
                continue
            }
        }
        return removed
    }

    /// The bytes of a small results file (status.json, config.json, lock, sweep.json): nil when
    /// it is missing, not a regular file (a link planted to /dev/zero or a FIFO would otherwise
    /// hang the reader or fill memory) or larger than `limit` bytes (default 64 MiB).
    public static func contents(ofSmallFile path: String, limit: Int = 64 << 20) -> Data? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= limit,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // `read(upToCount:)` gives nil at the end of the file: an empty file is empty data (a
        // damaged file for its reader), not an unreadable one.
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch { return nil }
        return data.count <= limit ? data : nil
    }

    /// True when `path` is a directory itself, not a symbolic link to one (lstat).
    public static func isRealDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
