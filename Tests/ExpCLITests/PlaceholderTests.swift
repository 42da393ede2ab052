@testable import ExpCLI
import XCTest

final class ExpCLIPlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
