import Model
import XCTest

final class ModelPlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
