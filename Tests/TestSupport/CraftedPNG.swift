// PNG files built byte by byte, independently of libpng: for decoder limits and hostile files.

/// A PNG byte stream assembled from chunks (signature, IHDR, IDAT, IEND), each with its CRC-32.
public enum CraftedPNG {
    /// The 8-byte PNG signature.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG whose IHDR claims `width` × `height` 8-bit pixels of `colorType` (0 gray, 2 RGB),
    /// followed by one IDAT of `idat` and IEND. `idat` need not be a valid zlib stream: a
    /// decoder reads the header before the image data.
    public static func file(width: UInt32, height: UInt32, colorType: UInt8, idat: [UInt8]) -> [UInt8] {
        let ihdr = bigEndian(width) + bigEndian(height) + [8, colorType, 0, 0, 0]
        return signature + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
    }

    /// The tester's file: exactly 100 bytes whose header claims 1,000,000 × 1,000,000 RGB pixels
    /// (3 TB decoded), with 43 bytes of IDAT that are not image data.
    public static var hugeHeader: [UInt8] {
        file(width: 1_000_000, height: 1_000_000, colorType: 2, idat: [0x78, 0x01] + [UInt8](repeating: 0, count: 41))
    }

    /// A valid `width` × `height` gray image whose IDAT is a zlib stream of one stored (not
    /// compressed) deflate block; row y, column x holds `pixel(x, y)`.
    /// - Precondition: at most 65,535 bytes of filtered rows ((width + 1) × height).
    public static func gray(width: Int, height: Int, pixel: (Int, Int) -> UInt8) -> [UInt8] {
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)   // filter type None
            for x in 0..<width { raw.append(pixel(x, y)) }
        }
        precondition(raw.count <= 0xFFFF, "CraftedPNG.gray: one stored block holds at most 65,535 bytes")
        let length = UInt16(raw.count)
        var zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        zlib += raw + bigEndian(adler32(raw))
        return file(width: UInt32(width), height: UInt32(height), colorType: 0, idat: zlib)
    }

    /// length, type, data, CRC-32 of type and data.
    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    /// CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), as
    /// PNG chunks and zlib's `crc32` use; crc32("123456789") = 0xCBF43926.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Adler-32 (zlib's trailer); adler32("Wikipedia") = 0x11E60398.
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
