import Foundation

extension PNGImage {
    /// Reads and decodes a PNG file; see `decode(_:)`.
    /// - Throws: `PNGError` ("read file") when the file cannot be read, ("decode") with the
    ///   path when it is not a valid PNG.
    public static func read(from path: String) throws -> PNGImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PNGError(operation: "read file", path: path, message: "cannot read the file")
        }
        do {
            return try decode([UInt8](data))
        } catch var error as PNGError {
            error.path = path
            throw error
        }
    }

    /// Encodes the image and writes it atomically: `<path>.tmp.<pid>` in the same directory,
    /// `write`, `fsync`, `rename(2)` over `path`, `fsync` of the directory. Readers see the old
    /// file or the new one, never a partial PNG; on failure the temporary is removed.
    /// - Throws: `PNGError` ("encode", or "write file" with the errno message).
    public func write(to path: String) throws {
        let temporary = "\(path).tmp.\(getpid())"
        unlink(temporary)  // a stale temporary, or a planted symbolic link: never write through it
        try Self.create(temporary, bytes: encoded(), synced: true, reportedAs: path)
        guard rename(temporary, path) == 0 else {
            let error = Self.failure("rename", path: path)
            unlink(temporary)
            throw error
        }
        let directory = (path as NSString).deletingLastPathComponent
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            defer { close(directoryDescriptor) }
            if fsync(directoryDescriptor) != 0 { throw Self.failure("fsync directory", path: path) }
        }
    }
}

extension PNGImage {
    /// Encodes the image and creates the new file `path` with it (`O_CREAT | O_EXCL |
    /// O_NOFOLLOW`: an existing file or link at `path` is an error, never replaced or followed),
    /// without a temporary name or an fsync: for files inside a staging directory that the
    /// caller makes durable and publishes as a whole (Experiments' `AtomicFile.writeDirectory`).
    /// On failure the partial file is removed.
    /// - Throws: `PNGError` ("encode", or "write file" with the errno message).
    public func write(toNewFile path: String) throws {
        try Self.write(encoded: encoded(), toNewFile: path)
    }

    /// Creates the new file `path` with PNG bytes already encoded (`encoded()`), as
    /// `write(toNewFile:)` does: `O_CREAT | O_EXCL | O_NOFOLLOW`, no fsync; on failure the
    /// partial file is removed.
    /// - Throws: `PNGError` ("write file" with the errno message).
    public static func write(encoded bytes: [UInt8], toNewFile path: String) throws {
        try create(path, bytes: bytes, synced: false, reportedAs: path)
    }

    /// Creates `file` (`O_CREAT | O_EXCL | O_NOFOLLOW`), writes `bytes`, fsyncs it when `synced`
    /// and closes it; on failure removes it and throws a `PNGError` naming `reportedAs` (the
    /// final path when `file` is its temporary) and the failed step with its errno message.
    private static func create(_ file: String, bytes: [UInt8], synced: Bool, reportedAs path: String) throws {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(file == path ? "open" : "open \(file)", path: path) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let error = failure("write", path: path)
                close(descriptor)
                unlink(file)
                throw error
            }
            written += count
        }
        if synced, fsync(descriptor) != 0 {
            let error = failure("fsync", path: path)
            close(descriptor)
            unlink(file)
            throw error
        }
        guard close(descriptor) == 0 else {
            let error = failure("close", path: path)
            unlink(file)
            throw error
        }
    }

    /// "write file" failure of `path` at `step`, with the current errno's message.
    static func failure(_ step: String, path: String) -> PNGError {
        PNGError(operation: "write file", path: path, message: "\(step): \(String(cString: strerror(errno)))")
    }
}
