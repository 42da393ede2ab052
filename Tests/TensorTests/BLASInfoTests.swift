import Foundation
import Tensor
import XCTest

/// `BLAS.configuration` and `BLAS.coreName` (metrics.h5's `blas` attribute).
final class BLASInfoTests: XCTestCase {
    /// Asked from many threads at once (two runs of `exp run --jobs 2` start together), every
    /// answer is the same whole string: OpenBLAS builds it in one static buffer per call, which
    /// interleaved when the call was made per request.
    func testConfigurationIsTheSameFromConcurrentThreads() {
        let answers = UnsafeMutableBufferPointer<String>.allocate(capacity: 2_000)
        answers.initialize(repeating: "")
        defer { answers.deinitialize(); answers.deallocate() }
        DispatchQueue.concurrentPerform(iterations: answers.count) { answers[$0] = BLAS.configuration + "|" + BLAS.coreName }
        XCTAssertEqual(Set(answers).count, 1, "\(Set(answers))")
        XCTAssertTrue(answers[0].hasPrefix("OpenBLAS"), answers[0])
    }
}
