@testable import Datasets
import XCTest

/// The IDX reader on hand-made files, raw and gzip: good files and every kind of bad input.
final class IDXFileTests: XCTestCase {
    func testReadsRawAndGzipIdentically() throws {
        let dir = try FixtureDirectory()
        let bytes = FixtureDirectory.idx(dims: [2, 3, 3], data: FixtureDirectory.images(n: 2, r: 3))
        let raw = try IDXFile.read(path: try dir.write("a", bytes), expectedMagic: IDXFile.imagesMagic)
        let gz = try IDXFile.read(path: try dir.write("a.gz", bytes, gzip: true), expectedMagic: IDXFile.imagesMagic)
        XCTAssertEqual(raw.dimensions, [2, 3, 3])
        XCTAssertEqual(raw.data, [0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 17, 18, 19, 20, 21, 22, 23, 24])
        XCTAssertEqual(gz.data, raw.data)
        XCTAssertFalse(raw.compressed)
        XCTAssertTrue(gz.compressed)
        XCTAssertEqual(raw.contentSHA256, SHA256Hasher.hash(bytes))
        XCTAssertEqual(gz.contentSHA256, raw.contentSHA256)
        XCTAssertNotEqual(gz.fileSHA256, gz.contentSHA256)
    }

    func testAnyRank() throws {
        let dir = try FixtureDirectory()
        let p = try dir.write("r4.gz", FixtureDirectory.idx(dims: [2, 1, 2, 2], data: Array(0..<8)), gzip: true)
        let f = try IDXFile.read(path: p)
        XCTAssertEqual(f.magic, 0x0000_0804)
        XCTAssertEqual(f.dimensions, [2, 1, 2, 2])
        XCTAssertEqual(f.data, Array(0..<8))
    }

    func testSHA256KnownAnswer() {
        // FIPS 180-2 example "abc".
        XCTAssertEqual(SHA256Hasher.hash(Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Hasher.hash([UInt8]()),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testMissingFile() throws {
        let dir = try FixtureDirectory()
        assertDatasetError(try IDXFile.read(path: dir.path + "/nope.gz"), mentions: ["nope.gz", "not found"]) {
            if case .fileNotFound = $0 { return true } else { return false }
        }
        assertDatasetError(try IDXFile.read(path: dir.path), mentions: ["directory"]) {
            if case .unreadable = $0 { return true } else { return false }
        }
    }

    func testWrongMagic() throws {
        let dir = try FixtureDirectory()
        for gzip in [false, true] {
            // A labels file where images are expected (swapped files).
            let labels = try dir.write("labels\(gzip)", FixtureDirectory.idx(dims: [3], data: [0, 1, 2]), gzip: gzip)
            assertDatasetError(try IDXFile.read(path: labels, expectedMagic: IDXFile.imagesMagic),
                               mentions: [labels, "0x00000801", "expected 0x00000803", "swapped"]) {
                $0 == .wrongMagic(path: labels, expected: 0x803, actual: 0x801)
            }
            // Not IDX at all (e.g. an HTML error page), and a non-byte element type (0x0D float).
            let html = try dir.write("html\(gzip)", Array("<html>not found</html>".utf8), gzip: gzip)
            assertDatasetError(try IDXFile.read(path: html, expectedMagic: IDXFile.labelsMagic), mentions: [html]) {
                if case .wrongMagic(_, 0x801, 0x3c68_746d) = $0 { return true } else { return false }
            }
            let floats = try dir.write("f\(gzip)", FixtureDirectory.idx(dims: [1], data: [0, 0, 0, 0], magic: 0x0D01), gzip: gzip)
            assertDatasetError(try IDXFile.read(path: floats), mentions: ["0x00000d01"]) {
                if case .wrongMagic = $0 { return true } else { return false }
            }
        }
    }

    func testTruncated() throws {
        let dir = try FixtureDirectory()
        let full = FixtureDirectory.idx(dims: [2, 3, 3], data: FixtureDirectory.images(n: 2, r: 3))
        // Raw: ends inside the 16-byte header.
        let raw = try dir.write("cut", Array(full.prefix(10)))
        assertDatasetError(try IDXFile.read(path: raw), mentions: [raw, "truncated", "16-byte", "after 10 bytes"]) {
            if case .truncated = $0 { return true } else { return false }
        }
        let tiny = try dir.write("tiny", [0, 0])
        assertDatasetError(try IDXFile.read(path: tiny), mentions: [tiny, "truncated"]) {
            if case .truncated = $0 { return true } else { return false }
        }
        // gzip: the compressed stream is cut in half.
        let gz = Gzip.compress(full)
        let cutGz = try dir.write("cut.gz", Array(gz.prefix(gz.count / 2)))
        assertDatasetError(try IDXFile.read(path: cutGz), mentions: [cutGz, "truncated", "Download it again"]) {
            if case .truncated = $0 { return true } else { return false }
        }
    }

    func testHeaderClaimingBillionsFailsWithoutAllocating() throws {
        let dir = try FixtureDirectory()
        // 4,000,000,000 images of 28×28 claimed, 2 images' worth of bytes present.
        let bytes = FixtureDirectory.idx(dims: [4_000_000_000, 28, 28], data: [UInt8](repeating: 7, count: 2 * 784))
        for gzip in [false, true] {
            let p = try dir.write("huge\(gzip)", bytes, gzip: gzip)
            assertDatasetError(try IDXFile.read(path: p, expectedMagic: IDXFile.imagesMagic),
                               mentions: [p, "4000000000×28×28 = 3136000000000", "holds only 1568"]) {
                $0 == .headerClaimsMore(path: p, dimensions: [4_000_000_000, 28, 28],
                                        claimedBytes: 3_136_000_000_000, actualBytes: 1568)
            }
        }
        // A product that overflows Int is also refused.
        let overflow = try dir.write("overflow.gz", FixtureDirectory.idx(dims: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], data: [1]), gzip: true)
        assertDatasetError(try IDXFile.read(path: overflow), mentions: [overflow]) {
            if case .headerClaimsMore(_, _, Int.max, 1) = $0 { return true } else { return false }
        }
    }

    func testTrailingData() throws {
        let dir = try FixtureDirectory()
        let bytes = FixtureDirectory.idx(dims: [2], data: [1, 2, 3])
        for gzip in [false, true] {
            let p = try dir.write("long\(gzip)", bytes, gzip: gzip)
            assertDatasetError(try IDXFile.read(path: p), mentions: [p, "2 = 2 data bytes but the file holds 3"]) {
                $0 == .trailingData(path: p, dimensions: [2], claimedBytes: 2, actualBytes: 3)
            }
        }
    }

    func testCorruptGzip() throws {
        let dir = try FixtureDirectory()
        var gz = Gzip.compress(FixtureDirectory.idx(dims: [100], data: FixtureDirectory.labels(n: 100, classes: 10)))
        gz[gz.count - 6] ^= 0xff  // inside the CRC-32 trailer
        let p = try dir.write("crc.gz", gz)
        assertDatasetError(try IDXFile.read(path: p), mentions: [p, "gzip data is corrupt", "incorrect data check"]) {
            if case .corruptGzip = $0 { return true } else { return false }
        }
    }
}
