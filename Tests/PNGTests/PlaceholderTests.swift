import PNG
import XCTest

final class PNGPlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
