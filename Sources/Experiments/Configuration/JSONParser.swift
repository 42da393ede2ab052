// A strict RFC 8259 JSON parser, written by hand so that member order survives and every form
// SPEC.md's "Sweep file" forbids is refused with `FILE:LINE:COLUMN: message`.
//
// Refused: trailing commas, comments, duplicate keys, NaN/Infinity, leading zeros, "+1", ".5",
// "1.", unescaped control characters, invalid escapes, unpaired surrogates, invalid UTF-8,
// a byte-order mark, single quotes, anything after the top-level value, input longer than
// `Limits.maximumBytes` and nesting deeper than `Limits.maximumDepth`.
// Lines and columns count from 1; a column counts Unicode scalars, a tab counts as one.


/// Parses JSON text strictly (RFC 8259) into a ``JSONValue``.
public struct JSONParser {
    /// Resource limits that keep hostile input from exhausting the stack or memory.
    public struct Limits: Sendable, Equatable {
        /// Longest accepted input in bytes (default 4 MiB; sweep files are a few kB).
        public var maximumBytes: Int = 4 << 20
        /// Deepest accepted nesting of arrays and objects (default 64).
        public var maximumDepth: Int = 64
        /// The defaults: 4 MiB, depth 64.
        public init() {}
    }

    /// Parses `text`; `file` names the source in error messages.
    /// - Throws: ``JSONSyntaxError`` with the line and column of the first problem.
    public static func parse(_ text: String, file: String = "<input>", limits: Limits = Limits()) throws -> JSONValue {
        try parse(bytes: Array(text.utf8), file: file, limits: limits)
    }

    /// Parses UTF-8 `bytes`; `file` names the source in error messages.
    /// - Throws: ``JSONSyntaxError`` with the line and column of the first problem.
    public static func parse(bytes: [UInt8], file: String = "<input>", limits: Limits = Limits()) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes, file: file, limits: limits)
        guard bytes.count <= limits.maximumBytes else {
            throw parser.error("input is \(bytes.count) bytes, more than the limit of \(limits.maximumBytes)", at: 0)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw parser.error("byte-order mark; save the file as UTF-8 without BOM", at: 0) }
        parser.skipWhitespace()
        guard parser.index < bytes.count else { throw parser.error("empty document; expected a JSON value", at: parser.index) }
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.error("unexpected data after the JSON value", at: parser.index) }
        return value
    }

    let bytes: [UInt8]
    let file: String
    let limits: Limits
    var index = 0
    var depth = 0

    private init(bytes: [UInt8], file: String, limits: Limits) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
    }

    /// The error for a problem at byte `offset`, with its 1-based line and scalar column.
    func error(_ message: String, at offset: Int) -> JSONSyntaxError {
        let (line, column) = position(of: offset)
        return JSONSyntaxError(file: file, line: line, column: column, message: message)
    }

    /// 1-based line and column (in Unicode scalars) of byte `offset`.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 }
            else if byte & 0xC0 != 0x80 { column += 1 }  // not a UTF-8 continuation byte
        }
        return (line, column)
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    mutating func parseValue() throws -> JSONValue {
        guard let byte = current else { throw error("unexpected end of input; expected a value", at: index) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: return try parseLiteral()
        }
    }

    mutating func enter() throws {
        depth += 1
        if depth > limits.maximumDepth {
            throw error("nesting deeper than the limit of \(limits.maximumDepth)", at: index)
        }
    }

    mutating func parseObject() throws -> JSONValue {
        try enter()
        index += 1
        var object = JSONObject()
        var firstSeen: [String: Int] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; depth -= 1; return .object(object) }
        while true {
            skipWhitespace()
            let keyStart = index
            guard current == UInt8(ascii: "\"") else {
                throw error(current == nil ? "unexpected end of input; expected a member name"
                            : current == UInt8(ascii: "/") ? "comments are not allowed in JSON"
                            : current == UInt8(ascii: "'") ? "expected a member name in double quotes, not single quotes"
                            : "expected a member name in double quotes", at: index)
            }
            let key = try parseString()
            if let first = firstSeen[key] {
                let (line, column) = position(of: first)
                throw error("duplicate key \"\(key)\" (first at line \(line), column \(column))", at: keyStart)
            }
            firstSeen[key] = keyStart
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after member name", at: index) }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            if try endOfContainer(closing: "}") { break }
        }
        depth -= 1
        return .object(object)
    }

    mutating func parseArray() throws -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; depth -= 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if try endOfContainer(closing: "]") { break }
        }
        depth -= 1
        return .array(elements)
    }

    /// After a member or element: consumes `,` (false) or the closing bracket (true).
    mutating func endOfContainer(closing: Unicode.Scalar) throws -> Bool {
        guard let byte = current else { throw error("unexpected end of input; expected ',' or '\(closing)'", at: index) }
        if byte == UInt8(ascii: closing) { index += 1; return true }
        guard byte == UInt8(ascii: ",") else {
            if byte == UInt8(ascii: "/") { throw error("comments are not allowed in JSON", at: index) }
            throw error("expected ',' or '\(closing)'", at: index)
        }
        let comma = index
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") || current == UInt8(ascii: "]") {
            throw error("trailing comma before '\(Character(Unicode.Scalar(current!)))'", at: comma)
        }
        return false
    }

    mutating func parseLiteral() throws -> JSONValue {
        let start = index
        while let byte = current, (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) { index += 1 }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        switch word {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "NaN", "Infinity", "nan", "inf", "infinity":
            throw error("\(word) is not a JSON number; JSON has no NaN or Infinity", at: start)
        case "":
            let byte = bytes[start]
            if byte == UInt8(ascii: "/") { throw error("comments are not allowed in JSON", at: start) }
            if byte == UInt8(ascii: "'") { throw error("strings take double quotes, not single quotes", at: start) }
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
                throw error("a number starts with '-' or a digit", at: start)
            }
            if byte < 0x20 { throw error("unexpected control character U+\(hex4(UInt32(byte)))", at: start) }
            throw error("unexpected character '\(String(decoding: bytes[start...].prefix(4), as: UTF8.self).prefix(1))'", at: start)
        default:
            throw error("unexpected word '\(word)'; expected a value (strings need double quotes)", at: start)
        }
    }
}
