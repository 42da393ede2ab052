/// A PNG failure, with libpng's own message (`png_image.message`) where libpng reported it.
public struct PNGError: Error, CustomStringConvertible, Equatable {
    /// What was being done: "encode", "decode", "read file", "write file".
    public var operation: String
    /// The file path, or nil for in-memory encoding and decoding.
    public var path: String?
    /// libpng's message (e.g. "png_image_begin_read_from_memory: Not a PNG file") or an errno text.
    public var message: String

    /// Creates an error.
    public init(operation: String, path: String? = nil, message: String) {
        self.operation = operation
        self.path = path
        self.message = message
    }

    /// "PNG: cannot decode 'a.png': png_image_begin_read_from_memory: Not a PNG file"
    public var description: String {
        "PNG: cannot \(operation)" + (path.map { " '\($0)'" } ?? "") + ": " + message
    }
}
