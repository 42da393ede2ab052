@testable import Charts
import XCTest

/// Fixed formatting, escaping, palette.
final class NumberFormatTests: XCTestCase {
    func testFixed() {
        XCTAssertEqual(NumberFormat.fixed(3.14159, decimals: 2), "3.14")
        XCTAssertEqual(NumberFormat.fixed(2.5, decimals: 0), "3")
        XCTAssertEqual(NumberFormat.fixed(-2.5, decimals: 0), "-3")
        XCTAssertEqual(NumberFormat.fixed(0.125, decimals: 2), "0.13")
        XCTAssertEqual(NumberFormat.fixed(-0.001, decimals: 2), "0.00")  // no "-0.00"
        XCTAssertEqual(NumberFormat.fixed(-0.0, decimals: 1), "0.0")
        XCTAssertEqual(NumberFormat.fixed(0.05, decimals: 3), "0.050")
        XCTAssertEqual(NumberFormat.fixed(98.7654, decimals: 2), "98.77")
        XCTAssertEqual(NumberFormat.fixed(1234567, decimals: 0), "1234567")
        XCTAssertEqual(NumberFormat.fixed(.nan, decimals: 2), "nan")
        XCTAssertEqual(NumberFormat.fixed(-.infinity, decimals: 2), "-inf")
        XCTAssertEqual(NumberFormat.fixed(1e300, decimals: 2), "1e+300")
    }

    func testScientific() {
        XCTAssertEqual(NumberFormat.scientific(3.662562186063003e16), "3.66e16")
        XCTAssertEqual(NumberFormat.scientific(1e36), "1e36")
        XCTAssertEqual(NumberFormat.scientific(-2e-7), "-2e-7")
        XCTAssertEqual(NumberFormat.scientific(9.9999e5), "1e6")  // rounds up into the next decade
        XCTAssertEqual(NumberFormat.scientific(123456, significant: 2), "1.2e5")
        XCTAssertEqual(NumberFormat.scientific(0), "0")
        XCTAssertEqual(NumberFormat.scientific(.infinity), "inf")
    }

    func testTrimmedAndCoordinates() {
        XCTAssertEqual(NumberFormat.trimmed(1.50, maxDecimals: 2), "1.5")
        XCTAssertEqual(NumberFormat.trimmed(2.0, maxDecimals: 2), "2")
        XCTAssertEqual(NumberFormat.trimmed(100, maxDecimals: 0), "100")
        XCTAssertEqual(NumberFormat.coordinate(123.456), "123.46")
        XCTAssertEqual(NumberFormat.coordinate(-0.004), "0")
        XCTAssertEqual(NumberFormat.powerOfTen(-3), 0.001)
        XCTAssertEqual(NumberFormat.powerOfTen(22), 1e22)
    }

    func testEscaping() {
        XCTAssertEqual(SVGText.escape("a & b <c> \"d\" 'e'"), "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;")
        XCTAssertEqual(SVGText.escape("tab\there\nline"), "tab\there\nline")
        XCTAssertEqual(SVGText.escape("bell\u{07}nul\u{00}esc\u{1B}"), "bell\u{FFFD}nul\u{FFFD}esc\u{FFFD}")
        XCTAssertEqual(SVGText.escape("\u{FFFE}ü→"), "\u{FFFD}ü→")
        XCTAssertEqual(SVGText.escape("&amp;"), "&amp;amp;")
        XCTAssertEqual(SVGText.truncated("abcdef", to: 4), "abc…")
        XCTAssertEqual(SVGText.truncated("abc", to: 4), "abc")
    }

    func testPalette() {
        XCTAssertEqual(Set(Palette.colors).count, 10)
        XCTAssertEqual(Palette.color(0), "#4E79A7")
        XCTAssertEqual(Palette.color(10), Palette.color(0))
        XCTAssertFalse(Palette.isDashed(9))
        XCTAssertTrue(Palette.isDashed(10))
        XCTAssertFalse(Palette.isDashed(20))
        XCTAssertEqual(Palette.color(-3), Palette.color(0))
    }
}
