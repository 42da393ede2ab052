import PNG
import TestSupport
import XCTest

/// `PNGImage.decode` refuses headers beyond `maximumDecodedPixels` before allocating: a
/// 100-byte file claiming 1,000,000 × 1,000,000 RGB pixels used to abort the process with
/// "failed to allocate 3000000000032 bytes".
final class DecodeLimitTests: XCTestCase {
    /// The hand-built files rest on these two checksums: the published check values.
    func testChecksumsMatchPublishedValues() {
        XCTAssertEqual(CraftedPNG.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CraftedPNG.crc32([]), 0)
        XCTAssertEqual(CraftedPNG.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        // IEND's CRC is fixed by the format: AE 42 60 82.
        XCTAssertEqual(Array(CraftedPNG.chunk("IEND", []).suffix(4)), [0xAE, 0x42, 0x60, 0x82])
    }

    /// A hand-built file is a valid PNG: libpng decodes it to the pixels written.
    func testHandBuiltGrayImageDecodes() throws {
        let bytes = CraftedPNG.gray(width: 3, height: 2) { x, y in UInt8(10 * x + 100 * y) }
        let image = try PNGImage.decode(bytes)
        XCTAssertEqual([image.width, image.height, image.channels], [3, 2, 1])
        XCTAssertEqual(image.pixels, [0, 10, 20, 100, 110, 120])
    }

    func testHugeHeaderIsRefusedBeforeAllocating() {
        let bytes = CraftedPNG.hugeHeader
        XCTAssertEqual(bytes.count, 100)
        XCTAssertEqual(Array(bytes[16..<24]), [0x00, 0x0F, 0x42, 0x40, 0x00, 0x0F, 0x42, 0x40])  // IHDR: 1,000,000 × 1,000,000
        XCTAssertThrowsError(try PNGImage.decode(bytes)) { error in
            XCTAssertEqual(error as? PNGError, PNGError(
                operation: "decode",
                message: "the header claims 1000000×1000000 pixels, more than the 67108864 (2^26) this decoder accepts"))
        }
    }

    /// The bound is on width × height: 8193 × 8192 is refused by the check, 8192 × 8192 passes
    /// it (and fails later in libpng only because its IDAT is not image data).
    func testBoundIsExactlyTwoToThe26Pixels() {
        XCTAssertEqual(PNGImage.maximumDecodedPixels, 67_108_864)
        let garbage = [UInt8](repeating: 0, count: 16)
        XCTAssertThrowsError(try PNGImage.decode(CraftedPNG.file(width: 8193, height: 8192, colorType: 0, idat: garbage))) {
            XCTAssertTrue(($0 as? PNGError)?.message.contains("claims 8193×8192 pixels") == true, "\($0)")
        }
        XCTAssertThrowsError(try PNGImage.decode(CraftedPNG.file(width: 8192, height: 8192, colorType: 0, idat: garbage))) {
            XCTAssertEqual(($0 as? PNGError)?.operation, "decode")
            XCTAssertFalse("\($0)".contains("this decoder accepts"), "\($0)")
        }
    }
}
