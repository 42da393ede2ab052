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

    /// Checks `root` without creating anything: it must not be empty; each existing component
    /// must be a directory (symbolic links among them are followed: the user chose the path)
    /// and not a symbolic link to nothing; an existing root must be writable. Missing
    /// directories are created by `prepare`.
    /// - Throws: ``ReportError`` naming the path and the reason.
    init(root: String) throws {
        guard !root.isEmpty else {
            throw ReportError(path: root, "the output directory path is empty; give a directory, e.g. notebooks-md")
        }
        self.root = root
        if try walk(create: false), access(root, W_OK | X_OK) != 0 {
            throw ReportError(path: root, "cannot write into the directory: \(String(cString: strerror(errno)))")
        }
    }

    /// Goes down `root` component by component (`/a`, `/a/b`, …), following symbolic links as
    /// the user's path does. Returns whether `root` exists at the end; with `create`, makes the
    /// missing directories (mode 0755), else stops at the first missing one.
    /// - Throws: ``ReportError`` for a component that is not a directory, a symbolic link to
    ///   nothing, or that cannot be examined or created (with the system's reason).
    @discardableResult
    private func walk(create: Bool) throws -> Bool {
        let components = root.split(separator: "/")
        var path = root.hasPrefix("/") ? "/" : ""
        for (i, component) in components.enumerated() {
            path += (i == 0 ? "" : "/") + component
            let on = path == root || i == components.count - 1 ? "" : " (on the way to \(root))"
            var info = stat()
            if stat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else { throw ReportError(path: path, "exists and is not a directory\(on)") }
                continue
            }
            let reason = errno
            guard reason == ENOENT else {
                throw ReportError(path: path, "cannot examine the path\(on): \(String(cString: strerror(reason)))")
            }
            var link = stat()
            if lstat(path, &link) == 0 {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { " (\($0))" } ?? ""
                throw ReportError(path: path, "is a symbolic link to a missing target\(target)\(on); remove it or choose another output directory")
            }
            guard create else { return false }
            guard mkdir(path, 0o755) == 0 || (errno == EEXIST && Self.isDirectory(followingLinks: path)) else {
                throw ReportError(path: path, "cannot create the directory\(on): \(String(cString: strerror(errno)))")
            }
        }
        return true
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
        try Self.writeFile(bytes, to: temporary, target: target)
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
        try walk(create: true)
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
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ReportError(path: directory, "cannot list the directory: \(Self.reason(error))")
        }
        for name in names.sorted()
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

    /// Writes `bytes` to a new file `temporary` (mode 0644, replacing a leftover), for `target`.
    /// - Throws: ``ReportError`` naming `target` and the system's reason; no temporary is left.
    private static func writeFile(_ bytes: [UInt8], to temporary: String, target: String) throws {
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportError(path: target, "cannot write the file: \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let message = String(cString: strerror(written < 0 ? errno : EIO))
                close(fd)
                unlink(temporary)
                throw ReportError(path: target, "cannot write the file: \(message)")
            }
            offset += written
        }
        guard close(fd) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw ReportError(path: target, "cannot write the file: \(message)")
        }
    }

    /// The system's reason in a Foundation error (its POSIX error's text when it has one),
    /// without Foundation's domain and user-info dump.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }

    /// Whether `path` is a directory, following symbolic links.
    static func isDirectory(followingLinks path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
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
