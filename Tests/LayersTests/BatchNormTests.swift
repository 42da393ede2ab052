import Layers
import Tensor
import TestSupport
import XCTest

final class BatchNormTests: XCTestCase {
    /// A layer with random w ∈ [0.5, 1.5), b ∈ [−1, 1) so that no gradient is trivially 0.
    func randomLayer(_ d: Int, seed: UInt64) -> BatchNorm<Double> {
        var bn = BatchNorm<Double>(featureCount: d)
        bn.parameters[0] = randomTensor([d], seed: seed, low: 0.5, high: 1.5)
        bn.parameters[1] = randomTensor([d], seed: seed + 1)
        return bn
    }

    func testInitialValuesAndNames() {
        let bn = BatchNorm<Float>(featureCount: 3)
        XCTAssertEqual(bn.parameters.map(\.scalars), [[1, 1, 1], [0, 0, 0]])
        XCTAssertEqual(bn.buffers.map(\.scalars), [[0, 0, 0], [1, 1, 1]])
        XCTAssertEqual(bn.parameterNames, ["w", "b"])
        XCTAssertEqual(bn.bufferNames, ["running_mean", "running_var"])
        XCTAssertEqual([bn.momentum, bn.epsilon], [0.1, 1e-5])
        XCTAssertEqual(bn.type, .batch_norm)
    }

    func testTrainingGradients2D() throws {
        let report = try checkGradients(of: randomLayer(3, seed: 1), input: randomTensor([5, 3], seed: 3, low: -2, high: 3))
        XCTAssertLessThan(report.worst, 1e-6, "\(report)")
        XCTAssertEqual(Set(report.maxRelativeError.keys), ["deltaPrev", "w", "b"])
    }

    func testTrainingGradients4D() throws {
        let report = try checkGradients(of: randomLayer(3, seed: 4), input: randomTensor([2, 3, 3, 3], seed: 6))
        XCTAssertLessThan(report.worst, 1e-6, "\(report)")
    }

    func testInferenceGradients2DAnd4D() throws {
        for shape in [[4, 3], [2, 3, 2, 2]] {
            var bn = randomLayer(3, seed: 8)
            bn.buffers = [randomTensor([3], seed: 9), randomTensor([3], seed: 10, low: 0.2, high: 2)]
            let report = try checkGradients(of: bn, input: randomTensor(shape, seed: 12), mode: .inference)
            XCTAssertLessThan(report.worst, 1e-6, "\(shape): \(report)")
        }
    }

    /// With w = 1, b = 0 (and ε = 0) every channel of A_i has mean 0 and biased variance 1.
    func testTrainingOutputIsStandardisedPerChannel() throws {
        var bn = BatchNorm<Double>(featureCount: 4, epsilon: 0)
        let (a, cache) = try bn.forward(randomTensor([3, 4, 5, 5], seed: 21, low: -3, high: 7), mode: .training)
        let moments = ChannelMoments(of: a)
        for c in 0..<4 {
            XCTAssertEqual(moments.mean[c], 0, accuracy: 1e-12)
            XCTAssertEqual(moments.biasedVariance[c], 1, accuracy: 1e-12)
        }
        XCTAssertEqual(cache.nEff, 75)
    }

    /// Golden values: scripts/golden/layers_batchnorm_softmax.py (torch 1.13 BatchNorm1d, float64).
    func testOneTrainingStepMatchesPyTorch2D() throws {
        var bn = BatchNorm<Double>(featureCount: 2)
        let x = Tensor<Double>(shape: [4, 2], scalars: [1, 2, 3, -1, 0, 0.5, 4, 2.5])
        let (a, cache) = try bn.forward(x, mode: .training)
        let torchY: [Double] = [-0.6324542671264065, 0.730294795890029, 0.6324542671264065, -1.460589591780058,
                                -1.264908534252813, -0.3651473979450145, 1.264908534252813, 1.0954421938350434]
        assertClose(a, Tensor(shape: [4, 2], scalars: torchY), relativeTolerance: 1e-12)
        assertClose(bn.buffers[0], Tensor(shape: [2], scalars: [0.2, 0.1]), relativeTolerance: 1e-12)
        assertClose(bn.buffers[1], Tensor(shape: [2], scalars: [1.2333333333333334, 1.15]), relativeTolerance: 1e-12)
        // By hand: means (1+3+0+4)/4 = 2, (2−1+0.5+2.5)/4 = 1; biased variances 10/4, 7.5/4.
        XCTAssertEqual(cache.batchMean, [2, 1])
        XCTAssertEqual(cache.batchVariance, [2.5, 1.875])
    }

