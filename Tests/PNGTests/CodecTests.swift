import Foundation
import PNG
import XCTest

final class CodecTests: XCTestCase {
    private func gradient(width: Int, height: Int, channels: Int) -> PNGImage {
        let pixels = (0..<(width * height * channels)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 5) }
        return PNGImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    func testGrayRoundTrip() throws {
        let image = gradient(width: 13, height: 7, channels: 1)
        let bytes = try image.encoded()
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertEqual(bytes[25], 0, "IHDR colour type 0 = gray")
        XCTAssertEqual(bytes[24], 8, "bit depth 8")
        XCTAssertEqual(try PNGImage.decode(bytes), image)
    }

    func testRGBRoundTrip() throws {
        let image = gradient(width: 5, height: 11, channels: 3)
        let bytes = try image.encoded()
        XCTAssertEqual(bytes[25], 2, "IHDR colour type 2 = RGB")
        let back = try PNGImage.decode(bytes)
        XCTAssertEqual(back, image)
        XCTAssertEqual(back[4, 10], image[4, 10])
    }

    func testOnePixelAndEncodingIsDeterministic() throws {
        let image = PNGImage(width: 1, height: 1, filledWith: [1, 2, 3])
        XCTAssertEqual(try image.encoded(), try image.encoded())
        XCTAssertEqual(try PNGImage.decode(try image.encoded()).pixels, [1, 2, 3])
    }

    /// Incompressible pixels (the encoder's worst case: it encodes once into a buffer of
    /// libpng's upper bound) and a large flat image round-trip; equal images, equal bytes.
    func testIncompressibleAndLargeImagesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for channels in [1, 3] {
            let noise = PNGImage(width: 301, height: 97, channels: channels,
                                 pixels: (0..<(301 * 97 * channels)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let bytes = try noise.encoded()
            XCTAssertGreaterThan(bytes.count, 301 * 97 * channels, "random bytes do not compress")
            XCTAssertEqual(try PNGImage.decode(bytes), noise)
        }
        let flat = PNGImage(width: 2050, height: 600, filledWith: [10, 20, 30])
        XCTAssertEqual(try PNGImage.decode(try flat.encoded()), flat)
        XCTAssertEqual(try flat.encoded(), try flat.encoded())
    }

    func testDecodingGarbageThrowsLibpngMessage() {
        XCTAssertThrowsError(try PNGImage.decode(Array("definitely not a png".utf8))) { error in
            guard let png = error as? PNGError else { return XCTFail("\(error)") }
            XCTAssertEqual(png.operation, "decode")
            XCTAssertTrue(png.message.contains("Not a PNG file"), png.message)
        }
        XCTAssertThrowsError(try PNGImage.decode([])) { XCTAssertTrue($0 is PNGError) }
    }

    func testDecodingTruncatedOrCorruptDataThrows() throws {
        let bytes = try gradient(width: 64, height: 64, channels: 3).encoded()
        for length in [8, 20, 40, bytes.count / 2, bytes.count - 20] {
            XCTAssertThrowsError(try PNGImage.decode(Array(bytes.prefix(length))), "length \(length)") {
                XCTAssertTrue($0 is PNGError, "\($0)")
            }
        }
        // Without IEND (its last 12 bytes) libpng still decodes a complete image; cutting into IDAT fails.
        var corrupt = bytes
        corrupt[40] ^= 0xFF // inside IDAT: its CRC no longer matches
        XCTAssertThrowsError(try PNGImage.decode(corrupt)) { XCTAssertTrue($0 is PNGError, "\($0)") }
    }

    func testAtomicFileWriteAndRead() throws {
        let directory = NSTemporaryDirectory() + "exp-png-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/P0.png"
        let first = gradient(width: 9, height: 4, channels: 3)
        try first.write(to: path)
        XCTAssertEqual(try PNGImage.read(from: path), first)
        let second = gradient(width: 3, height: 3, channels: 1)
        try second.write(to: path)
        XCTAssertEqual(try PNGImage.read(from: path), second)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["P0.png"], "no temporary left")
        XCTAssertThrowsError(try first.write(to: directory + "/missing/dir.png")) { error in
            XCTAssertEqual((error as? PNGError)?.operation, "write file")
        }
        XCTAssertThrowsError(try PNGImage.read(from: directory + "/absent.png")) { error in
            XCTAssertEqual((error as? PNGError)?.operation, "read file")
        }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: directory + "/bad.png"))
        XCTAssertThrowsError(try PNGImage.read(from: directory + "/bad.png")) { error in
            XCTAssertEqual((error as? PNGError)?.path, directory + "/bad.png")
        }
    }
}
