import Model
import Tensor
import Training
import XCTest

final class SGDTests: XCTestCase {
    /// A one-layer network so that the update can be computed by hand.
    func tinyNetwork() throws -> Network<Double> {
        var c = ModelConfiguration()
        c.architecture = .layers
        c.layers = [.flatten, .fullyConnected(outputFeatures: 2)]
        var net = try Network<Double>(c, inputShape: [1, 1, 2])
        net.parameters = [Tensor(shape: [2, 2], scalars: [1, -1, 0.5, 2]), Tensor(shape: [2], scalars: [0.1, -0.2])]
        return net
    }

    /// PyTorch's SGD: v ← g + wd·P (first step), then μ·v + g + wd·P; P ← P − λ·v.
    func testMomentumAndWeightDecayFollowPyTorch() throws {
        var net = try tinyNetwork()
        var sgd = SGD<Double>(momentum: 0.9, weightDecay: 0.01)
        let x = Tensor<Double>(shape: [1, 1, 1, 2], scalars: [1, 2])
        var grads = NetworkGradients(zeroFor: net)
        // Step 1: the gradient of the summed CE for label 0.
        _ = try net.lossAndGradients(images: x, labels: [0], reduction: .sum, gradients: &grads)
        let g1 = grads.tensors
        let p0 = net.parameters
        sgd.step(&net, gradients: grads, learningRate: 0.5)
        for t in 0..<2 {
            for i in 0..<p0[t].count {
                let v = g1[t][i] + 0.01 * p0[t][i]
                XCTAssertEqual(net.parameters[t][i], p0[t][i] - 0.5 * v, accuracy: 1e-15)
            }
        }
        // Step 2 uses the momentum buffer.
        let p1 = net.parameters
        let v1 = sgd.momentumBuffers
        _ = try net.lossAndGradients(images: x, labels: [0], reduction: .sum, gradients: &grads)
        let g2 = grads.tensors
        sgd.step(&net, gradients: grads, learningRate: 0.5)
        for t in 0..<2 {
            for i in 0..<p1[t].count {
                let v = 0.9 * v1[t][i] + g2[t][i] + 0.01 * p1[t][i]
                XCTAssertEqual(net.parameters[t][i], p1[t][i] - 0.5 * v, accuracy: 1e-15)
            }
        }
    }

    func testPlainSGDIsEquationFour() throws {
        var net = try tinyNetwork()
        var sgd = SGD<Double>()
        var grads = NetworkGradients(zeroFor: net)
        _ = try net.lossAndGradients(images: Tensor(shape: [1, 1, 1, 2], scalars: [1, 2]), labels: [1],
                                     reduction: .mean, gradients: &grads)
        let before = net.parameters, g = grads.tensors
        sgd.step(&net, gradients: grads, learningRate: 0.1)
        XCTAssertTrue(sgd.momentumBuffers.isEmpty)
        XCTAssertEqual(net.parameters[0][3], before[0][3] - 0.1 * g[0][3], accuracy: 1e-15)
        XCTAssertNotEqual(g[0][3], 0)
    }
}
