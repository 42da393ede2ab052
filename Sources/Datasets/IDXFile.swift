// The IDX format of LeCun et al. (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
// 0x00 0x00 <type> <rank>, then `rank` big-endian UInt32 dimensions, then the elements in
// row-major order. Only type 0x08 (unsigned byte) is read. Files may be raw or gzip.
//
// Implementation goals, in order of priority: never crash or allocate on a lying header (the
// header is checked against the real size before any large allocation; gzip output is stored
// only as it really arrives); clear errors; speed (one pass: inflate and hash together).

import Foundation

/// One IDX file of unsigned bytes, read and checked: its dimensions, its data and its checksums.
public struct IDXFile: Sendable {
    /// The magic of an IDX images file (unsigned bytes, rank 3: n×r×r), 2051.
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// The magic of an IDX labels file (unsigned bytes, rank 1: n), 2049.
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The path read.
    public let path: String
    /// The magic number (0x000008RR, RR = rank).
    public let magic: UInt32
    /// The extents, outermost first (e.g. [60000, 28, 28]).
    public let dimensions: [Int]
    /// The elements, row-major; `data.count == dimensions.reduce(1, *)`.
    public let data: [UInt8]
    /// Whether the file was gzip-compressed.
    public let compressed: Bool
    /// SHA-256 of the file's bytes as stored (the .gz itself when compressed), 64 hex digits.
    public let fileSHA256: String
    /// SHA-256 of the uncompressed IDX bytes (header and data), 64 hex digits; equal to
    /// `fileSHA256` for a raw file. Known datasets are verified against this value, so a
    /// recompressed copy (e.g. Debian's) verifies as well as the original .gz.
    public let contentSHA256: String

    /// Reads and checks the IDX file at `path` (raw, or gzip detected by its magic 1f 8b).
    /// - Parameter expectedMagic: `imagesMagic`, `labelsMagic`, or nil for any unsigned-byte rank.
    /// - Throws: `DatasetError` `.fileNotFound`, `.unreadable`, `.wrongMagic`, `.truncated`,
    ///   `.headerClaimsMore`, `.trailingData`, `.corruptGzip`.
    public static func read(path: String, expectedMagic: UInt32? = nil) throws -> IDXFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw DatasetError.unreadable(path: path, reason: "it is a directory") }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) } catch {
            throw DatasetError.unreadable(path: path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }
        do {
            let size = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            let start = try handle.read(upToCount: 2) ?? Data()
            try handle.seek(toOffset: 0)
            if start.count == 2 && start[start.startIndex] == 0x1f && start[start.startIndex + 1] == 0x8b {
                let bytes = try handle.readToEnd() ?? Data()
                return try bytes.withUnsafeBytes { try readGzip($0, path: path, expectedMagic: expectedMagic) }
            }
            return try readRaw(handle, size: size, path: path, expectedMagic: expectedMagic)
        } catch let error as DatasetError {
            throw error
        } catch {
            throw DatasetError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    private static func readRaw(_ handle: FileHandle, size: Int, path: String,
                                expectedMagic: UInt32?) throws -> IDXFile {
        let prefix = [UInt8](try handle.read(upToCount: 4) ?? Data())
        var header = IDXHeaderParser(path: path, expectedMagic: expectedMagic)
        try header.consume(prefix)
        guard let rank = header.rank else { throw header.endedEarly(total: size) }
        try header.consume([UInt8](try handle.read(upToCount: 4 * rank) ?? Data()))
        guard let dims = header.dimensions, let claimed = header.dataCount else { throw header.endedEarly(total: size) }
        let actual = size - header.headerLength
        if claimed > actual {
            throw DatasetError.headerClaimsMore(path: path, dimensions: dims, claimedBytes: claimed, actualBytes: actual)
        }
        if claimed < actual {
            throw DatasetError.trailingData(path: path, dimensions: dims, claimedBytes: claimed, actualBytes: actual)
        }
        let data = [UInt8](try handle.readToEnd() ?? Data())
        guard data.count == claimed else {
            throw DatasetError.truncated(path: path, detail: "read \(data.count) of \(claimed) data bytes")
        }
        let hasher = SHA256Hasher()
        hasher.update(header.bytes)
        hasher.update(data)
        let sha = hasher.finalize()
        return IDXFile(path: path, magic: header.magic!, dimensions: dims, data: data, compressed: false,
                       fileSHA256: sha, contentSHA256: sha)
    }

    private static func readGzip(_ input: UnsafeRawBufferPointer, path: String,
                                 expectedMagic: UInt32?) throws -> IDXFile {
        var header = IDXHeaderParser(path: path, expectedMagic: expectedMagic)
        let content = SHA256Hasher()
        var data: [UInt8] = []
        var claimed = -1, extra = 0, total = 0
        try Gzip.inflate(input, path: path) { chunk in
            content.update(chunk)
            total += chunk.count
            var rest = chunk[...]
            if claimed < 0 {
                let taken = header.consume(rest)
                rest = rest.dropFirst(taken)
                try header.check()
                guard let count = header.dataCount else { return }
                claimed = count
                // Reserve only when the gzip trailer and a plausible deflate ratio (≤ 1032:1)
                // agree with the header; otherwise the array grows with the data that arrives.
                let (expectedTotal, overflow) = header.headerLength.addingReportingOverflow(count)
                if !overflow, let isize = Gzip.trailerSize(input), isize == UInt32(truncatingIfNeeded: expectedTotal),
                   count / 1032 <= input.count {
                    data.reserveCapacity(count)
                }
            }
            let room = claimed - data.count
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest.prefix(room)))
            extra += max(0, rest.count - room)
        }
        guard let dims = header.dimensions, claimed >= 0 else { throw header.endedEarly(total: total) }
        if data.count < claimed {
            throw DatasetError.headerClaimsMore(path: path, dimensions: dims, claimedBytes: claimed, actualBytes: data.count)
        }
        if extra > 0 {
            throw DatasetError.trailingData(path: path, dimensions: dims, claimedBytes: claimed,
                                            actualBytes: claimed + extra)
        }
        return IDXFile(path: path, magic: header.magic!, dimensions: dims, data: data, compressed: true,
                       fileSHA256: SHA256Hasher.hash(input), contentSHA256: content.finalize())
    }
}
