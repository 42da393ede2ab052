// Putting untrusted text (names, descriptions, override values, error messages) into markdown.

import Foundation

/// Markdown escaping and small builders.
enum Markdown {
    /// `text` as inert inline markdown: one line (line breaks and tabs become spaces); `& < >`
    /// as HTML entities (no raw HTML); the CommonMark/GFM metacharacters `` \ ` * _ [ ] | # ~ ! `` and `$` (GitHub math)
    /// backslash-escaped; a leading `-`, `+`, `=` (unless a digit follows) or `1.`-style list marker escaped so that no list
    /// or heading starts; other control characters and bidirectional overrides as U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!", "$": out += "\\" + String(scalar)
            case "\n", "\r", "\t": out += " "
            default:
                out.unicodeScalars.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        let characters = Array(out)
        if let first = characters.first, "-+=".contains(first), !(characters.count > 1 && characters[1].isASCII && characters[1].isNumber) {
            out = "\\" + out
        }
        if let marker = characters.firstIndex(where: { !($0.isASCII && $0.isNumber) }), marker > 0,
           characters[marker] == "." || characters[marker] == ")", marker + 1 == characters.count || characters[marker + 1] == " " {
            out.insert("\\", at: out.index(out.startIndex, offsetBy: marker))
        }
        return out
    }

    /// Control characters (C0, DEL, C1) and the bidirectional embedding / override / isolate
    /// characters that can make text display differently from what it is.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0xFFFE || v == 0xFFFF
    }

    /// A fenced code block whose fence is longer than any backtick run in `text`; control
    /// characters other than line feeds become U+FFFD.
    static func codeBlock(_ text: String, language: String = "") -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\n" || !isUnsafe($0) ? $0 : "\u{FFFD}" }))
        var longest = 0, run = 0
        for c in clean { run = c == "`" ? run + 1 : 0; longest = max(longest, run) }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return "\(fence)\(language)\n\(clean)\n\(fence)"
    }

    /// A GFM table; cells must already be escaped.
    static func table(_ header: [String], _ rows: [[String]], alignRight: Set<Int> = []) -> String {
        var lines = ["| " + header.joined(separator: " | ") + " |"]
        lines.append("|" + header.indices.map { alignRight.contains($0) ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in rows { lines.append("| " + row.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    /// A POSIX-shell rendering of a command line: arguments made only of safe characters as
    /// they are, others in single quotes.
    static func shellCommand(_ argv: [String]) -> String {
        argv.map { argument in
            let safe = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./=,:@+%".unicodeScalars.contains($0)
            }
            return safe ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

/// `text` as a Python string literal: printable ASCII as is (with `\\` and `"` escaped),
/// everything else as `\uXXXX` / `\UXXXXXXXX`.
func pythonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case " "..."~": out.unicodeScalars.append(scalar)
        default:
            let hex = String(scalar.value, radix: 16)
            out += scalar.value <= 0xFFFF ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }
    }
    return out + "\""
}
