// PyTorch agreement (issue 2): the engine against the golden values that
// scripts/make_golden_pytorch.py computed with PyTorch from the same initial weights and the
// same real MNIST images (Tests/Fixtures/golden/README.md).
//
// Measure, per tensor: max |a − b| / max |b|, a the engine's value, b PyTorch's.
// - One training step in Float32 on images 0…31: logits, loss, every ∂L/∂P and the batch-norm
//   running statistics after the forward pass agree to < 1e-4.
// - Ten SGD steps in Float64 (λ 0.05, momentum 0.9, weight decay 5e-4, batch k = images
//   16k…16k+15): every step's loss and every final parameter and buffer agree to < 1e-8.
// The worst differences are printed per variant (docs/ARCHITECTURE.md quotes them), next to
// what rounding alone does in PyTorch itself for the same tensor (the generator measures it:
// its Float32 step against its Float64 step; its Float64 trajectory against one from weights
// perturbed by 1e-16), the floor under any agreement.
//
// One exception to "relative to its own size": a bias directly followed by batch norm
// (bn = before: P0.b, P4.b, P9.b, P12.b) has gradient 0 in exact arithmetic, because BN
// subtracts the minibatch mean; both Float32 values are rounding noise (PyTorch's P0.b: 5e-6),
// so its difference is measured against the same layer's weight gradient, max |∂L/∂w|. The
// generator lists these biases as "zero_gradients" after checking them in Float64.

import Foundation
import Model
import Tensor
import TestSupport
import Training
import XCTest

/// The golden variants and the engine configuration each one was generated for.
enum GoldenVariant: String, CaseIterable {
    case batchNormAfter = "lenet5-bn-after"
    case batchNormBefore = "lenet5-bn-before"
    case batchNormNone = "lenet5-bn-none"
    case residual = "lenet5-residual"

    /// lenet5 with bn after/before/none; lenet5-residual with bn after, one block per stage.
    var configuration: ModelConfiguration {
        var configuration = ModelConfiguration()
        switch self {
        case .batchNormAfter: configuration.batchNorm = .after
        case .batchNormBefore: configuration.batchNorm = .before
        case .batchNormNone: configuration.batchNorm = .none
        case .residual:
            configuration.architecture = .lenet5Residual
            configuration.batchNorm = .after
            configuration.residual = true
            configuration.blocksPerStage = 1
        }
        return configuration
    }
}

/// The relative differences of one comparison, collected to be asserted and printed.
struct AgreementReport {
    /// What was compared, e.g. "lenet5-bn-after, one step in Float32".
    var title: String
    /// The bound every difference must stay below.
    var tolerance: Double
    /// (what, max |a − b| / scale, PyTorch's own rounding floor for it), in comparison order.
    private(set) var rows: [(name: String, relative: Double, floor: Double?)] = []

    init(title: String, tolerance: Double) {
        self.title = title
        self.tolerance = tolerance
    }

    /// Records and asserts max |a − b| / scale, scale = max |b| unless given; `floor` is
    /// PyTorch's own rounding difference for the tensor, printed for context.
    mutating func compare<Scalar: TensorScalar>(
        _ name: String, _ actual: Tensor<Scalar>, _ expected: Tensor<Double>, scale: Double? = nil,
        floor: Double? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(actual.shape, expected.shape, "\(title): \(name) shape", file: file, line: line)
        guard actual.shape == expected.shape else { return }
        let difference = actual.converted(to: Double.self).maxAbsDifference(expected)
        record(name, difference: difference, scale: scale ?? expected.maxAbs, floor: floor, file: file, line: line)
    }

    /// Records and asserts |a − b| / |b| for a scalar.
    mutating func compare(_ name: String, _ actual: Double, _ expected: Double, floor: Double? = nil,
                          file: StaticString = #filePath, line: UInt = #line) {
        record(name, difference: abs(actual - expected), scale: abs(expected), floor: floor, file: file, line: line)
    }

    private mutating func record(_ name: String, difference: Double, scale: Double, floor: Double?,
                                 file: StaticString, line: UInt) {
        let relative = difference / scale
        rows.append((name, relative, floor))
        XCTAssertLessThan(relative, tolerance,
                          "\(title): \(name): max |a − b| = \(difference), scale \(scale)",
                          file: file, line: line)
    }

