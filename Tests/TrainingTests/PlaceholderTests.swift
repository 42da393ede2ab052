import Training
import XCTest

final class TrainingPlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
