// Strings and numbers of the strict JSON parser (RFC 8259 §6, §7).

extension JSONParser {
    /// Parses a string at the opening quote: escapes, surrogate pairs, UTF-8 validation.
    mutating func parseString() throws -> String {
        let start = index
        index += 1
        var buffer: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw error("string is not valid UTF-8", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                throw error("control character U+\(hex4(UInt32(byte))) in a string; write it as an escape such as \\n or \\u\(hex4(UInt32(byte)))", at: index)
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    /// Parses one escape sequence at the backslash and appends its UTF-8 encoding.
    mutating func parseEscape(into buffer: inout [UInt8]) throws {
        let start = index
        index += 1
        guard let byte = current else { throw error("unterminated escape sequence", at: start) }
        index += 1
        let simple: [UInt8: UInt8] = [UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
                                      UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
                                      UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09]
        if let replacement = simple[byte] { buffer.append(replacement); return }
        guard byte == UInt8(ascii: "u") else {
            throw error("invalid escape '\\\(Character(Unicode.Scalar(byte)))'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: start)
        }
        var code = try parseHex4(escapeStart: start)
        if (0xD800...0xDBFF).contains(code) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate \\u\(hex4(code)); a high surrogate must be followed by a \\uDC00–\\uDFFF escape", at: start)
            }
            let lowStart = index
            index += 2
            let low = try parseHex4(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("unpaired surrogate \\u\(hex4(code)) followed by \\u\(hex4(low))", at: start)
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
            throw error("unpaired low surrogate \\u\(hex4(code))", at: start)
        }
        buffer.append(contentsOf: Array(String(Character(Unicode.Scalar(code)!)).utf8))
    }

    /// Four hex digits after `\u`.
    mutating func parseHex4(escapeStart: Int) throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexDigit(byte) else {
                throw error("\\u must be followed by four hex digits", at: escapeStart)
            }
            code = code << 4 | digit
            index += 1
        }
        return code
    }

    func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Parses `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. An integer literal that
    /// fits `Int64` becomes `.int`; everything else a finite `.double`.
    mutating func parseNumber() throws -> JSONValue {
        let start = index
        func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        if current == UInt8(ascii: "-") { index += 1 }
        guard isDigit(current) else {
            if let c = current, (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) {
                throw error("-\(String(decoding: bytes[index...].prefix { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }, as: UTF8.self)) is not a JSON number; JSON has no NaN or Infinity", at: start)
            }
            throw error("expected a digit after '-'", at: index)
        }
        if current == UInt8(ascii: "0") {
            index += 1
            if isDigit(current) { throw error("leading zeros are not allowed in numbers", at: start) }
        } else {
            while isDigit(current) { index += 1 }
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(current) else { throw error("expected a digit after the decimal point", at: index) }
            while isDigit(current) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard isDigit(current) else { throw error("expected a digit in the exponent", at: index) }
            while isDigit(current) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else {
            throw error("number \(text) is out of the range of a 64-bit double", at: start)
        }
        return .double(double)
    }
}
