import PNG
import XCTest

/// Golden pixels for a hand-made 3×2×3×3 layer drawn at factor 4.
///
/// Geometry (borders around and between tiles): tile 12×12 px, width = 1 + 2·13 = 27,
/// height = 1 + 3·13 = 40; cell (ky, kx) of kernel (o, i) covers
/// x = 1 + 13·i + 4·kx + [0, 4), y = 1 + 13·o + 4·ky + [0, 4).
final class KernelGridTests: XCTestCase {
    static let layer: [Float] = [
        // (0,0): a mixed kernel, max |v| = 2
        -2, -1, 0,
        1, 2, 0.5,
        -0.5, 0, 1,
        // (0,1): constant 0.3
        0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
        // (1,0): tiny values within ±1e-2 (−0.01 … 0.01 in steps of 0.0025)
        -0.01, -0.0075, -0.005,
        -0.0025, 0, 0.0025,
        0.005, 0.0075, 0.01,
        // (1,1): the layer's max |v| = 8, and non-finite values
        8, -8, 4,
        .nan, .infinity, 0,
        -4, 2, 1,
        // (2,0): all zero
        0, 0, 0, 0, 0, 0, 0, 0, 0,
        // (2,1): constant −1
        -1, -1, -1, -1, -1, -1, -1, -1, -1,
    ]
    static let shape = [3, 2, 3, 3]

    private func render(_ scaling: KernelGridOptions.Scaling, _ coloring: KernelGridOptions.Coloring = .diverging) -> PNGImage {
        KernelGrid.image(weights: Self.layer, shape: Self.shape,
                         options: KernelGridOptions(factor: 4, scaling: scaling, coloring: coloring))
    }

    /// Checks all 16 pixels of one upscaled cell.
    private func assertCell(_ image: PNGImage, _ o: Int, _ i: Int, _ ky: Int, _ kx: Int, _ expected: [UInt8],
                            file: StaticString = #filePath, line: UInt = #line) {
        let x0 = 1 + 13 * i + 4 * kx, y0 = 1 + 13 * o + 4 * ky
        for y in y0..<(y0 + 4) {
            for x in x0..<(x0 + 4) {
                XCTAssertEqual(image[x, y], expected, "kernel (\(o),\(i)) cell (\(ky),\(kx)) pixel (\(x),\(y))", file: file, line: line)
            }
        }
    }

    private func assertBorders(_ image: PNGImage, _ color: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        for x in 0..<27 {
            for y in [0, 13, 26, 39] { XCTAssertEqual(image[x, y], color, "(\(x),\(y))", file: file, line: line) }
        }
        for y in 0..<40 {
            for x in [0, 13, 26] { XCTAssertEqual(image[x, y], color, "(\(x),\(y))", file: file, line: line) }
        }
    }

    func testSizeFormula() {
        XCTAssertTrue(KernelGrid.size(shape: [6, 1, 5, 5]) == (42, 247))
        XCTAssertTrue(KernelGrid.size(shape: [16, 6, 5, 5]) == (247, 657))
        XCTAssertTrue(KernelGrid.size(shape: [2, 3, 1, 2], factor: 1) == (10, 5))
        let image = KernelGrid.image(weights: [Float](repeating: 1, count: 150), shape: [6, 1, 5, 5])
        XCTAssertEqual([image.width, image.height, image.channels], [42, 247, 3])
    }