    /// Golden values: scripts/golden/layers_batchnorm_softmax.py (torch 1.13 BatchNorm2d,
    /// momentum 0.2, eps 1e-3, w = [2, −0.5], b = [0.25, 1], x_i = 0.1 i² − i, Δ = linspace(−1, 1, 16)).
    func testForwardAndBackwardMatchPyTorch4D() throws {
        var bn = BatchNorm<Double>(featureCount: 2, momentum: 0.2, epsilon: 1e-3)
        bn.parameters = [Tensor(shape: [2], scalars: [2, -0.5]), Tensor(shape: [2], scalars: [0.25, 1])]
        let x = Tensor<Double>(shape: [2, 2, 2, 2], scalars: (0..<16).map { Double($0) * Double($0) * 0.1 - Double($0) })
        let (a, cache) = try bn.forward(x, mode: .training)
        let torchY: [Double] = [
            1.762530277167786, -0.05250605543355791, -1.4642009807901588, -2.4725544989020167,
            1.4746508205273292, 1.4876549525965712, 1.4746508205273292, 1.4356384243196036,
            -1.464200980790158, -0.05250605543355858, 1.762530277167786, 3.980908017013876,
            0.8504524812037183, 0.6553905001650897, 0.43432025498797755, 0.18724174567238172]
        assertClose(a, Tensor(shape: [2, 2, 2, 2], scalars: torchY), relativeTolerance: 1e-12)
        assertClose(bn.buffers[0], Tensor(shape: [2], scalars: [-0.14999999999999997, 0.2500000000000001]),
                    relativeTolerance: 1e-12)
        assertClose(bn.buffers[1], Tensor(shape: [2], scalars: [1.0245714285714287, 4.178857142857144]),
                    relativeTolerance: 1e-12)

        let delta = Tensor<Double>(shape: [2, 2, 2, 2], scalars: (0..<16).map { -1 + 2 * Double($0) / 15 })
        var grads = bn.zeroGradients()
        let deltaPrev = bn.backward(delta, cache: cache, gradients: &grads, needsDeltaPrev: true)
        let torchDX: [Double] = [
            -1.832636809192688, -1.1392805585418366, -0.5402491921475088, -0.035542710009704395,
            0.028902567193815457, 0.009742873257274895, -0.005775118324162928, -0.017651407550498002,
            1.0731164368314636, 1.011873613430127, 0.8563059057722662, 0.6064133138578814,
            -0.022407318355632186, -0.012433393451350753, 0.0011822338080333748, 0.01843956342252024]
        assertClose(deltaPrev, Tensor(shape: [2, 2, 2, 2], scalars: torchDX), relativeTolerance: 1e-12)
        assertClose(grads[0], Tensor(shape: [2], scalars: [1.8553704733258194, 4.306968541332916]), relativeTolerance: 1e-12)
        assertClose(grads[1], Tensor(shape: [2], scalars: [-2.1333333333333333, 2.1333333333333337]), relativeTolerance: 1e-12)

        // backward accumulates (+=): a second call doubles the parameter gradients.
        _ = bn.backward(delta, cache: cache, gradients: &grads, needsDeltaPrev: false)
        assertClose(grads[1], Tensor(shape: [2], scalars: [-4.2666666666666666, 4.2666666666666674]), relativeTolerance: 1e-12)
    }

    /// Inference: A_i = w (x − running_mean)/√(running_var + ε) + b, buffers unchanged.
    func testInferenceUsesBuffersWithoutUpdating() throws {
        var bn = BatchNorm<Double>(featureCount: 2, epsilon: 0)
        bn.parameters = [Tensor(shape: [2], scalars: [2, 1]), Tensor(shape: [2], scalars: [0, 1])]
        bn.buffers = [Tensor(shape: [2], scalars: [1, -1]), Tensor(shape: [2], scalars: [4, 0.25])]
        let before = bn.buffers
        let (a, cache) = try bn.forward(Tensor(shape: [1, 2], scalars: [3, 0]), mode: .inference)
        XCTAssertEqual(a.scalars, [2, 3])  // 2·(3 − 1)/√4 + 0, 1·(0 + 1)/√0.25 + 1
        XCTAssertEqual(bn.buffers, before)
        XCTAssertTrue(cache.batchMean.isEmpty)
    }

    func testSingleValuePerFeatureThrowsNamingTheLayer() throws {
        var bn = BatchNorm<Float>(featureCount: 3, label: "layer 12 (batch_norm)")
        for shape in [[1, 3], [1, 3, 1, 1]] {
            XCTAssertThrowsError(try bn.forward(Tensor(shape: shape, repeating: 1), mode: .training)) { error in
                XCTAssertEqual(error as? LayerError, .singleValuePerFeature(layer: "layer 12 (batch_norm)", shape: shape))
                XCTAssertTrue("\(error)".hasPrefix("layer 12 (batch_norm): batch normalisation in training"), "\(error)")
            }
        }
        XCTAssertEqual(bn.buffers[1].scalars, [1, 1, 1], "a failed step must not touch the running statistics")
        XCTAssertNoThrow(try bn.forward(Tensor(shape: [1, 3, 2, 2], scalars: (0..<12).map(Float.init)), mode: .training))
        XCTAssertNoThrow(try bn.forward(Tensor(shape: [1, 3]), mode: .inference))
        XCTAssertThrowsError(try bn.forward(Tensor(shape: [4, 2]), mode: .training))
    }
}
