import HDF5
import XCTest

final class HDF5PlaceholderTests: XCTestCase {
    func testModuleLinks() {}
}
