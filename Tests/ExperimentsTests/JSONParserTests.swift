@testable import Experiments
import XCTest

final class JSONParserTests: XCTestCase {
    func testParsesEveryKindOfValueKeepingMemberOrder() throws {
        let value = try JSONParser.parse(#" {"z": 1, "a": [true, false, null], "m": {"x": -0.5e1, "y": "s"}, "big": 9223372036854775808} "#)
        XCTAssertEqual(value.objectValue?.keys, ["z", "a", "m", "big"])
        XCTAssertEqual(value[path: "z"], .int(1))
        XCTAssertEqual(value[path: "a"], [true, false, nil])
        XCTAssertEqual(value[path: "m.x"], .double(-5))
        XCTAssertEqual(value[path: "m.y"], "s")
        XCTAssertEqual(value[path: "big"], .double(9223372036854775808))  // beyond Int64: a double
        XCTAssertEqual(try JSONParser.parse("-9223372036854775808"), .int(.min))
        XCTAssertEqual(try JSONParser.parse("0"), .int(0))
        XCTAssertEqual(try JSONParser.parse("1.0"), .double(1))
        XCTAssertEqual(try JSONParser.parse("[]"), .array([]))
        XCTAssertEqual(try JSONParser.parse("{}"), .object(JSONObject()))
    }

    func testEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00""#),
                       .string("\"\\/\u{08}\u{0C}\n\r\tAé€😀"))
        XCTAssertEqual(try JSONParser.parse("\"é😀\""), .string("é😀"))  // raw UTF-8
    }

    /// (input, line, column, message fragment) for every form SPEC.md forbids.
    func testRejectsForbiddenFormsAtTheRightPosition() {
        let cases: [(String, Int, Int, String)] = [
            ("{\"a\": 1,}", 1, 8, "trailing comma before '}'"),
            ("[1,\n 2,\n]", 2, 3, "trailing comma before ']'"),
            ("{\"a\": 1 // note\n}", 1, 9, "comments are not allowed"),
            ("/* c */ {}", 1, 1, "comments are not allowed"),
            ("{\"a\": 1,\n  \"a\": 2}", 2, 3, "duplicate key \"a\" (first at line 1, column 2)"),
            ("[NaN]", 1, 2, "NaN is not a JSON number"),
            ("[-Infinity]", 1, 2, "-Infinity is not a JSON number"),
            ("Infinity", 1, 1, "no NaN or Infinity"),
            ("[01]", 1, 2, "leading zeros"),
            ("-012", 1, 1, "leading zeros"),
            ("[+1]", 1, 2, "starts with '-' or a digit"),
            ("[.5]", 1, 2, "starts with '-' or a digit"),
            ("[1.]", 1, 4, "digit after the decimal point"),
            ("[1e]", 1, 4, "digit in the exponent"),
            ("[-]", 1, 3, "digit after '-'"),
            ("\"a\tb\"", 1, 3, "control character U+0009"),
            ("[\"é\nx\"]", 1, 4, "control character U+000A"),
            ("\"\\x\"", 1, 2, "invalid escape '\\x'"),
            ("\"\\u12G4\"", 1, 2, "four hex digits"),
            ("\"\\ud83d\"", 1, 2, "unpaired surrogate \\uD83D"),
            ("\"\\ud83d\\u0041\"", 1, 2, "unpaired surrogate \\uD83D followed by \\u0041"),
            ("\"\\ude00\"", 1, 2, "unpaired low surrogate"),
            ("{'a': 1}", 1, 2, "double quotes, not single quotes"),
            ("['a']", 1, 2, "double quotes, not single quotes"),
            ("{a: 1}", 1, 2, "member name in double quotes"),
            ("[1 2]", 1, 4, "expected ',' or ']'"),
            ("{\"a\" 1}", 1, 6, "expected ':'"),
            ("[1] [2]", 1, 5, "unexpected data after the JSON value"),
            ("[True]", 1, 2, "unexpected word 'True'"),
            ("", 1, 1, "empty document"),
            ("  \n ", 2, 2, "empty document"),
            ("[1,", 1, 4, "unexpected end of input"),
            ("{\"a\": \"x", 1, 7, "unterminated string"),
            ("\u{FEFF}{}", 1, 1, "byte-order mark"),
            ("1e999", 1, 1, "out of the range"),
        ]
        for (input, line, column, fragment) in cases {
            do {
                let value = try JSONParser.parse(input, file: "s.json")
                XCTFail("accepted \(input.debugDescription) as \(value)")
            } catch let error as JSONSyntaxError {
                XCTAssertEqual([error.line, error.column], [line, column], "\(input.debugDescription): \(error)")
                XCTAssertTrue(error.message.contains(fragment), "\(input.debugDescription): \(error.message)")
                XCTAssertTrue(error.description.hasPrefix("s.json:\(error.line):\(error.column): "))
            } catch {
                XCTFail("\(input.debugDescription): unexpected \(error)")
            }
        }
    }

    func testRejectsInvalidUTF8() {
        XCTAssertThrowsError(try JSONParser.parse(bytes: [0x22, 0xC3, 0x28, 0x22])) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.message, "string is not valid UTF-8")
        }
        XCTAssertThrowsError(try JSONParser.parse(bytes: [0xFF]))
    }

    func testNestingAndSizeLimits() throws {
        XCTAssertNoThrow(try JSONParser.parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)))
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        XCTAssertThrowsError(try JSONParser.parse(deep, file: "d.json")) { error in
            XCTAssertEqual("\(error)", "d.json:1:65: nesting deeper than the limit of 64")
        }
        // Hostile depth far beyond the stack is refused, not a crash.
        XCTAssertThrowsError(try JSONParser.parse(String(repeating: "{\"a\":", count: 100_000)))
        var limits = JSONParser.Limits()
        limits.maximumBytes = 10
        XCTAssertThrowsError(try JSONParser.parse("[1, 2, 3, 4]", limits: limits)) { error in
            XCTAssertEqual("\(error)", "<input>:1:1: input is 12 bytes, more than the limit of 10")
        }
    }

    func testColumnsCountUnicodeScalars() {
        XCTAssertThrowsError(try JSONParser.parse("{\"é€😀\": 1,}")) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.column, 10)
        }
    }
}
