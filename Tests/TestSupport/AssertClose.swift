// Comparison helpers shared by the test targets.

import Tensor
import XCTest

/// Asserts that two tensors have the same shape and max |a − b| / max(max |b|, floor) < tolerance.
public func assertClose<S: TensorScalar>(
    _ actual: Tensor<S>, _ expected: Tensor<S>, relativeTolerance: Double, floor: Double = 1e-12,
    _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual.shape, expected.shape, "shape: \(message())", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let diff = Double(actual.maxAbsDifference(expected))
    let scale = max(Double(expected.maxAbs), floor)
    XCTAssertLessThan(diff / scale, relativeTolerance,
                      "max |a − b| = \(diff), max |b| = \(scale): \(message())", file: file, line: line)
}
