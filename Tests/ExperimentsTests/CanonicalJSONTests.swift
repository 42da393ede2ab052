@testable import Experiments
import XCTest

final class CanonicalJSONTests: XCTestCase {
    /// RFC 8785 appendix B: IEEE 754 bit patterns and their canonical text.
    func testRFC8785NumberExamples() {
        let cases: [(UInt64, String)] = [
            (0x0000000000000000, "0"), (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"), (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"), (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"), (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"), (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"), (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"), (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"), (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"), (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"), (0x43143ff3c1cb0959, "1424953923781206.2"),
        ]
        for (bits, expected) in cases {
            XCTAssertEqual(JSONValue.double(Double(bitPattern: bits)).canonicalJSON, expected, String(bits, radix: 16))
        }
    }

    func testConfigurationNumbers() {
        XCTAssertEqual(JSONValue.double(0.1).canonicalJSON, "0.1")
        XCTAssertEqual(JSONValue.double(1e-5).canonicalJSON, "0.00001")
        XCTAssertEqual(JSONValue.double(1e-7).canonicalJSON, "1e-7")
        XCTAssertEqual(JSONValue.double(1e21).canonicalJSON, "1e+21")
        XCTAssertEqual(JSONValue.double(1e20).canonicalJSON, "100000000000000000000")
        XCTAssertEqual(JSONValue.double(1.0).canonicalJSON, "1")
        XCTAssertEqual(JSONValue.double(-2.5).canonicalJSON, "-2.5")
        XCTAssertEqual(JSONValue.double(0.05).canonicalJSON, "0.05")
        XCTAssertEqual(JSONValue.double(123.456).canonicalJSON, "123.456")
        XCTAssertEqual(JSONValue.int(-42).canonicalJSON, "-42")
    }

    /// RFC 8785 §3.2.2's example, parsed from its input text.
    func testRFC8785Example() throws {
        let input = #"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
        XCTAssertEqual(try JSONParser.parse(input).canonicalJSON,
                       #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#)
    }

    /// RFC 8785 §3.2.3: members sorted by UTF-16 code units (the emoji's surrogate D83D sorts
    /// before U+FB33, although its scalar U+1F600 is larger).
    func testKeysSortByUTF16CodeUnits() throws {
        let input = #"{"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5, "\u0080": 6, "\u00f6": 7}"#
        XCTAssertEqual(try JSONParser.parse(input).canonicalJSON,
                       "{\"\\r\":2,\"1\":4,\"\u{80}\":6,\"ö\":7,\"€\":1,\"😀\":5,\"\u{FB33}\":3}")
    }

    func testPrettyFormIsStable() {
        let value: JSONValue = ["b": 1, "a": ["x": [1, 2], "y": [], "z": [["k": 0.5]]], "c": "s", "e": [:]]
        XCTAssertEqual(value.prettyJSON, """
            {
              "b": 1,
              "a": {
                "x": [1, 2],
                "y": [],
                "z": [
                  {
                    "k": 0.5
                  }
                ]
              },
              "c": "s",
              "e": {}
            }

            """)
    }

    func testPrettyAndCanonicalFormsParseBackToTheSameValue() throws {
        let value: JSONValue = ["q": "\"\\\n\u{1}é", "n": [1e-5, -0.0, 7, nil, true]]
        XCTAssertEqual(try JSONParser.parse(value.prettyJSON).canonicalJSON, value.canonicalJSON)
        XCTAssertEqual(value.canonicalJSON, #"{"n":[0.00001,0,7,null,true],"q":"\"\\\n\u0001é"}"#)
    }
}
