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

    /// `text` broken into lines of at most `width` characters at spaces (a longer word is cut),
    /// at most `maxLines` of them, the last ending in "…" when text is left over.
    /// - Precondition: `width ≥ 2`, `maxLines ≥ 1`.
    public static func wrapped(_ text: String, width: Int, maxLines: Int) -> [String] {
        precondition(width >= 2 && maxLines >= 1, "SVGText.wrapped: width \(width), maxLines \(maxLines)")
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            if !current.isEmpty && current.count + 1 + word.count <= width { current += " " + word; continue }
            if !current.isEmpty { lines.append(current) }
            while word.count > width { lines.append(String(word.prefix(width))); word = String(word.dropFirst(width)) }
            current = word
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        guard lines.count > maxLines else { return lines }
        var kept = Array(lines.prefix(maxLines))
        kept[maxLines - 1] = truncated(kept[maxLines - 1] + " " + lines[maxLines], to: width)
        if !kept[maxLines - 1].hasSuffix("…") { kept[maxLines - 1] = String(kept[maxLines - 1].prefix(width - 1)) + "…" }
        return kept
    }

    /// `text` cut to at most `limit` characters, ending in "…" when cut (legend entries).
    /// - Precondition: `limit ≥ 1`.
    public static func truncated(_ text: String, to limit: Int) -> String {
        precondition(limit >= 1, "SVGText.truncated: limit \(limit) < 1")
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
