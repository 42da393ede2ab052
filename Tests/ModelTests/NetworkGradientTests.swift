import Layers
import Model
import Tensor
import TestSupport
import XCTest

/// Central-difference checks of whole-network backpropagation in Float64 (issue 2 acceptance):
/// at least 20 entries of every parameter tensor, relative error < 1e-6.
final class NetworkGradientTests: XCTestCase {
    /// Checks `entries` evenly spread entries of every parameter (and of Δ_0 when `checkInput`).
    func check(_ configuration: ModelConfiguration, inputShape: [Int] = [1, 28, 28], n: Int = 4,
               entries: Int = 20, file: StaticString = #filePath, line: UInt = #line) throws {
        var net = try Network<Double>(configuration, inputShape: inputShape)
        net.initialize(seed: 11)
        let classes = net.shapes.last![0]
        let x = randomTensor([n] + inputShape, seed: 5, low: -1.5, high: 2.5)
        let labels = (0..<n).map { ($0 * 7 + 3) % classes }
        var grads = NetworkGradients(zeroFor: net)
        _ = try net.lossAndGradients(images: x, labels: labels, reduction: .sum, gradients: &grads)
        let analytic = grads.tensors

        func loss(_ candidate: Network<Double>) throws -> Double {
            var copy = candidate
            let (logits, _, _) = try copy.forward(x, mode: .training)
            return SoftmaxCrossEntropy<Double>.evaluate(logits: logits, labels: labels, reduction: .sum).score.loss
        }
        let h = 1e-6
        var worstOverall = 0.0
        for (t, name) in net.parameterNames.enumerated() {
            let count = analytic[t].count
            var worst = 0.0
            for e in 0..<min(entries, count) {
                let i = e * count / min(entries, count) + (e * 7919) % max(1, count / min(entries, count))
                var plus = net, minus = net
                var p = plus.parameters, m = minus.parameters
                p[t][i] += h
                m[t][i] -= h
                plus.parameters = p
                minus.parameters = m
                let numeric = (try loss(plus) - loss(minus)) / (2 * h)
                worst = max(worst, relativeError(analytic[t][i], numeric))
            }
            XCTAssertLessThan(worst, 1e-6, "\(name)", file: file, line: line)
            worstOverall = max(worstOverall, worst)
        }
        print("gradient check \(configuration.architecture.rawValue) bn=\(configuration.batchNorm.rawValue) "
              + "residual=\(configuration.residual): worst relative error \(worstOverall)")
    }

    func testLeNet5BatchNormAfter() throws {
        try check(ModelConfiguration())
    }

    func testLeNet5BatchNormBefore() throws {
        var c = ModelConfiguration()
        c.batchNorm = .before
        try check(c)
    }

    func testLeNet5WithoutBatchNorm() throws {
        var c = ModelConfiguration()
        c.batchNorm = .none
        try check(c)
    }

    func testLeNet5ResidualIdentityShortcuts() throws {
        var c = ModelConfiguration()
        c.architecture = .lenet5Residual
        c.residual = true
        try check(c)
    }

    func testProjectionShortcuts() throws {
        var c = ModelConfiguration()
        c.architecture = .layers
        c.layers = [
            .conv(outputChannels: 4, kernelSize: 3, stride: 1, padding: 1), .activation(.tanh),
            .conv(outputChannels: 6, kernelSize: 3, stride: 2, padding: 1), .batchNorm, .activation(.tanh),
            .shortcut(span: 3),
            .flatten, .fullyConnected(outputFeatures: 12), .activation(.tanh),
            .fullyConnected(outputFeatures: 5), .shortcut(span: 2),
        ]
        try check(c, inputShape: [2, 6, 6], n: 3)
    }
}
