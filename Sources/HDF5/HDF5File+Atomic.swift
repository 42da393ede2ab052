import Foundation

extension HDF5File {
    /// Writes a whole HDF5 file so that readers only ever see the previous complete file or
    /// the new complete file, never a partial one — even when the process is killed.
    ///
    /// Steps: create `<path>.tmp.<pid>` in the same directory (`H5Fcreate`, truncating a stale
    /// temporary of this process) → `body(file)` → `H5Fflush` → `H5Fclose` → `fsync` of the
    /// temporary → `rename(2)` over `path` → `fsync` of the directory. If `body` or any step
    /// throws, the temporary file is removed and the file at `path` is left untouched.
    ///
    /// A writer killed mid-way leaves its `<path>.tmp.<pid>` behind; readers never open it, and
    /// the next write by a process with the same pid truncates it
    /// (`removeStaleTemporaries(for:)` deletes those of dead processes).
    ///
    /// File locking: HDF5 ≥ 1.10 locks a file while it is open for writing
    /// (`HDF5_USE_FILE_LOCKING`). Only the temporary file is ever open for writing, and its
    /// name is private to this process, so readers of `path` never meet the lock and need no
    /// `HDF5_USE_FILE_LOCKING=FALSE`. A reader holding the old file open keeps reading the old
    /// (unlinked) inode.
    ///
    /// Not for two writers of the same path in one process at the same time (they would share
    /// the temporary name); serialize them.
    /// - Parameters:
    ///   - path: the final file path; its directory must exist.
    ///   - compressed: the new file's `compressesLargeDatasets` (default true: large datasets
    ///     chunked and deflated; false: all contiguous and uncompressed).
    ///   - commits: when given, the steps after `H5Fclose` (fsync, rename, fsync of the
    ///     directory) run later on that queue, and their failure is thrown by its next `wait()`;
    ///     a step of the queue still writing `path` is waited for first.
    ///   - body: fills the new file; must not close it.
    /// - Throws: what `body` throws; `HDF5Error` for HDF5 failures and for failed
    ///   `fsync`/`rename` (operation "commit file", errno message).
    public static func writeAtomically(to path: String, compressed: Bool = true, commits: CommitQueue? = nil,
                                       body: (HDF5File) throws -> Void) throws {
        try commit(path, commits: commits, body: body) { temporary in
            let file = try HDF5File.create(temporary)
            file.compressesLargeDatasets = compressed
            return file
        }
    }

    /// Changes an existing HDF5 file so that readers only ever see the previous complete file or
    /// the new complete file, without rewriting what it holds: for files that grow by appending
    /// (weights.h5 gains one snapshot per save; rewriting it whole recompressed every earlier
    /// snapshot, a cost that grew with each epoch).
    ///
    /// Steps: copy `path` byte for byte to `<path>.tmp.<pid>` (a stale temporary or a link of that
    /// name removed first; created `O_EXCL | O_NOFOLLOW`; `path` itself opened `O_NOFOLLOW`) →
    /// open the copy read-write (`H5Fopen`, `H5F_ACC_RDWR`) → `body(file)` → `H5Fflush` →
    /// `H5Fclose` → `fsync` of the copy → `rename(2)` over `path` → `fsync` of the directory.
    /// The objects already in the file keep their bytes; HDF5 may leave a few kB of unused space
    /// where it moved the root group's metadata. If `body` or any step throws, the temporary is
    /// removed and `path` is left untouched. Kills, locking and concurrency: as `writeAtomically`.
    /// - Parameters:
    ///   - path: an existing HDF5 file (not a symbolic link).
    ///   - compressed: `compressesLargeDatasets` for the datasets `body` adds (default true, as
    ///     `writeAtomically`); the datasets already in the file keep their storage.
    ///   - commits: as in `writeAtomically` (the copy reads `path` only after the queue's
    ///     step writing it has run).
    ///   - body: changes the copy; must not close it.
    /// - Throws: what `body` throws; `HDF5Error` ("copy file", with the errno message) when `path`
    ///   cannot be read or the copy written, ("open file") when it is not HDF5, and as
    ///   `writeAtomically` for the other steps.
    public static func updateAtomically(at path: String, compressed: Bool = true, commits: CommitQueue? = nil,
                                        body: (HDF5File) throws -> Void) throws {
        try commit(path, commits: commits, body: body) { temporary in
            if let failure = Durability.copy(path, to: temporary) {
                throw HDF5Error(operation: "copy file", file: path, messages: [failure])
            }
            let file = try HDF5File.open(temporary, mode: .readWrite)
            file.compressesLargeDatasets = compressed
            return file
        }
    }

    /// The steps `writeAtomically` and `updateAtomically` share: `start` makes the file at the
    /// temporary path, `body` fills it, then flush, close, fsync, rename over `path`, fsync of the
    /// directory (the last three on `commits` when given); on any failure the temporary is
    /// removed (and closed first if it was opened).
    private static func commit(_ path: String, commits: CommitQueue?, body: (HDF5File) throws -> Void,
                               start: (_ temporary: String) throws -> HDF5File) throws {
        try commits?.settle(path)
        let temporary = Durability.temporaryPath(for: path)
        do {
            let file = try start(temporary)
            do {
                try body(file)
                try file.flush()
                try file.close()
            } catch {
                try? file.close()
                throw error
            }
        } catch {
            unlink(temporary)
            throw error
        }
        let finish = {
            if let failure = Durability.syncFile(temporary) ?? Durability.rename(temporary, to: path) {
                unlink(temporary)
                throw HDF5Error(operation: "commit file", file: path, messages: [failure])
            }
            if let failure = Durability.syncDirectory(of: path) {
                throw HDF5Error(operation: "commit file", file: path, messages: [failure])
            }
        }
        try CommitQueue.finish(path, on: commits, commit: finish, abandon: { unlink(temporary) })
    }

    /// Deletes `<path>.tmp.<pid>` files left by writers that no longer run (`kill(pid, 0)`
    /// reports no such process). Returns the paths removed.
    @discardableResult
    public static func removeStaleTemporaries(for path: String) -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".tmp."
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        var removed: [String] = []
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                let full = directory.isEmpty ? entry : directory + "/" + entry
                if unlink(full) == 0 { removed.append(full) }
            }
        }
        return removed
    }
}
