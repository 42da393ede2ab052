import PNG
import XCTest

final class ActivationGridTests: XCTestCase {
    func testColumnsAreCeilingOfSquareRoot() {
        XCTAssertEqual([1, 2, 4, 5, 6, 9, 10, 16, 17, 120].map(ActivationGrid.columns(for:)), [1, 2, 2, 3, 3, 3, 4, 4, 5, 11])
    }

    /// 5 maps of 2×3 at factor 2: 3 columns, 2 rows, tiles 6×4 px;
    /// width = 1 + 3·7 = 22, height = 1 + 2·5 = 11; map c at x = 1 + 7·(c % 3), y = 1 + 5·(c / 3).
    func testGridGolden() {
        let maps: [Float] = [
            0, 1, 2, 3, 4, 5,                  // map 0: min 0, max 5
            7, 7, 7, 7, 7, 7,                  // map 1: constant → mid-gray
            -1, .nan, 1, 0, .infinity, -1,     // map 2: non-finite → green, min −1, max 1
            0, 0, 0, 0, 0, 0,                  // map 3: dead channel → mid-gray
            10, 20, 30, 40, 50, 60,            // map 4
        ]
        let image = ActivationGrid.image(maps: maps, shape: [5, 2, 3], factor: 2)
        XCTAssertEqual([image.width, image.height, image.channels], [22, 11, 3])
        func cell(_ map: Int, _ y: Int, _ x: Int) -> [UInt8] {
            let x0 = 1 + 7 * (map % 3) + 2 * x, y0 = 1 + 5 * (map / 3) + 2 * y
            let value = image[x0, y0]
            XCTAssertEqual(image[x0 + 1, y0 + 1], value, "block of map \(map) (\(y),\(x)) is uniform")
            return value
        }
        XCTAssertEqual(cell(0, 0, 0), [0, 0, 0])
        XCTAssertEqual(cell(0, 0, 2), [102, 102, 102])     // 2/5 · 255 = 102
        XCTAssertEqual(cell(0, 1, 2), [255, 255, 255])
        XCTAssertEqual(cell(1, 1, 1), [128, 128, 128])
        XCTAssertEqual(cell(2, 0, 0), [0, 0, 0])
        XCTAssertEqual(cell(2, 0, 1), [0, 255, 0])
        XCTAssertEqual(cell(2, 1, 0), [128, 128, 128])     // 0 in [−1, 1]: round(127.5)
        XCTAssertEqual(cell(2, 1, 1), [0, 255, 0])
        XCTAssertEqual(cell(3, 0, 0), [128, 128, 128])
        XCTAssertEqual(cell(4, 0, 1), [51, 51, 51])        // 10/50 · 255
        XCTAssertEqual(image[0, 0], [0, 96, 192])          // border
        XCTAssertEqual(image[7, 3], [0, 96, 192])          // between maps 0 and 1
        XCTAssertEqual(image[16, 8], [0, 96, 192])         // the unused sixth cell
    }

    func testVectorStripCellsAreAtLeastEightPixels() {
        let values: [Float] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        let strip = ActivationGrid.strip(values: values, factor: 2)
        XCTAssertEqual([strip.width, strip.height], [82, 10])  // 2 + 10·8, 2 + 8
        XCTAssertEqual(strip[1, 1], [0, 0, 0])
        XCTAssertEqual(strip[1 + 8 * 9 + 7, 8], [255, 255, 255])
        XCTAssertEqual(strip[1 + 8 * 3, 4], [85, 85, 85])      // 3/9 · 255
        XCTAssertEqual(strip[0, 4], [0, 96, 192])
        XCTAssertEqual(ActivationGrid.strip(values: [1, 2], factor: 12).width, 2 + 2 * 12)
    }

    func testInputImageIsPlainGrayMinMaxScaled() {
        let image = ActivationGrid.grayImage(values: [-1, 0, 3, 1, 2, .nan], height: 2, width: 3, factor: 3)
        XCTAssertEqual([image.width, image.height, image.channels], [9, 6, 1])
        XCTAssertEqual(image[0, 0], [0])
        XCTAssertEqual(image[2, 2], [0])
        XCTAssertEqual(image[3, 0], [64])     // 0 in [−1, 3]: 63.75
        XCTAssertEqual(image[8, 2], [255])
        XCTAssertEqual(image[4, 5], [191])    // 2 in [−1, 3]: 191.25
        XCTAssertEqual(image[8, 5], [0])      // NaN → black
        let constant = ActivationGrid.grayImage(values: [5, 5, 5, 5], height: 2, width: 2, factor: 1)
        XCTAssertEqual(constant.pixels, [128, 128, 128, 128])
    }
}
