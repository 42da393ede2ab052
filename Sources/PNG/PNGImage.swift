/// An 8-bit image in memory: gray (1 channel) or RGB (3 channels), rows top to bottom,
/// pixels left to right, channels interleaved (R, G, B). No alpha, no 16-bit samples.
public struct PNGImage: Equatable, Sendable {
    /// Width in pixels, ≥ 1.
    public let width: Int
    /// Height in pixels, ≥ 1.
    public let height: Int
    /// 1 (gray) or 3 (RGB).
    public let channels: Int
    /// `height × width × channels` samples, row-major; sample (y, x, c) is at
    /// `(y * width + x) * channels + c`.
    public var pixels: [UInt8]

    /// - Precondition: `width, height ≥ 1`, `channels` is 1 or 3, and
    ///   `pixels.count == width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width >= 1 && height >= 1, "PNGImage: size \(width)×\(height) must be at least 1×1")
        precondition(channels == 1 || channels == 3, "PNGImage: channels must be 1 or 3, not \(channels)")
        precondition(pixels.count == width * height * channels,
                     "PNGImage: \(pixels.count) samples for \(width)×\(height)×\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image filled with one colour (`value` has `channels` samples).
    /// - Precondition: as `init(width:height:channels:pixels:)`, and `value.count == channels`.
    public init(width: Int, height: Int, filledWith value: [UInt8]) {
        precondition(value.count == 1 || value.count == 3, "PNGImage: fill colour must have 1 or 3 samples")
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * value.count)
        for _ in 0..<(width * height) { pixels.append(contentsOf: value) }
        self.init(width: width, height: height, channels: value.count, pixels: pixels)
    }

    /// The samples of pixel (x, y): 1 for gray, 3 for RGB.
    /// - Precondition: `0 ≤ x < width`, `0 ≤ y < height`.
    public subscript(x: Int, y: Int) -> [UInt8] {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "PNGImage: pixel (\(x), \(y)) outside \(width)×\(height)")
            let start = (y * width + x) * channels
            return Array(pixels[start..<start + channels])
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "PNGImage: pixel (\(x), \(y)) outside \(width)×\(height)")
            precondition(newValue.count == channels, "PNGImage: \(newValue.count) samples for a \(channels)-channel pixel")
            let start = (y * width + x) * channels
            pixels.replaceSubrange(start..<start + channels, with: newValue)
        }
    }
}