    /// The largest difference among the rows whose name starts with `prefix`.
    func worst(_ prefix: String = "") -> (name: String, relative: Double, floor: Double?)? {
        rows.filter { $0.name.hasPrefix(prefix) }.max { $0.relative < $1.relative }
    }

    /// One line per group: the worst difference and where it occurred.
    func summary(groups: [String]) -> String {
        let lines = groups.compactMap { group -> String? in
            guard let w = worst(group) else { return nil }
            let floor = w.floor.map { String(format: "; PyTorch's own rounding there: %.2e", $0) } ?? ""
            return "  \(group.isEmpty ? "all" : group): \(String(format: "%.2e", w.relative)) (\(w.name)\(floor))"
        }
        return "PyTorch agreement, \(title) (tolerance \(tolerance)):\n" + lines.joined(separator: "\n")
    }
}

final class PyTorchAgreementTests: XCTestCase {
    static let float32Tolerance = 1e-4
    static let float64Tolerance = 1e-8
    static let stepBatchSize = 32
    static let trajectoryBatchSize = 16
    static let trajectorySteps = 10
    static let learningRate = 0.05
    static let momentum = 0.9
    static let weightDecay = 5e-4

    // MARK: - One training step in Float32

    func testBatchNormAfterOneStepFloat32() throws { try checkOneStep(.batchNormAfter) }
    func testBatchNormBeforeOneStepFloat32() throws { try checkOneStep(.batchNormBefore) }
    func testBatchNormNoneOneStepFloat32() throws { try checkOneStep(.batchNormNone) }
    func testResidualOneStepFloat32() throws { try checkOneStep(.residual) }

    // MARK: - Ten SGD steps in Float64

    func testBatchNormAfterTrajectoryFloat64() throws { try checkTrajectory(.batchNormAfter) }
    func testBatchNormBeforeTrajectoryFloat64() throws { try checkTrajectory(.batchNormBefore) }
    func testBatchNormNoneTrajectoryFloat64() throws { try checkTrajectory(.batchNormNone) }
    func testResidualTrajectoryFloat64() throws { try checkTrajectory(.residual) }

    // MARK: - The fixtures themselves

