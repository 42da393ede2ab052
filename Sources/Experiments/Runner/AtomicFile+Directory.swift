// Whole directories published at once: an epoch's images (kernels/epoch_NNNN,
// activations/epoch_NNNN) are written into a staging directory next to their final name,
// made durable with one syncfs(2) and renamed into place, so a reader sees no epoch directory
// or a complete one, never a partial one (docs/RELIABILITY.md, docs/FORMAT.md "common rules").
//
// Why syncfs and not an fsync per file: 136 activation PNGs per epoch with tmp + fsync + rename
// + directory fsync each cost 0.18–0.21 s per epoch on this machine's disk (~0.6 ms per fsync);
// the same tree written without fsyncs and flushed with one syncfs takes 4–12 ms, against
// 26–36 ms for an fsync of every file and directory and 14–21 ms for sync_file_range + fsync
// (measured with a release build of the engine writing to the same disk). syncfs also writes
// other processes' dirty data on that file system; under a heavy writer it waits for them.

import CFileSystem
import Foundation
import HDF5

extension AtomicFile {
    /// The name a directory is staged under before `writeDirectory` publishes it:
    /// `<path>.tmp.<pid>`, in the same parent (so the rename stays on one file system). Killed
    /// writers leave such directories; `removeStaleTemporaries(under:)` removes them.
    public static func stagingPath(for path: String) -> String { "\(path).tmp.\(getpid())" }

    /// Writes the directory `path` whole: `body` fills an empty staging directory
    /// (`stagingPath(for:)`, created fresh: whatever was at that name — a leftover of this pid,
    /// a planted link — is removed without being followed); then one `syncfs(2)` makes its
    /// files and entries durable, a rename publishes it under `path` and an fsync of the parent
    /// makes the rename durable. An existing directory at `path` (an earlier attempt at the same
    /// epoch, before a resume) is swapped out atomically with `renameat2(RENAME_EXCHANGE)`
    /// (where the file system cannot exchange: renamed aside to `<path>.old.tmp.<pid>` first,
    /// so `path` is briefly missing, never partial) and then removed.
    ///
    /// Files in the staging directory need no fsync or temporary names of their own; create
    /// them with `O_EXCL | O_NOFOLLOW` (e.g. `PNGImage.write(toNewFile:)`).
    /// - Parameters:
    ///   - path: the directory to publish; its parent is created with `createDirectory(_:under:)`.
    ///   - root: the results directory the user named (see `createDirectory(_:under:)`).
    ///   - commits: when given, the syncfs, the rename and what follows run later on that queue,
    ///     whose `wait()` then throws their failure (a pending step publishing `path` is waited
    ///     for first).
    ///   - body: writes the contents into the staging directory it is given.
    /// - Throws: `ResultsWriteError` naming the path when the parent cannot be created (or is a
    ///   link below `root`), `path` exists as a link or a file, or a step fails; what `body`
    ///   throws. The staging directory is then removed and `path` left as it was.
    public static func writeDirectory(_ path: String, under root: String, commits: CommitQueue? = nil,
                                      body: (_ staging: String) throws -> Void) throws {
        try commits?.settle(path)
        try createDirectory((path as NSString).deletingLastPathComponent, under: root)
        let staging = stagingPath(for: path)
        try removeTree(staging)
        guard mkdir(staging, 0o755) == 0 else { throw ResultsWriteError(path: staging, reason: errnoMessage("mkdir")) }
        do {
            try body(staging)
        } catch {
            try? removeTree(staging)
            throw error
        }
        let finish = {
            let replaced: String?
            do {
                try syncFileSystem(of: staging)
                replaced = try publish(staging, at: path)
            } catch {
                try? removeTree(staging)
                throw error
            }
            try syncParent(of: path)
            // The earlier directory, now under a temporary name: if it cannot be removed here, the
            // next process holding the run's lock does (`removeStaleTemporaries`).
            if let replaced { try? removeTree(replaced) }
        }
        try CommitQueue.finish(path, on: commits, commit: finish, abandon: { try? removeTree(staging) })
    }

    /// Renames the filled `staging` directory to `path`, swapping out a directory already there.
    /// Returns where the swapped-out directory now is (nil when there was none).
    static func publish(_ staging: String, at path: String) throws -> String? {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT else { throw ResultsWriteError(path: path, reason: errnoMessage("lstat")) }
            guard rename(staging, path) == 0 else { throw ResultsWriteError(path: path, reason: errnoMessage("rename")) }
            return nil
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            break
        case S_IFLNK:
            throw ResultsWriteError(path: path, reason: "is a symbolic link; results are only written into real directories")
        default:
            throw ResultsWriteError(path: path, reason: "exists and is not a directory")
        }
        if exchangeSupported {
            if exp_rename_exchange(staging, path) == 0 { return staging }
        } else {
            errno = EINVAL
        }
        guard errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP else {
            throw ResultsWriteError(path: path, reason: errnoMessage("renameat2 RENAME_EXCHANGE"))
        }
        let aside = "\(path).old.tmp.\(getpid())"
        try removeTree(aside)
        guard rename(path, aside) == 0 else { throw ResultsWriteError(path: path, reason: errnoMessage("rename aside")) }
        guard rename(staging, path) == 0 else {
            let reason = errnoMessage("rename")
            rename(aside, path)
            throw ResultsWriteError(path: path, reason: reason)
        }
        return aside
    }

    /// fsyncs the directory holding `path`, so that a rename into it survives a power loss.
    static func syncParent(of path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        let descriptor = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ResultsWriteError(path: parent, reason: errnoMessage("open")) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw ResultsWriteError(path: parent, reason: errnoMessage("fsync")) }
    }

    /// False makes `publish` take the rename-aside path as on a file system without
    /// `RENAME_EXCHANGE` (tests only).
    nonisolated(unsafe) static var exchangeSupported = true

    /// `syncfs(2)` on the file system holding `path`: its files, directories and their entries
    /// are on disk when it returns.
    static func syncFileSystem(of path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw ResultsWriteError(path: path, reason: errnoMessage("open")) }
        defer { close(descriptor) }
        guard exp_syncfs(descriptor) == 0 else { throw ResultsWriteError(path: path, reason: errnoMessage("syncfs")) }
    }

    /// Removes `path`: a real directory with everything below it, anything else (a file, a
    /// symbolic link) by unlinking it. Links are never followed. A missing path is fine.
    /// - Throws: `ResultsWriteError` naming what could not be removed.
    public static func removeTree(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw ResultsWriteError(path: path, reason: errnoMessage("lstat"))
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
                throw ResultsWriteError(path: path, reason: "cannot list the directory to remove it")
            }
            for name in names { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw ResultsWriteError(path: path, reason: errnoMessage("rmdir")) }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw ResultsWriteError(path: path, reason: errnoMessage("unlink")) }
        }
    }

    /// "`step`: <strerror(errno)>".
    static func errnoMessage(_ step: String) -> String { "\(step): \(String(cString: strerror(errno)))" }
}
