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
        let bytes = try encoded()
        let temporary = "\(path).tmp.\(getpid())"
        func fail(_ step: String) -> PNGError {
            PNGError(operation: "write file", path: path, message: "\(step): \(String(cString: strerror(errno)))")
        }
        unlink(temporary)  // a stale temporary, or a planted symbolic link: never write through it
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fail("open \(temporary)") }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let error = fail("write")
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        if fsync(descriptor) != 0 {
            let error = fail("fsync")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = fail("rename")
            unlink(temporary)
            throw error
        }
        let directory = (path as NSString).deletingLastPathComponent
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            defer { close(directoryDescriptor) }
            if fsync(directoryDescriptor) != 0 { throw fail("fsync directory") }
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
        func fail(_ step: String) -> PNGError {
            PNGError(operation: "write file", path: path, message: "\(step): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw fail("open") }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let error = fail("write")
                close(descriptor)
                unlink(path)
                throw error
            }
            written += count
        }
        guard close(descriptor) == 0 else {
            let error = fail("close")
            unlink(path)
            throw error
        }
    }
}