    func testPerKernelDivergingGolden() {
        let image = render(.perKernel)
        XCTAssertEqual([image.width, image.height, image.channels], [27, 40, 3])
        assertBorders(image, [0, 0, 0])
        // (0,0): t = v / 2.
        assertCell(image, 0, 0, 0, 0, [0, 0, 255])       // −2 → pure blue
        assertCell(image, 0, 0, 0, 1, [128, 128, 255])   // −1 → t −0.5, round(127.5) = 128
        assertCell(image, 0, 0, 0, 2, [255, 255, 255])   // 0 → white
        assertCell(image, 0, 0, 1, 1, [255, 0, 0])       // 2 → pure red
        assertCell(image, 0, 0, 1, 2, [255, 191, 191])   // 0.5 → t 0.25, round(191.25)
        // (0,1): constant → white, not NaN.
        for ky in 0..<3 { for kx in 0..<3 { assertCell(image, 0, 1, ky, kx, [255, 255, 255]) } }
        // (1,0): values within ±1e-2 span the whole map.
        assertCell(image, 1, 0, 2, 2, [255, 0, 0])       // +0.01 → pure red
        assertCell(image, 1, 0, 0, 0, [0, 0, 255])       // −0.01 → pure blue
        assertCell(image, 1, 0, 0, 1, [64, 64, 255])     // −0.0075 → t −0.75, round(63.75)
        assertCell(image, 1, 0, 1, 2, [255, 191, 191])   // +0.0025 → t 0.25
        assertCell(image, 1, 0, 1, 1, [255, 255, 255])   // 0
        // (1,1): NaN and +∞ green, ignored by the scale 8.
        assertCell(image, 1, 1, 0, 0, [255, 0, 0])
        assertCell(image, 1, 1, 0, 1, [0, 0, 255])
        assertCell(image, 1, 1, 0, 2, [255, 128, 128])   // 4 → t 0.5, round(127.5) = 128
        assertCell(image, 1, 1, 1, 0, [0, 255, 0])       // NaN
        assertCell(image, 1, 1, 1, 1, [0, 255, 0])       // +∞
        assertCell(image, 1, 1, 2, 1, [255, 191, 191])   // 2 → t 0.25
        // (2,0) zero and (2,1) constant −1 → white.
        assertCell(image, 2, 0, 1, 1, [255, 255, 255])
        assertCell(image, 2, 1, 2, 2, [255, 255, 255])
    }

    func testGlobalDivergingGolden() {
        let image = render(.global)
        assertBorders(image, [0, 0, 0])
        // Every kernel divided by the layer's max |v| = 8 (NaN and ∞ ignored).
        assertCell(image, 0, 0, 0, 0, [191, 191, 255])   // −2 → t −0.25
        assertCell(image, 0, 0, 1, 1, [255, 191, 191])   // 2 → t 0.25
        assertCell(image, 0, 1, 0, 0, [255, 245, 245])   // constant 0.3 keeps its value: t 0.0375, round(245.44)
        assertCell(image, 1, 0, 2, 2, [255, 255, 255])   // +0.01: round(254.68) = 255, washed out
        assertCell(image, 1, 1, 0, 0, [255, 0, 0])
        assertCell(image, 1, 1, 0, 1, [0, 0, 255])
        assertCell(image, 1, 1, 1, 0, [0, 255, 0])
        assertCell(image, 2, 0, 0, 0, [255, 255, 255])
        assertCell(image, 2, 1, 0, 0, [223, 223, 255])   // −1 → t −0.125, round(223.125)
    }

    func testPerKernelGrayscaleGolden() {
        let image = render(.perKernel, .grayscale)
        assertBorders(image, [0, 96, 192])
        assertCell(image, 0, 0, 0, 0, [0, 0, 0])         // −max → black
        assertCell(image, 0, 0, 0, 1, [64, 64, 64])      // t −0.5 → round(63.75)
        assertCell(image, 0, 0, 0, 2, [128, 128, 128])   // 0 → mid-gray
        assertCell(image, 0, 0, 1, 1, [255, 255, 255])   // +max → white
        assertCell(image, 0, 1, 1, 1, [128, 128, 128])   // constant → mid-gray
        assertCell(image, 1, 0, 0, 0, [0, 0, 0])
        assertCell(image, 1, 0, 2, 2, [255, 255, 255])
        assertCell(image, 1, 1, 1, 0, [0, 255, 0])       // NaN still green
        assertCell(image, 2, 0, 0, 0, [128, 128, 128])
        assertCell(image, 2, 1, 0, 0, [128, 128, 128])
    }

    func testGlobalGrayscaleGolden() {
        let image = render(.global, .grayscale)
        assertCell(image, 0, 0, 0, 0, [96, 96, 96])      // t −0.25 → round(95.625)
        assertCell(image, 2, 1, 0, 0, [112, 112, 112])   // t −0.125 → round(111.5625)
        assertCell(image, 1, 1, 0, 0, [255, 255, 255])
        assertCell(image, 1, 1, 0, 1, [0, 0, 0])
    }

    func testAllNonFiniteKernelDoesNotCrashAndIsGreen() {
        let image = KernelGrid.image(weights: [.nan, -.infinity], shape: [1, 1, 1, 2],
                                     options: KernelGridOptions(factor: 1))
        XCTAssertEqual(image.pixels, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                      0, 0, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0,
                                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }
}
