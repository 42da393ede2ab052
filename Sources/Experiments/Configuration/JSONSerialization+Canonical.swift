// Canonical JSON (RFC 8785, JSON Canonicalization Scheme) for run ids, and a pretty, stable
// form for config.json (SPEC.md "Run id", "Results layout").

extension JSONValue {
    /// RFC 8785 canonical JSON: object members sorted by the UTF-16 code units of their keys,
    /// no whitespace, strings with the minimal escapes, numbers as ECMAScript writes them
    /// (shortest round-trip digits; 1 not 1.0, 1e-5 as 0.00001, 1e21 as 1e+21).
    ///
    /// Deviation: integers beyond ±2^53 keep all their digits (JCS would round them through
    /// a double); no configuration key takes such values.
    public var canonicalJSON: String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout String) {
        switch self {
        case .object(let object):
            out += "{"
            let sorted = object.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (i, key) in sorted.enumerated() {
                if i > 0 { out += "," }
                out += JSONValue.quoted(key)
                out += ":"
                object[key]!.writeCanonical(into: &out)
            }
            out += "}"
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                element.writeCanonical(into: &out)
            }
            out += "]"
        default:
            out += scalarJSON
        }
    }

    /// The JSON text of a scalar (null, bool, number, string); nil-free for containers too,
    /// where it falls back to the canonical form.
    var scalarJSON: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return JSONValue.ecmaScriptNumber(d)
        case .string(let s): return JSONValue.quoted(s)
        case .array, .object: return canonicalJSON
        }
    }

    /// `s` in double quotes with RFC 8785's escapes: `\"`, `\\`, `\b \f \n \r \t`, other
    /// controls as `\u00xx` (lower-case hex); everything else verbatim.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}": out += "\\u" + hex4(scalar.value).lowercased()
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// ECMAScript's Number::toString for a finite double (RFC 8785 §3.2.2.3), built from the
    /// shortest round-trip digits that Swift's `description` gives.
    /// - Precondition: `d` is finite (the parser refuses NaN and Infinity).
    static func ecmaScriptNumber(_ d: Double) -> String {
        precondition(d.isFinite, "JSON numbers are finite, got \(d)")
        if d == 0 { return "0" }  // also -0
        let (digits, n) = shortestDigits(d.magnitude)
        let k = digits.count
        let sign = d < 0 ? "-" : ""
        let body: String
        if k <= n && n <= 21 {
            body = digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            body = String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        } else if -6 < n && n <= 0 {
            body = "0." + String(repeating: "0", count: -n) + digits
        } else {
            let exponent = n - 1
            let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
            body = mantissa + "e" + (exponent < 0 ? "-" : "+") + String(exponent.magnitude)
        }
        return sign + body
    }

    /// The shortest digits s (no leading or trailing zeros) and exponent n with
    /// value = 0.s × 10^n, from Swift's shortest round-trip `description` ("1e-05", "0.1", …).
    static func shortestDigits(_ positive: Double) -> (digits: String, n: Int) {
        let text = positive.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let pointIndex = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
        let integerDigits = mantissa.distance(from: mantissa.startIndex, to: pointIndex)
        var all = mantissa.filter { $0 != "." }
        var n = integerDigits + exponent
        while all.first == "0" { all.removeFirst(); n -= 1 }
        while all.last == "0" { all.removeLast() }
        return (String(all), n)
    }
}
