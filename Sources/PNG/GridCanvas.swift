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
        let count = width * height * 3
        pixels = [UInt8](unsafeUninitializedCapacity: count) { p, initialized in
            for start in stride(from: 0, to: count, by: 3) {
                p[start] = background.red
                p[start + 1] = background.green
                p[start + 2] = background.blue
            }
            initialized = count
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

    /// Draws an h×w array of colours (row-major), each as a `size × size` block, the block of
    /// colour (row, column) at (x + column·size, y + row·size): the pixels of `fillBlock` for
    /// every cell, written one tile row at a time (a row of pixels built once, copied `size`
    /// times).
    /// - Precondition: colors.count = h·w; the tile lies inside the canvas.
    mutating func fillTile(x: Int, y: Int, colors: [RGB], height h: Int, width w: Int, size: Int) {
        precondition(colors.count == h * w && x >= 0 && y >= 0 && x + w * size <= width && y + h * size <= height,
                     "tile of \(h)×\(w) blocks of \(size) at (\(x), \(y)) outside \(width)×\(height)")
        let lineBytes = w * size * 3, canvasWidth = width
        var line = [UInt8](repeating: 0, count: lineBytes)
        pixels.withUnsafeMutableBufferPointer { px in
            line.withUnsafeMutableBufferPointer { l in
                for row in 0..<h {
                    var o = 0
                    for column in 0..<w {
                        let c = colors[row * w + column]
                        for _ in 0..<size {
                            l[o] = c.red; l[o + 1] = c.green; l[o + 2] = c.blue
                            o += 3
                        }
                    }
                    for r in 0..<size {
                        let start = ((y + row * size + r) * canvasWidth + x) * 3
                        UnsafeMutableRawPointer(px.baseAddress! + start).copyMemory(from: l.baseAddress!, byteCount: lineBytes)
                    }
                }
            }
        }
    }

    var image: PNGImage { PNGImage(width: width, height: height, channels: 3, pixels: pixels) }
}
