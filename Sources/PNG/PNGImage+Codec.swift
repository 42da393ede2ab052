import CPNG

extension PNGImage {
    /// Encodes the image as PNG bytes with libpng's simplified API
    /// (`png_image_write_to_memory`, format `PNG_FORMAT_GRAY` or `PNG_FORMAT_RGB`, 8 bits,
    /// no time stamp, so equal images give equal bytes).
    /// - Throws: `PNGError` ("encode") with libpng's message.
    public func encoded() throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
        let stride = Int32(width * channels)
        return try pixels.withUnsafeBytes { samples -> [UInt8] in
            // First call with no buffer: libpng reports the size it needs.
            var size: png_alloc_size_t = 0
            guard png_image_write_to_memory(&image, nil, &size, 0, samples.baseAddress, stride, nil) != 0 else {
                throw PNGError(operation: "encode", message: Self.message(of: &image))
            }
            var bytes = [UInt8](repeating: 0, count: Int(size))
            let written = bytes.withUnsafeMutableBytes {
                png_image_write_to_memory(&image, $0.baseAddress, &size, 0, samples.baseAddress, stride, nil)
            }
            guard written != 0 else { throw PNGError(operation: "encode", message: Self.message(of: &image)) }
            return Array(bytes.prefix(Int(size)))
        }
    }

    /// Decodes PNG bytes with libpng's simplified API (`png_image_begin_read_from_memory`,
    /// `png_image_finish_read`). Gray inputs (any bit depth, with or without alpha) become
    /// 1-channel images, colour and palette inputs 3-channel RGB; 16-bit samples are reduced
    /// to 8 bits and an alpha channel is composited onto white, as libpng does.
    /// - Throws: `PNGError` ("decode") with libpng's message for anything that is not a
    ///   valid PNG (bad signature, truncated data, CRC errors).
    public static func decode(_ bytes: [UInt8]) throws -> PNGImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        return try bytes.withUnsafeBytes { memory -> PNGImage in
            guard png_image_begin_read_from_memory(&image, memory.baseAddress, memory.count) != 0 else {
                throw PNGError(operation: "decode", message: message(of: &image))
            }
            let color = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
            image.format = color ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
            let channels = color ? 3 : 1
            let width = Int(image.width), height = Int(image.height)
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            var white = png_color(red: 255, green: 255, blue: 255)
            let finished = pixels.withUnsafeMutableBytes {
                png_image_finish_read(&image, &white, $0.baseAddress, Int32(width * channels), nil)
            }
            guard finished != 0 else { throw PNGError(operation: "decode", message: message(of: &image)) }
            return PNGImage(width: width, height: height, channels: channels, pixels: pixels)
        }
    }

    /// libpng's message from a failed simplified-API call; frees the `png_image`'s internal state.
    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        png_image_free(&image)
        return text.isEmpty ? "libpng failed without a message" : text
    }
}
