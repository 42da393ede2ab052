// Writing inside --out only: no `..`, no absolute paths, no symbolic links followed.

import Foundation

/// A directory that files are written into by relative path, never outside it.
///
/// Relative paths must consist of plain components (no empty, `.` or `..` component, no
/// leading `/`). Every directory on the way below the root must be a real directory, not a
/// symbolic link (checked with `lstat`), or be created. Files are written to a temporary name
/// in their directory and renamed over the target, so a symbolic link at the target is
/// replaced, never followed. A file whose bytes are already the same is left untouched.
struct OutputDirectory {
    let root: String

    /// Checks `root`: created when missing; an error when it exists and is not a directory.
    init(root: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ReportError(path: root, "exists and is not a directory") }
        }
        self.root = root
    }

    /// Whether `path` is a plain relative path.
    static func isPlainRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// Writes `bytes` to root/`relative`.
    /// - Throws: ``ReportError`` for a path that is not plain, a symbolic link or non-directory
    ///   on the way, or a failed write.
    func write(_ bytes: [UInt8], to relative: String) throws {
        guard Self.isPlainRelativePath(relative) else { throw ReportError(path: relative, "refusing to write outside the output directory") }
        let directory = try prepare(relative.split(separator: "/").dropLast().joined(separator: "/"))
        let target = root + "/" + relative
        if Self.isRegularFile(target), FileManager.default.contents(atPath: target).map(Array.init) == bytes { return }
        let temporary = "\(directory)/.\(relative.split(separator: "/").last!).tmp.\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw ReportError(path: temporary, "cannot write the file")
        }
        guard rename(temporary, target) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw ReportError(path: target, "cannot rename into place: \(message)")
        }
    }

    /// Creates root/`relativeDirectory` ("" = the root) and every directory on the way, or
    /// checks that they are real directories; returns its path. Used before writing anything,
    /// so that a refused directory leaves no files behind.
    /// - Throws: ``ReportError`` for a path that is not plain, or a symbolic link or non-directory on the way.
    @discardableResult
    func prepare(_ relativeDirectory: String) throws -> String {
        guard relativeDirectory.isEmpty || Self.isPlainRelativePath(relativeDirectory) else {
            throw ReportError(path: relativeDirectory, "refusing to write outside the output directory")
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var directory = root
        for component in relativeDirectory.split(separator: "/") {
            directory += "/" + component
            try ensureRealDirectory(directory)
        }
        return directory
    }

    /// Removes regular files and symbolic links in root/`relativeDirectory` (not below it) whose
    /// names are not in `keep` and end in one of `extensions`; a missing directory is fine.
    func removeStale(in relativeDirectory: String, keep: Set<String>, extensions: [String]) throws {
        guard Self.isPlainRelativePath(relativeDirectory) else { return }
        let directory = root + "/" + relativeDirectory
        guard Self.isRealDirectory(directory) else { return }
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            where !keep.contains(name) && extensions.contains(where: { name.hasSuffix($0) }) {
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            if type == S_IFREG || type == S_IFLNK { unlink(directory + "/" + name) }
        }
    }

    private func ensureRealDirectory(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard mkdir(path, 0o755) == 0 || (errno == EEXIST && Self.isRealDirectory(path)) else {
                throw ReportError(path: path, "cannot create the directory: \(String(cString: strerror(errno)))")
            }
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ReportError(path: path, info.st_mode & S_IFMT == S_IFLNK ? "is a symbolic link; refusing to follow it"
                              : "exists and is not a directory")
        }
    }

    static func isRealDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }
}
