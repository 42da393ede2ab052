// Fixed number formatting for SVG coordinates and labels: the same value always gives the same
// characters, whatever the locale or platform, so reruns write byte-identical files.

import Foundation  // floor, log10

/// Locale-free decimal formatting of `Double` values.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point, rounded half away from zero
    /// (`2.5` → `"3"`, `-0.125` with 2 decimals → `"-0.13"`). A result that rounds to zero has no
    /// minus sign. Values too large for 19 digits fall back to Swift's shortest round-trip text;
    /// non-finite values are written `"nan"`, `"inf"`, `"-inf"`.
    /// - Precondition: `0 ≤ decimals ≤ 15`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        precondition((0...15).contains(decimals), "NumberFormat.fixed: decimals \(decimals) outside 0…15")
        guard value.isFinite else { return value.isNaN ? "nan" : value > 0 ? "inf" : "-inf" }
        let scaled = (abs(value) * powerOfTen(decimals)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return "\(value)" }
        let magnitude = UInt64(scaled)
        var digits = String(magnitude)
        if decimals > 0 {
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (value < 0 && magnitude != 0 ? "-" : "") + digits
    }

    /// `fixed(value, decimals: maxDecimals)` without trailing zeros after the point, and
    /// without the point when nothing follows it (`1.50` → `"1.5"`, `2.00` → `"2"`).
    public static func trimmed(_ value: Double, maxDecimals: Int) -> String {
        var text = fixed(value, decimals: maxDecimals)
        guard value.isFinite, text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `value` as `<mantissa>e<exponent>` with at most `significant` significant digits and no
    /// trailing zeros (`3.66e16`, `-2e-7`, `1e36`); `"0"` for zero, as `fixed` for non-finite.
    /// - Precondition: `1 ≤ significant ≤ 15`.
    public static func scientific(_ value: Double, significant: Int = 3) -> String {
        precondition((1...15).contains(significant), "NumberFormat.scientific: significant \(significant) outside 1…15")
        guard value.isFinite, value != 0 else { return value == 0 ? "0" : fixed(value, decimals: 0) }
        var exponent = Int(floor(log10(abs(value))))
        var text = trimmed(abs(value) / powerOfTen(exponent), maxDecimals: significant - 1)
        if text == "10" || text.hasPrefix("10.") {  // 9.999… rounded up
            exponent += 1
            text = trimmed(abs(value) / powerOfTen(exponent), maxDecimals: significant - 1)
        } else if text.hasPrefix("0") {  // log10 rounded down past a power of ten
            exponent -= 1
            text = trimmed(abs(value) / powerOfTen(exponent), maxDecimals: significant - 1)
        }
        return (value < 0 ? "-" : "") + text + "e" + String(exponent)
    }

    /// SVG coordinates: at most 2 decimals, trailing zeros removed.
    public static func coordinate(_ value: Double) -> String {
        trimmed(value, maxDecimals: 2)
    }

    /// 10^exponent, correctly rounded (the double nearest to the decimal `1e<exponent>`; exact
    /// for 0 ≤ exponent ≤ 22).
    public static func powerOfTen(_ exponent: Int) -> Double {
        Double("1e\(exponent)")!
    }
}
