// gzip decompression through zlib (RFC 1952 framing, RFC 1951 deflate): inflate with
// windowBits 16 + MAX_WBITS, streamed in fixed-size chunks so that memory grows only with
// data that really arrives. Source: zlib manual, inflateInit2 / inflate.

import CZlib

/// gzip helpers over zlib. Only one gzip member is read (as in every IDX distribution).
enum Gzip {
    /// The size of the output chunk handed to the sink.
    static let chunkSize = 1 << 18

    /// Whether `bytes` start with the gzip magic 1f 8b.
    static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The ISIZE trailer: the uncompressed size modulo 2³², little-endian in the last 4 bytes.
    static func trailerSize(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard bytes.count >= 18 else { return nil }
        let n = bytes.count
        return UInt32(bytes[n - 4]) | UInt32(bytes[n - 3]) << 8 | UInt32(bytes[n - 2]) << 16 | UInt32(bytes[n - 1]) << 24
    }

    /// Inflates the gzip stream `input`, handing each chunk of output (≤ `chunkSize` bytes) to
    /// `sink` in order, until the stream ends.
    /// - Throws: `DatasetError.truncated` when the input ends before the stream does,
    ///   `.corruptGzip` on a deflate or CRC error, and whatever `sink` throws.
    static func inflate(_ input: UnsafeRawBufferPointer, path: String,
                        sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var stream = z_stream()
        guard exp_inflate_init2(&stream, 16 + MAX_WBITS) == Z_OK else {
            throw DatasetError.corruptGzip(path: path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
        stream.avail_in = UInt32(input.count)  // IDX files are far below 4 GiB compressed
        while true {
            stream.next_out = chunk
            stream.avail_out = UInt32(chunkSize)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = chunkSize - Int(stream.avail_out)
            if produced > 0 { try sink(UnsafeRawBufferPointer(start: chunk, count: produced)) }
            switch status {
            case Z_STREAM_END:
                return
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw DatasetError.truncated(
                    path: path, detail: "the gzip stream ends early, after \(stream.total_out) decompressed bytes")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DatasetError.corruptGzip(path: path, reason: message)
            }
        }
    }

    /// `bytes` compressed as one gzip member (level 6). Used to write fixtures.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        var input = bytes
        let written: Int = input.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = UInt32(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = UInt32(dst.count)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate did not finish: \(result)")
                return dst.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }
}
