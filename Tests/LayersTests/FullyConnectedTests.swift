import Layers
import Tensor
import TestSupport
import XCTest

final class FullyConnectedTests: XCTestCase {
    /// Hand-computed: [1 2] · [[1 0 −1] [2 1 0]] + [0.5 0 0] = [5.5 2 −1].
    func testForwardKnownAnswer() throws {
        var fc = FullyConnected<Double>(inputFeatures: 2, outputFeatures: 3)
        fc.parameters[0] = Tensor(shape: [2, 3], scalars: [1, 0, -1, 2, 1, 0])
        fc.parameters[1] = Tensor(shape: [3], scalars: [0.5, 0, 0])
        let (a, _) = try fc.forward(Tensor(shape: [1, 2], scalars: [1, 2]), mode: .training)
        XCTAssertEqual(a.scalars, [5.5, 2, -1])
    }

    func testGradientsMatchCentralDifferences() throws {
        var fc = FullyConnected<Double>(inputFeatures: 5, outputFeatures: 4)
        fc.parameters[0] = randomTensor([5, 4], seed: 1)
        fc.parameters[1] = randomTensor([4], seed: 2)
        let report = try checkGradients(of: fc, input: randomTensor([3, 5], seed: 3))
        XCTAssertLessThan(report.worst, 1e-6, "\(report)")
        XCTAssertEqual(Set(report.maxRelativeError.keys), ["deltaPrev", "w", "b"])
    }

    func testWrongInputShapeThrows() {
        var fc = FullyConnected<Double>(inputFeatures: 5, outputFeatures: 4)
        XCTAssertThrowsError(try fc.forward(Tensor(shape: [3, 6]), mode: .training))
    }
}
