/// The geometry shared by kernel and activation grids: `rows × columns` tiles of
/// `tileWidth × tileHeight` pixels, with one-pixel borders between tiles and around them.
///
/// ```
/// width  = 1 + columns · (tileWidth + 1)
/// height = 1 + rows · (tileHeight + 1)
/// tile (row, column) starts at x = 1 + column · (tileWidth + 1), y = 1 + row · (tileHeight + 1)
/// ```
struct GridLayout {
    let rows: Int
    let columns: Int
    let tileWidth: Int
    let tileHeight: Int

    var width: Int { 1 + columns * (tileWidth + 1) }
    var height: Int { 1 + rows * (tileHeight + 1) }

    func origin(row: Int, column: Int) -> (x: Int, y: Int) {
        (1 + column * (tileWidth + 1), 1 + row * (tileHeight + 1))
    }
}

/// An RGB pixel buffer filled with a background colour, drawn on in f×f blocks.
struct Canvas {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, background: RGB) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for start in stride(from: 0, to: pixels.count, by: 3) {
            pixels[start] = background.red
            pixels[start + 1] = background.green
            pixels[start + 2] = background.blue
        }
    }

    /// Fills the `size × size` block whose top-left pixel is (x, y).
    mutating func fillBlock(x: Int, y: Int, size: Int, color: RGB) {
        for row in y..<(y + size) {
            for column in x..<(x + size) {
                let start = (row * width + column) * 3
                pixels[start] = color.red
                pixels[start + 1] = color.green
                pixels[start + 2] = color.blue
            }
        }
    }

    var image: PNGImage { PNGImage(width: width, height: height, channels: 3, pixels: pixels) }
}