    /// The shared inputs are the first MNIST training images, standardised, with their labels.
    func testGoldenInputsAreStandardisedMNIST() throws {
        let inputs = try GoldenFile(named: "inputs")
        let images: Tensor<Double> = try inputs.tensor("input")
        XCTAssertEqual(images.shape, [160, 1, 28, 28])
        // Image 0 is a 5; its top-left pixel is 0, i.e. (0 − 0.1307) / 0.3081.
        XCTAssertEqual(images[0], -0.1307 / 0.3081, accuracy: 1e-15)
        XCTAssertEqual(try labels(inputs, 0..<10), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
    }

    // MARK: - Helpers

    /// One forward/backward in training mode on images 0…31, compared with PyTorch's.
    private func checkOneStep(_ variant: GoldenVariant) throws {
        let golden = try GoldenFile(named: variant.rawValue)
        let inputs = try GoldenFile(named: "inputs")
        var network = try loadNetwork(variant, golden, Float.self)
        let rows = 0..<Self.stepBatchSize
        var gradients = NetworkGradients(zeroFor: network)
        let (loss, _, logits) = try network.lossAndGradients(
            images: inputs.tensor("input", rows: rows), labels: labels(inputs, rows), gradients: &gradients)

        var report = AgreementReport(title: "\(variant.rawValue), one step in Float32",
                                     tolerance: Self.float32Tolerance)
        let floors = golden.metadata("pytorch_float32_error", "per_tensor") as? [String: Double] ?? [:]
        report.compare("logits", logits, try golden.tensor("step1_f32/logits"), floor: floors["logits"])
        report.compare("loss", loss, try golden.scalar("step1_f32/loss"), floor: floors["loss"])
        let zeroGradients = Set(golden.metadata("zero_gradients") as? [String] ?? [])
        for (name, gradient) in zip(network.parameterNames, gradients.tensors) {
            let expected: Tensor<Double> = try golden.tensor("step1_f32/grad/\(name)")
            if zeroGradients.contains(name) {
                let weight = String(name.dropLast()) + "w"
                let scale: Tensor<Double> = try golden.tensor("step1_f32/grad/\(weight)")
                report.compare("grad \(name) (scale: max |grad \(weight)|)", gradient, expected, scale: scale.maxAbs)
            } else {
                report.compare("grad \(name)", gradient, expected, floor: floors["grad/\(name)"])
            }
        }
        for name in network.bufferNames {
            report.compare("buffer \(name)", try network.tensor(named: name), try golden.tensor("step1_f32/\(name)"),
                           floor: floors[name])
        }
        XCTAssertEqual(report.rows.count, 2 + network.parameterNames.count + network.bufferNames.count)
        print(report.summary(groups: ["logits", "loss", "grad", "buffer", ""]))
    }

    /// Ten SGD steps in training mode, batch k = images 16k…16k+15, compared with PyTorch's.
    private func checkTrajectory(_ variant: GoldenVariant) throws {
        let golden = try GoldenFile(named: variant.rawValue)
        let inputs = try GoldenFile(named: "inputs")
        XCTAssertEqual(golden.metadata("trajectory_f64", "learning_rate") as? Double, Self.learningRate)
        XCTAssertEqual(golden.metadata("trajectory_f64", "momentum") as? Double, Self.momentum)
        XCTAssertEqual(golden.metadata("trajectory_f64", "weight_decay") as? Double, Self.weightDecay)
        let expectedLosses = try golden.scalars("trajectory_f64/losses")
        XCTAssertEqual(expectedLosses.count, Self.trajectorySteps)

        var network = try loadNetwork(variant, golden, Double.self)
        var optimizer = SGD<Double>(momentum: Self.momentum, weightDecay: Self.weightDecay)
        var gradients = NetworkGradients(zeroFor: network)
        let floors = golden.metadata("pytorch_float64_sensitivity", "per_tensor") as? [String: Double] ?? [:]
        var report = AgreementReport(title: "\(variant.rawValue), \(Self.trajectorySteps) SGD steps in Float64",
                                     tolerance: Self.float64Tolerance)
        for (k, expected) in expectedLosses.enumerated() {
            let rows = (Self.trajectoryBatchSize * k)..<(Self.trajectoryBatchSize * (k + 1))
            let (loss, _, _) = try network.lossAndGradients(
                images: inputs.tensor("input", rows: rows), labels: labels(inputs, rows), gradients: &gradients)
            report.compare("loss of step \(k + 1)", loss, expected, floor: floors["losses"])
            optimizer.step(&network, gradients: gradients, learningRate: Self.learningRate)
        }
        for name in network.parameterNames {
            report.compare("parameter \(name)", try network.tensor(named: name),
                           try golden.tensor("trajectory_f64/final/\(name)"), floor: floors[name])
        }
        for name in network.bufferNames {
            report.compare("buffer \(name)", try network.tensor(named: name),
                           try golden.tensor("trajectory_f64/final/\(name)"), floor: floors[name])
        }
        print(report.summary(groups: ["loss", "parameter", "buffer", ""]))
    }

    /// A network of `variant` holding the golden initial parameters and buffers.
    private func loadNetwork<Scalar: TensorScalar>(
        _ variant: GoldenVariant, _ golden: GoldenFile, _: Scalar.Type
    ) throws -> Network<Scalar> {
        let configuration = variant.configuration
        XCTAssertEqual(golden.metadata("model", "architecture") as? String, configuration.architecture.rawValue)
        XCTAssertEqual(golden.metadata("model", "bn") as? String, configuration.batchNorm.rawValue)
        XCTAssertEqual(golden.metadata("model", "residual") as? Bool, configuration.residual)
        var network = try Network<Scalar>(configuration)
        XCTAssertEqual(network.parameterNames, golden.metadata("parameter_names") as? [String])
        XCTAssertEqual(network.bufferNames, golden.metadata("buffer_names") as? [String])
        XCTAssertEqual(network.parameterCount, golden.metadata("parameter_count") as? Int)
        for name in network.parameterNames + network.bufferNames {
            try network.setTensor(golden.tensor("init/\(name)"), named: name)
        }
        return network
    }

    /// The class labels of inputs `rows`.
    private func labels(_ inputs: GoldenFile, _ rows: Range<Int>) throws -> [Int] {
        let labels: Tensor<Double> = try inputs.tensor("labels", rows: rows)
        return labels.scalars.map { Int($0) }
    }
}
