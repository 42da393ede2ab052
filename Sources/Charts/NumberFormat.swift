// Fixed number formatting for SVG coordinates and labels: the same value always gives the same
// characters, whatever the locale or platform, so reruns write byte-identical files.

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

    /// SVG coordinates: at most 2 decimals, trailing zeros removed.
    public static func coordinate(_ value: Double) -> String {
        trimmed(value, maxDecimals: 2)
    }

    /// 10^exponent, exact for |exponent| ≤ 22 (products of exact powers of ten).
    public static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent >= 0 ? result : 1 / result
    }
}
