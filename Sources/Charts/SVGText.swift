// Text that goes into SVG (XML 1.0) character data and attribute values.

/// Escaping of text for XML character data and attribute values.
public enum SVGText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by their entities, and characters that
    /// XML 1.0 forbids (C0 controls other than tab, line feed and carriage return; U+FFFE,
    /// U+FFFF) replaced by U+FFFD. Safe inside elements and inside single- or double-quoted
    /// attributes.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// `text` cut to at most `limit` characters, ending in "…" when cut (legend entries).
    /// - Precondition: `limit ≥ 1`.
    public static func truncated(_ text: String, to limit: Int) -> String {
        precondition(limit >= 1, "SVGText.truncated: limit \(limit) < 1")
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
