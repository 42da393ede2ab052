import Layers
import Tensor
import TestSupport
import XCTest

final class FlattenTests: XCTestCase {
    func testFlattenKeepsRowMajorOrderAndFoldsBack() throws {
        var flatten = Flatten<Double>()
        let x = Tensor<Double>(shape: [2, 3, 2, 2], scalars: (0..<24).map(Double.init))
        let (a, cache) = try flatten.forward(x, mode: .training)
        XCTAssertEqual(a.shape, [2, 12])
        XCTAssertEqual(a.scalars, x.scalars)
        var none: [Tensor<Double>] = []
        let deltaPrev = flatten.backward(a, cache: cache, gradients: &none, needsDeltaPrev: true)
        XCTAssertEqual(deltaPrev, x)
        XCTAssertEqual(flatten.type, .flatten)
    }

    func testPaperShapeAndGradientCheck() throws {
        XCTAssertEqual(try Flatten<Float>().outputShape(for: [64, 16, 4, 4]), [64, 256])
        let report = try checkGradients(of: Flatten<Double>(), input: randomTensor([2, 3, 3, 3], seed: 5))
        XCTAssertLessThan(report.worst, 1e-6, "\(report)")
    }

    func testRankOneInputThrows() {
        var flatten = Flatten<Float>()
        XCTAssertThrowsError(try flatten.forward(Tensor(shape: [5]), mode: .training)) { error in
            XCTAssertEqual(error as? LayerError, .shapeMismatch(layer: "flatten", expected: "n×d×r×r", actual: [5]))
        }
    }
}
