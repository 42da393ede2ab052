import Layers
import Tensor
import TestSupport
import XCTest

/// Max pooling: hand-computed values, tie routing, overlapping windows, central differences.
final class MaxPoolTests: XCTestCase {
    func forwardBackward(_ pool: MaxPool<Double>, _ x: Tensor<Double>, delta: [Double])
        throws -> (a: Tensor<Double>, deltaPrev: Tensor<Double>) {
        var layer = pool
        let (a, cache) = try layer.forward(x, mode: .training)
        var grads = layer.zeroGradients()
        let deltaPrev = layer.backward(Tensor(shape: a.shape, scalars: delta), cache: cache,
                                       gradients: &grads, needsDeltaPrev: true)
        XCTAssertTrue(grads.isEmpty)
        return (a, deltaPrev)
    }

    /// 4×4 input 0..<16, k2 s2 → [5 7; 13 15]; Δ = [1 2 3 4] lands on cells 5, 7, 13, 15.
    func testKnownAnswer() throws {
        let x = Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map(Double.init))
        let (a, deltaPrev) = try forwardBackward(MaxPool(kernelSize: 2, stride: 2), x, delta: [1, 2, 3, 4])
        XCTAssertEqual(a.shape, [1, 1, 2, 2])
        XCTAssertEqual(a.scalars, [5, 7, 13, 15])
        var expected = [Double](repeating: 0, count: 16)
        (expected[5], expected[7], expected[13], expected[15]) = (1, 2, 3, 4)
        XCTAssertEqual(deltaPrev.scalars, expected)
    }

    /// Ties: the first maximum in row-major scan order takes the whole error (as PyTorch).
    func testTiesRouteToTheFirstMaximum() throws {
        let allEqual = Tensor(shape: [1, 1, 2, 2], scalars: [1, 1, 1, 1])
        XCTAssertEqual(try forwardBackward(MaxPool(kernelSize: 2, stride: 2), allEqual, delta: [7]).deltaPrev.scalars,
                       [7, 0, 0, 0])
        let laterTie = Tensor(shape: [1, 1, 2, 2], scalars: [0, 3, 3, 1])
        XCTAssertEqual(try forwardBackward(MaxPool(kernelSize: 2, stride: 2), laterTie, delta: [7]).deltaPrev.scalars,
                       [0, 7, 0, 0])
    }

    /// k3 s2 on 5×5 with the maximum at the centre, shared by all four windows: its error is
    /// the sum 1 + 2 + 3 + 4 = 10, and Σ Δ_{i−1} = Σ Δ_i.
    func testOverlappingWindowsAccumulate() throws {
        var values = (0..<25).map(Double.init)
        values[12] = 100
        let (a, deltaPrev) = try forwardBackward(MaxPool(kernelSize: 3, stride: 2),
                                                 Tensor(shape: [1, 1, 5, 5], scalars: values), delta: [1, 2, 3, 4])
        XCTAssertEqual(a.scalars, [100, 100, 100, 100])
        XCTAssertEqual(deltaPrev[12], 10)
        XCTAssertEqual(deltaPrev.scalars.reduce(0, +), 10)
        XCTAssertEqual(deltaPrev.scalars.filter { $0 != 0 }.count, 1)
    }

    /// Padding reads −∞, not 0: k3 s2 p1 on the all-negative 4×4 input −1…−16 → [−1 −2; −5 −6].
    func testPaddingIsMinusInfinity() throws {
        let x = Tensor(shape: [1, 1, 4, 4], scalars: (1...16).map { -Double($0) })
        let (a, deltaPrev) = try forwardBackward(MaxPool(kernelSize: 3, stride: 2, padding: 1), x, delta: [1, 2, 3, 4])
        XCTAssertEqual(a.scalars, [-1, -2, -5, -6])
        XCTAssertEqual(Array(deltaPrev.scalars[0..<6]), [1, 2, 0, 0, 3, 4])
    }

    /// Central differences on inputs whose values are a shuffled 0.01-spaced ladder (all distinct),
    /// so every argmax is stable under ±h; several (k, s, p), including (r + 2p − k) mod s ≠ 0.
    /// L is piecewise linear, so h = 1e-4 (≪ 0.01) has no truncation error and less roundoff than
    /// 1e-6 (worst over 40 seeded configurations: 4e-9 with h = 1e-4, 4e-7 with h = 1e-6).
    func testGradientsMatchCentralDifferences() throws {
        for (k, s, p, r) in [(2, 2, 0, 6), (2, 2, 0, 5), (3, 2, 1, 6), (3, 1, 0, 5), (3, 3, 1, 7)] {
            let count = 2 * 3 * r * r
            var rng = PhiloxStream(seed: UInt64(k * 100 + s * 10 + p), stream: 5)
            let x = Tensor(shape: [2, 3, r, r], scalars: rng.permutation(count).map { Double($0) * 0.01 - 1 })
            let report = try checkGradients(of: MaxPool<Double>(kernelSize: k, stride: s, padding: p), input: x,
                                            epsilon: 1e-4)
            XCTAssertLessThan(report.worst, 1e-6, "k\(k) s\(s) p\(p) r\(r): \(report)")
            XCTAssertEqual(Array(report.maxRelativeError.keys), ["deltaPrev"])
        }
    }

    /// The Float32 forward equals the Float64 forward (a max is exact), and Δ_{i−1} can be skipped.
    func testFloatForwardAndSkippedDeltaPrev() throws {
        let x = randomTensor([2, 3, 7, 7], seed: 41)
        var pool = MaxPool<Double>(kernelSize: 3, stride: 2, padding: 1)
        var poolF = MaxPool<Float>(kernelSize: 3, stride: 2, padding: 1)
        let (a, cache) = try pool.forward(x, mode: .training)
        let (aF, _) = try poolF.forward(x.converted(to: Float.self), mode: .training)
        assertClose(aF.converted(to: Double.self), a, relativeTolerance: 1e-7)
        XCTAssertEqual(a.shape, [2, 3, 4, 4])
        var grads: [Tensor<Double>] = []
        XCTAssertEqual(pool.backward(a, cache: cache, gradients: &grads, needsDeltaPrev: false).count, 0)
    }

    /// Inputs that do not fit throw `shapeMismatch` naming the layer.
    func testShapeErrorsThrowNamingTheLayer() {
        var pool = MaxPool<Double>(kernelSize: 3, stride: 2)
        for shape in [[1, 1, 2, 2], [4, 9], [1, 1, 5, 2]] {
            XCTAssertThrowsError(try pool.forward(Tensor(shape: shape), mode: .training), "\(shape)") { error in
                guard case let LayerError.shapeMismatch(layer, _, actual) = error else {
                    return XCTFail("unexpected error \(error)")
                }
                XCTAssertEqual(layer, "maxpool k3 s2 p0")
                XCTAssertEqual(actual, shape)
            }
        }
        XCTAssertEqual(pool.type, .maxpool)
        XCTAssertEqual(pool.parameterCount, 0)
    }
}
