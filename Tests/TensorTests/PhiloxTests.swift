import Tensor
import XCTest

final class PhiloxTests: XCTestCase {
    /// Random123's published known-answer vectors for philox4x32-10 (kat_vectors).
    func testRandom123KnownAnswers() {
        let cases: [(Philox4x32.Block, (UInt32, UInt32), [UInt32])] = [
            ((0, 0, 0, 0), (0, 0), [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]),
            ((0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff), (0xffff_ffff, 0xffff_ffff),
             [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
            ((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), (0xa409_3822, 0x299f_31d0),
             [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
        ]
        for (counter, key, expected) in cases {
            let out = Philox4x32.block(counter: counter, key: key)
            XCTAssertEqual([out.0, out.1, out.2, out.3], expected)
        }
    }
}

import Foundation

/// PhiloxStream against an independent implementation: PyPI's randomgen, through the fixture
/// written by scripts/make_philox_fixture.py (384 words from 6 (seed, stream, block) starts,
/// up to the last block of the last stream).
final class PhiloxRandomgenTests: XCTestCase {
    func testStreamsMatchRandomgen() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/philox/randomgen.json")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try XCTUnwrap(json["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 6)
        for c in cases {
            let seed = try XCTUnwrap(UInt64(c["seed"] as? String ?? ""))
            let stream = try XCTUnwrap(UInt64(c["stream"] as? String ?? ""))
            let block = try XCTUnwrap(UInt64(c["block_index"] as? String ?? ""))
            let words = try XCTUnwrap(c["words"] as? [Int]).map { UInt32($0) }
            var rng = PhiloxStream(seed: seed, stream: stream, blockIndex: block)
            XCTAssertEqual((0..<words.count).map { _ in rng.nextUInt32() }, words, "seed \(seed) stream \(stream) block \(block)")
        }
    }

    /// The documented bit-to-number mapping on known words.
    func testFloatMappingsFollowTheDocumentation() {
        var a = PhiloxStream(seed: 0, stream: 0), b = PhiloxStream(seed: 0, stream: 0)
        let x0 = b.nextUInt32(), x1 = UInt64(b.nextUInt32()), x2 = UInt64(b.nextUInt32())
        XCTAssertEqual(a.nextFloat(), Float(x0 >> 8) * 0x1p-24)
        XCTAssertEqual(a.nextDouble(), Double((x2 << 32 | x1) >> 11) * 0x1p-53)
        var c = PhiloxStream(seed: 5, stream: 9)
        let normals = (0..<20_000).map { _ in c.nextNormal() }
        let mean = normals.reduce(0, +) / 20_000
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 19_999
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.03)
        var d = PhiloxStream(seed: 5, stream: 9)
        let p = d.permutation(100)
        XCTAssertEqual(p.sorted(), Array(0..<100))
        XCTAssertNotEqual(p, Array(0..<100))
    }
}
