import Experiments
import XCTest

final class ExperimentsPlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
