@testable import PNG
import XCTest

/// `Canvas.fillTile` (a tile row built once and copied) against `fillBlock` per cell.
final class GridCanvasTests: XCTestCase {
    func testFillTileDrawsTheBlocksOfFillBlock() {
        var state: UInt64 = 12345
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for (h, w, size, x, y) in [(1, 1, 1, 0, 0), (2, 3, 2, 1, 1), (24, 24, 4, 5, 9), (1, 120, 8, 1, 1), (7, 5, 3, 2, 0)] {
            let colors = (0..<(h * w)).map { _ in RGB(next(), next(), next()) }
            let width = x + w * size + 3, height = y + h * size + 2
            var reference = Canvas(width: width, height: height, background: Colormap.grayBorder)
            for row in 0..<h {
                for column in 0..<w {
                    reference.fillBlock(x: x + column * size, y: y + row * size, size: size, color: colors[row * w + column])
                }
            }
            var tiled = Canvas(width: width, height: height, background: Colormap.grayBorder)
            tiled.fillTile(x: x, y: y, colors: colors, height: h, width: w, size: size)
            XCTAssertEqual(tiled.pixels, reference.pixels, "\(h)×\(w) blocks of \(size) at (\(x), \(y))")
        }
    }
}
