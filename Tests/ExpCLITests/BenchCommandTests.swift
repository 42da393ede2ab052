import Foundation
import XCTest

@testable import ExpCLI

/// `exp bench`'s list options: malformed lists are bad input (exit 64, a message naming the
/// option and the item), before any MNIST is loaded.
final class BenchCommandTests: XCTestCase {
    func testMalformedBatchSizeListsAreRefused() throws {
        for (list, item) in [("16,,64", "''"), ("64,", "''"), ("16,x", "'x'"), ("0", "'0'")] {
            let result = try runExp(["bench", "--batch-sizes", list, "--steps", "1", "--repetitions", "1"])
            XCTAssertEqual(result.code, 64, list)
            XCTAssertTrue(result.stderr.contains("--batch-sizes: \(item) in '\(list)' is not a positive integer"),
                          "\(list): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", list)
        }
    }
}
