@testable import Experiments
import Layers
import Model
import Training
import XCTest

final class TypedConfigurationTests: XCTestCase {
    let resolver = ConfigurationResolver(file: "s.json")

    func testDefaultsGiveThePapersNetworkAndAConstantRate() throws {
        let resolved = try resolver.resolve(base: [:], seed: 0)
        XCTAssertEqual(resolved.modelConfiguration, ModelConfiguration())
        XCTAssertEqual(resolved.learningRateSchedule, LearningRateSchedule(baseRate: 0.1))
        XCTAssertEqual(resolved.lossReduction, .mean)
    }

    func testEveryModelKeyReachesModelConfiguration() throws {
        let resolved = try resolver.resolve(base: ["model": [
            "architecture": "lenet5-residual", "bn": "before", "residual": true, "blocks_per_stage": 3,
            "activation": "leaky_relu", "init": "he-normal", "bn_momentum": 0.01, "bn_epsilon": 1e-3,
        ]], seed: 0)
        var expected = ModelConfiguration()
        expected.architecture = .lenet5Residual
        expected.batchNorm = .before
        expected.residual = true
        expected.blocksPerStage = 3
        expected.activation = .leakyReLU(negativeSlope: 0.01)
        expected.initialization = .heNormal
        expected.batchNormMomentum = 0.01
        expected.batchNormEpsilon = 1e-3
        XCTAssertEqual(resolved.modelConfiguration, expected)
    }

    func testLayerListBecomesLayerSpecs() throws {
        let resolved = try resolver.resolve(base: ["model": ["architecture": "layers", "layers": [
            ["type": "conv", "out": 6, "k": 5, "p": 2], ["type": "activation"], ["type": "batch_norm"],
            ["type": "maxpool", "k": 2], ["type": "conv", "out": 6, "k": 3, "p": 1], ["type": "tanh"],
            ["type": "shortcut", "span": 2], ["type": "flatten"], ["type": "fc", "out": 10], ["type": "sigmoid"],
        ]]], seed: 0)
        XCTAssertEqual(resolved.modelConfiguration.layers, [
            .conv(outputChannels: 6, kernelSize: 5, stride: 1, padding: 2), .activation(nil), .batchNorm,
            .maxPool(kernelSize: 2, stride: 2, padding: 0), .conv(outputChannels: 6, kernelSize: 3, stride: 1, padding: 1),
            .activation(.tanh), .shortcut(span: 2), .flatten, .fullyConnected(outputFeatures: 10), .activation(.sigmoid),
        ])
        XCTAssertEqual(resolved.modelConfiguration.architecture, .layers)
    }

    func testScheduleWithScalingAndWarmup() throws {
        let resolved = try resolver.resolve(base: ["training": [
            "batch_size": 16, "learning_rate": 0.2, "learning_rate_scaling": ["rule": "linear", "base_batch_size": 64],
            "schedule": ["type": "step", "step_epochs": 2, "gamma": 0.5], "warmup_epochs": 1, "loss_reduction": "sum",
        ]], seed: 0)
        XCTAssertEqual(resolved.learningRateSchedule,
                       LearningRateSchedule(baseRate: 0.05, kind: .step(everyEpochs: 2, gamma: 0.5), warmupEpochs: 1))
        XCTAssertEqual(resolved.lossReduction, .sum)
        let cosine = try resolver.resolve(base: ["training": ["schedule": ["type": "cosine", "min_lr": 0.001]]], seed: 0)
        XCTAssertEqual(cosine.learningRateSchedule.kind, .cosine(minimum: 0.001))
    }

    func testConfigJSONReadsBackToTheSameConfiguration() throws {
        let resolved = try resolver.resolve(base: ["training": ["epochs": 1], "plugins": [["name": "early-stopping", "patience": 1]]], seed: 9)
        let reread = try ResolvedConfiguration(validating: JSONParser.parse(resolved.prettyJSON), file: "config.json")
        XCTAssertEqual(reread, resolved)
        XCTAssertThrowsError(try ResolvedConfiguration(validating: ["seed": -1], file: "config.json")) { error in
            XCTAssertEqual("\(error)", "config.json: seed = -1: must be an integer ≥ 0")
        }
    }
}
