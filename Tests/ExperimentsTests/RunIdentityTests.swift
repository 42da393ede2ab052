@testable import Experiments
import XCTest

final class RunIdentityTests: XCTestCase {
    /// FIPS 180-2 appendix B known answers (the two-block one checked with `printf … | sha256sum`).
    func testTestSHA256KnownAnswers() {
        XCTAssertEqual(testSHA256Hex(Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(testSHA256Hex([]),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(testSHA256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
