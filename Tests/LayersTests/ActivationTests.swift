import Layers
import Tensor
import TestSupport
import XCTest

final class ActivationTests: XCTestCase {
    static let allKinds: [Activation<Double>.Kind] = [.relu, .leakyReLU(), .leakyReLU(negativeSlope: 0.2), .tanh, .sigmoid]

    /// Uniform values in [−1, 1) pushed to |x| ≥ 0.1, so that x ± h never crosses the kink at 0.
    func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var x = randomTensor(shape, seed: seed)
        for i in 0..<x.count { x[i] += x[i] < 0 ? -0.1 : 0.1 }
        return x
    }

    func testGradientsMatchCentralDifferencesForEveryKind() throws {
        for kind in Self.allKinds {
            for shape in [[3, 5], [2, 3, 4, 4]] {
                let report = try checkGradients(of: Activation<Double>(kind), input: awayFromZero(shape, seed: 11))
                XCTAssertLessThan(report.worst, 1e-6, "\(kind) \(shape): \(report)")
                XCTAssertEqual(Array(report.maxRelativeError.keys), ["deltaPrev"])
            }
        }
    }

    func testTypesAndDefaults() {
        XCTAssertEqual(Activation<Float>().kind, .relu)
        XCTAssertEqual(Activation<Float>.Kind.leakyReLU(), .leakyReLU(negativeSlope: 0.01))
        XCTAssertEqual(Self.allKinds.map { Activation<Double>($0).type }, [.relu, .leaky_relu, .leaky_relu, .tanh, .sigmoid])
        XCTAssertEqual(Activation<Float>().parameterCount, 0)
        XCTAssertTrue(Activation<Float>().buffers.isEmpty)
    }

    /// Hand-computed forward values, and g′(0) = 0 for ReLU / g′(0) = slope for leaky ReLU.
    func testReLUAndLeakyKnownAnswers() throws {
        let x = Tensor<Double>(shape: [1, 5], scalars: [-2, -0.5, 0, 0.5, 3])
        let ones = Tensor<Double>(shape: [1, 5], repeating: 1)
        var relu = Activation<Double>(.relu)
        let (a, cache) = try relu.forward(x, mode: .training)
        XCTAssertEqual(a.scalars, [0, 0, 0, 0.5, 3])
        var none: [Tensor<Double>] = []
        XCTAssertEqual(relu.backward(ones, cache: cache, gradients: &none, needsDeltaPrev: true).scalars, [0, 0, 0, 1, 1])

        var leaky = Activation<Double>(.leakyReLU())
        let (b, leakyCache) = try leaky.forward(x, mode: .inference)
        XCTAssertEqual(b.scalars, [-0.02, -0.005, 0, 0.5, 3])
        XCTAssertEqual(leaky.backward(ones, cache: leakyCache, gradients: &none, needsDeltaPrev: true).scalars,
                       [0.01, 0.01, 0.01, 1, 1])
    }

    /// tanh(0.5), σ(0), σ(2) from Python's math module; σ(±1000) must not overflow to NaN.
    func testTanhAndSigmoidKnownAnswers() throws {
        var tanh = Activation<Double>(.tanh)
        XCTAssertEqual(try tanh.forward(Tensor(shape: [1, 1], scalars: [0.5]), mode: .training).0[0],
                       0.46211715726000974, accuracy: 1e-15)
        var sigmoid = Activation<Double>(.sigmoid)
        let (s, _) = try sigmoid.forward(Tensor(shape: [1, 4], scalars: [0, 2, -1000, 1000]), mode: .training)
        XCTAssertEqual(s[0], 0.5)
        XCTAssertEqual(s[1], 0.8807970779778823, accuracy: 1e-15)
        XCTAssertEqual(s[2], 0)
        XCTAssertEqual(s[3], 1)
        var sigmoidF = Activation<Float>(.sigmoid)
        let (sf, _) = try sigmoidF.forward(Tensor(shape: [2], scalars: [-1000, 1000]), mode: .training)
        XCTAssertEqual(sf.scalars, [0, 1])
    }

    func testReLUPropagatesNaNAndSkipsDeltaPrevWhenNotNeeded() throws {
        var relu = Activation<Float>()
        let (a, cache) = try relu.forward(Tensor(shape: [2], scalars: [.nan, -1]), mode: .training)
        XCTAssertTrue(a[0].isNaN)
        var none: [Tensor<Float>] = []
        XCTAssertEqual(relu.backward(a, cache: cache, gradients: &none, needsDeltaPrev: false).count, 0)
    }
}
