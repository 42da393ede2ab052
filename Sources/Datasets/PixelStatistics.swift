// Mean and standard deviation of 8-bit pixels in [0, 1] units, exactly, from a 256-bin
// histogram (accumulated in Int, reduced in Double in value order: independent of threads).

/// The population mean and standard deviation of pixels p/255.
public struct PixelStatistics: Sendable, Equatable, Codable {
    /// Mean of p/255 over all pixels.
    public let mean: Double
    /// Population standard deviation (divide by the pixel count) of p/255.
    public let std: Double
    /// The number of pixels.
    public let count: Int

    /// The statistics of `pixels` (bytes 0…255). Empty input gives mean 0, std 0.
    public init<C: Collection>(pixels: C) where C.Element == UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        let counted: Void? = pixels.withContiguousStorageIfAvailable { p in
            histogram.withUnsafeMutableBufferPointer { h in
                for v in p { h[Int(v)] += 1 }
            }
        }
        if counted == nil { for v in pixels { histogram[Int(v)] += 1 } }
        self.init(histogram: histogram)
    }

    /// The statistics of a 256-bin histogram of byte values.
    public init(histogram: [Int]) {
        let n = histogram.reduce(0, +)
        count = n
        guard n > 0 else { mean = 0; std = 0; return }
        var sum = 0.0
        for (v, c) in histogram.enumerated() { sum += Double(c) * Double(v) / 255 }
        let mu = sum / Double(n)
        var squares = 0.0
        for (v, c) in histogram.enumerated() {
            let d = Double(v) / 255 - mu
            squares += Double(c) * d * d
        }
        mean = mu
        std = (squares / Double(n)).squareRoot()
    }
}
