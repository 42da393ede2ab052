import Foundation
import PNG
import TestSupport
import XCTest

/// Writes PNGs from formulas, then lets PIL decode them independently
/// (scripts/check_interop.py re-derives the pixels from the same formulas).
final class InteropTests: XCTestCase {
    func testPILDecodesWhatWeWrite() throws {
        let directory = NSTemporaryDirectory() + "exp-png-interop-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        var gray = [UInt8]()
        for y in 0..<7 { for x in 0..<13 { gray.append(UInt8((17 * x + 29 * y) % 256)) } }
        try PNGImage(width: 13, height: 7, channels: 1, pixels: gray).write(to: directory + "/interop_gray.png")

        var rgb = [UInt8]()
        for y in 0..<11 { for x in 0..<5 { rgb += [UInt8((40 * x) % 256), UInt8((20 * y) % 256), UInt8((10 * (x + y)) % 256)] } }
        try PNGImage(width: 5, height: 11, channels: 3, pixels: rgb).write(to: directory + "/interop_rgb.png")

        var weights = [Float]()
        for o in 0..<6 { for ky in 0..<5 { for kx in 0..<5 { weights.append(Float((5 * ky + kx - 12) * (o + 1))) } } }
        try KernelGrid.image(weights: weights, shape: [6, 1, 5, 5]).write(to: directory + "/interop_kernels.png")

        let result = try runInteropScript(on: directory)
        XCTAssertEqual(result.status, 0, result.output)
        for name in ["interop_gray.png", "interop_rgb.png", "interop_kernels.png"] {
            XCTAssertTrue(result.output.contains("ok \(name)"), result.output)
        }
    }
}
