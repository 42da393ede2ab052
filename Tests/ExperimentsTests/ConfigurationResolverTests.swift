@testable import Experiments
import XCTest

final class ConfigurationResolverTests: XCTestCase {
    let resolver = ConfigurationResolver(file: "sweep.json")

    /// The message of the ConfigurationError that resolving `base` throws.
    func message(_ base: JSONValue, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let resolved = try resolver.resolve(base: base, seed: 0)
            XCTFail("accepted: \(resolved.json.canonicalJSON)", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is ConfigurationError, "\(error)", file: file, line: line)
            return "\(error)"
        }
    }

    func testEmptyBaseResolvesToEveryDefaultInTableOrder() throws {
        let resolved = try resolver.resolve(base: [:], seed: 3)
        XCTAssertEqual(resolved.json.prettyJSON, """
            {
              "dataset": {
                "name": "mnist",
                "path": null,
                "train_images": null,
                "train_labels": null,
                "test_images": null,
                "test_labels": null,
                "normalize": "standardize",
                "train_limit": null,
                "test_limit": null,
                "validation": 0
              },
              "model": {
                "architecture": "lenet5",
                "layers": null,
                "bn": "after",
                "residual": false,
                "blocks_per_stage": 1,
                "activation": "relu",
                "init": "pytorch",
                "bn_momentum": 0.1,
                "bn_epsilon": 0.00001,
                "bn_inference": "running"
              },
              "training": {
                "epochs": 5,
                "batch_size": 64,
                "learning_rate": 0.1,
                "learning_rate_scaling": null,
                "momentum": 0,
                "weight_decay": 0,
                "schedule": {
                  "type": "constant"
                },
                "warmup_epochs": 0,
                "shuffle": true,
                "drop_last": false,
                "loss_reduction": "mean",
                "threads": null
              },
              "exports": {
                "weights_every": 1,
                "kernels_every": 1,
                "activations_every": 1,
                "activation_images": [0, 1, 2, 3, 4, 5, 6, 7]
              },
              "plugins": [],
              "seed": 3
            }

            """)
        XCTAssertEqual(resolved.effectiveLearningRate, 0.1)
    }

    func testGivenValuesAreKeptAndNormalised() throws {
        let resolved = try resolver.resolve(base: [
            "training": ["epochs": 2.0, "learning_rate": 1, "schedule": ["type": "step", "step_epochs": 2],
                         "learning_rate_scaling": ["rule": "linear"], "batch_size": 256],
            "model": ["architecture": "layers", "bn": "none", "layers": [
                ["type": "conv", "out": 6, "k": 5], ["type": "relu"], ["type": "maxpool", "k": 2],
                ["type": "flatten"], ["type": "fc", "out": 10]]],
            "plugins": [["name": "early-stopping", "patience": 2], ["name": "kernels-png", "enabled": false]],
        ], seed: 0)
        XCTAssertEqual(resolved["training.epochs"], .int(2))
        XCTAssertEqual(resolved["training.learning_rate"], .double(1))
        XCTAssertEqual(resolved["training.schedule"], ["type": "step", "step_epochs": 2, "gamma": 0.1])
        XCTAssertEqual(resolved["training.learning_rate_scaling"], ["rule": "linear", "base_batch_size": 64])
        XCTAssertEqual(resolved.effectiveLearningRate, 4)  // 1 · 256 / 64
        XCTAssertEqual(resolved["model.layers"].canonicalJSON,
                       #"[{"k":5,"out":6,"p":0,"s":1,"type":"conv"},{"type":"relu"},{"k":2,"p":0,"s":2,"type":"maxpool"},{"type":"flatten"},{"out":10,"type":"fc"}]"#)
        XCTAssertEqual(resolved["plugins"].arrayValue?.count, 2)
        XCTAssertEqual(try resolver.resolve(base: ["training": ["schedule": ["type": "cosine"]]], seed: 0)["training.schedule"],
                       ["type": "cosine", "min_lr": 0.0])
    }

    func testUnknownKeysNameTheNearestKnownKey() {
        XCTAssertEqual(message(["training": ["batch_sise": 16]]),
                       "sweep.json: base.training.batch_sise: unknown key; did you mean base.training.batch_size?")
        XCTAssertEqual(message(["traning": [:]]), "sweep.json: base.traning: unknown key; did you mean base.training?")
        XCTAssertEqual(message(["batch_size": 16]), "sweep.json: base.batch_size: unknown key; did you mean base.training.batch_size?")
        XCTAssertEqual(message(["training": ["bn": "after"]]), "sweep.json: base.training.bn: unknown key; did you mean base.model.bn?")
        XCTAssertEqual(message(["training": ["schedule": ["type": "step", "step_epochs": 1, "gama": 0.5]]]),
                       "sweep.json: base.training.schedule.gama: unknown key; did you mean base.training.schedule.gamma?")
        XCTAssertTrue(message(["model": ["zzzzzzzzzzzz": 1]]).hasPrefix("sweep.json: base.model.zzzzzzzzzzzz: unknown key; known keys: model.architecture, model.layers"))
    }

    func testWrongTypes() {
        XCTAssertEqual(message(["training": ["batch_size": "64"]]),
                       #"sweep.json: base.training.batch_size = "64": expected an integer, got string"#)
        XCTAssertEqual(message(["training": ["epochs": 2.5]]), "sweep.json: base.training.epochs = 2.5: expected an integer, got number")
        XCTAssertEqual(message(["training": ["shuffle": "yes"]]), #"sweep.json: base.training.shuffle = "yes": expected true or false, got string"#)
        XCTAssertEqual(message(["model": "lenet5"]), #"sweep.json: base.model = "lenet5": expected an object, got string"#)
        XCTAssertEqual(message(["plugins": ["progress"]]),
                       #"sweep.json: base.plugins[0] = "progress": expected an object {"name": …, <options>}, got string"#)
    }

    func testOutOfRangeValues() {
        XCTAssertEqual(message(["training": ["batch_size": 0]]), "sweep.json: base.training.batch_size = 0: must be an integer ≥ 1")
        XCTAssertEqual(message(["training": ["learning_rate": -0.1]]), "sweep.json: base.training.learning_rate = -0.1: must be a number > 0")
        XCTAssertEqual(message(["training": ["momentum": 1]]), "sweep.json: base.training.momentum = 1: must be a number in [0, 1)")
        XCTAssertEqual(message(["training": ["epochs": 0]]), "sweep.json: base.training.epochs = 0: must be an integer from 1 to 100000")
        XCTAssertEqual(message(["model": ["architecture": "lenet"]]),
                       #"sweep.json: base.model.architecture = "lenet": must be one of lenet5, lenet5-residual, layers; did you mean "lenet5"?"#)
        XCTAssertEqual(message(["model": ["bn": "middle"]]), #"sweep.json: base.model.bn = "middle": must be one of after, before, none"#)
        XCTAssertTrue(message(["model": ["activation": "gelu"]]).hasPrefix(#"sweep.json: base.model.activation = "gelu": must be one of relu"#))
        XCTAssertTrue(message(["model": ["init": "he"]]).hasPrefix(#"sweep.json: base.model.init = "he": must be one of pytorch, he-normal"#))
        XCTAssertTrue(message(["dataset": ["name": "cifar10"]]).hasPrefix(#"sweep.json: base.dataset.name = "cifar10": must be one of mnist"#))
        XCTAssertTrue(message(["dataset": ["normalize": "minmax"]]).hasPrefix(#"sweep.json: base.dataset.normalize = "minmax""#))
        XCTAssertEqual(message(["training": ["schedule": ["type": "linear"]]]),
                       #"sweep.json: base.training.schedule.type = "linear": must be one of constant, step, cosine"#)
        XCTAssertEqual(message(["training": ["schedule": ["type": "step"]]]),
                       "sweep.json: base.training.schedule.step_epochs: required key is missing")
        XCTAssertEqual(message(["training": ["learning_rate_scaling": ["rule": "sqrt"]]]),
                       #"sweep.json: base.training.learning_rate_scaling.rule = "sqrt": must be one of linear"#)
        XCTAssertEqual(message(["plugins": [["name": "early-stoping"]]]),
                       #"sweep.json: base.plugins[0].name = "early-stoping": unknown plugin; known plugins: metrics-hdf5, weights-hdf5, kernels-png, activations-png, progress, diagnostics, divergence-guard, early-stopping; did you mean "early-stopping"?"#)
        XCTAssertEqual(message(["plugins": [["name": "early-stopping", "patiense": 3]]]),
                       "sweep.json: base.plugins[0].patiense: unknown key; did you mean base.plugins[0].patience?")
        XCTAssertEqual(message(["plugins": [["name": "progress"], ["name": "progress"]]]),
                       #"sweep.json: base.plugins[1].name = "progress": configured twice; merge the two entries"#)
    }

    /// Epoch counts whose step counts (epochs × steps per epoch) overflowed in the schedule are
    /// refused when the sweep is planned, with the allowed range (they trapped or printed nonsense).
    func testHugeEpochCountsAreRefused() throws {
        for huge: JSONValue in [.int(Int64.max), .double(1e18), .int(1 << 62), .int(100_001)] {
            let shown = huge.canonicalJSON
            XCTAssertEqual(message(["training": ["epochs": huge]]),
                           "sweep.json: base.training.epochs = \(shown): must be an integer from 1 to 100000")
            XCTAssertEqual(message(["training": ["epochs": huge, "warmup_epochs": huge]]),
                           "sweep.json: base.training.epochs = \(shown): must be an integer from 1 to 100000")
            XCTAssertEqual(message(["training": ["warmup_epochs": huge]]),
                           "sweep.json: base.training.warmup_epochs = \(shown): must be an integer from 0 to 100000")
            XCTAssertEqual(message(["training": ["schedule": ["type": "step", "step_epochs": huge]]]),
                           "sweep.json: base.training.schedule.step_epochs = \(shown): must be an integer from 1 to 100000")
            XCTAssertThrowsError(try resolver.check(huge, for: "training.epochs", keyPath: "grid.training.epochs[0]")) {
                XCTAssertEqual("\($0)", "sweep.json: grid.training.epochs[0] = \(shown): must be an integer from 1 to 100000")
            }
        }
        XCTAssertEqual(message(["training": ["warmup_epochs": -1]]),
                       "sweep.json: base.training.warmup_epochs = -1: must be an integer from 0 to 100000")
        let largest = try resolver.resolve(base: ["training": ["epochs": 100_000, "warmup_epochs": 100_000,
                                                               "schedule": ["type": "step", "step_epochs": 100_000]]], seed: 0)
        XCTAssertEqual(largest.epochs, 100_000)
        XCTAssertEqual(largest.learningRateSchedule.warmupEpochs, 100_000)
    }

    func testCombinationsOfKeys() {
        XCTAssertEqual(message(["model": ["residual": true]]),
                       #"sweep.json: model.residual = true: needs blocks to bypass: set model.architecture = "lenet5-residual" (it is "lenet5")"#)
        XCTAssertNoThrow(try resolver.resolve(base: ["model": ["architecture": "lenet5-residual", "residual": true, "blocks_per_stage": 2]], seed: 0))
        XCTAssertTrue(message(["model": ["blocks_per_stage": 2]]).hasPrefix("sweep.json: model.blocks_per_stage = 2: only used with"))
        XCTAssertEqual(message(["model": ["architecture": "layers"]]),
                       #"sweep.json: model.layers = null: required with model.architecture = "layers": give a layer list"#)
        XCTAssertTrue(message(["model": ["layers": [["type": "flatten"]]]]).hasPrefix(#"sweep.json: model.layers = [{"type":"flatten"}]: only used with"#))
        XCTAssertEqual(message(["model": ["architecture": "layers", "layers": [["type": "conv", "out": 6]]]]),
                       "sweep.json: base.model.layers[0].k: required key is missing")
        XCTAssertEqual(message(["model": ["architecture": "layers", "layers": [["type": "fc", "out": 10, "k": 1]]]]),
                       "sweep.json: base.model.layers[0].k: unknown key; known keys: type, out")
        XCTAssertEqual(message(["dataset": ["name": "idx"]]),
                       #"sweep.json: dataset.train_images: required with dataset.name = "idx": give the IDX file path"#)
        XCTAssertEqual(message(["training": ["batch_size": 60_001]]),
                       "sweep.json: training.batch_size = 60001: must be ≤ the 60000 training samples (1 … 60000)")
        XCTAssertEqual(message(["training": ["batch_size": 100], "dataset": ["train_limit": 50]]),
                       "sweep.json: training.batch_size = 100: must be ≤ the 50 training samples (1 … 50)")
        XCTAssertTrue(message(["training": ["batch_size": 1]]).hasPrefix("sweep.json: training.batch_size = 1: must be ≥ 2: batch norm on vector data"))
        XCTAssertNoThrow(try resolver.resolve(base: ["training": ["batch_size": 1], "model": ["bn": "none"]], seed: 0))
        XCTAssertTrue(message(["training": ["batch_size": 64], "dataset": ["train_limit": 129]]).contains("leaves a last minibatch of 1"))
        XCTAssertEqual(message(["training": ["warmup_epochs": 6]]), "sweep.json: training.warmup_epochs = 6: must be ≤ training.epochs (5)")
        // Limits beyond a known dataset failed the run after planning ("only 10000 samples are available").
        XCTAssertEqual(message(["dataset": ["test_limit": .int(Int64.max)]]),
                       "sweep.json: dataset.test_limit = 9223372036854775807: must be ≤ the 10000 test samples (1 … 10000), or null for all of them")
        XCTAssertEqual(message(["dataset": ["train_limit": 60_000, "validation": 1000]]),
                       "sweep.json: dataset.train_limit = 60000: must be ≤ the 59000 training samples left after dataset.validation = 1000 (1 … 59000), or null for all of them")
        XCTAssertNoThrow(try resolver.resolve(base: ["dataset": ["train_limit": 59_000, "validation": 1000, "test_limit": 10_000]], seed: 0))
        XCTAssertEqual(message(["exports": ["activation_images": [0, 10_000]]]),
                       "sweep.json: exports.activation_images[1] = 10000: must be a test-set index < 10000")
    }

    func testIdxSizesComeFromTheCaller() throws {
        let idx: JSONValue = ["name": "idx", "train_images": "a", "train_labels": "b", "test_images": "c", "test_labels": "d"]
        XCTAssertNoThrow(try resolver.resolve(base: ["dataset": idx, "training": ["batch_size": 500]], seed: 0))
        let sized = ConfigurationResolver(file: "s.json", datasetSizes: { _ in DatasetSizes(train: 100, test: 5) })
        XCTAssertThrowsError(try sized.resolve(base: ["dataset": idx, "training": ["batch_size": 500]], seed: 0)) { error in
            XCTAssertEqual("\(error)", "s.json: training.batch_size = 500: must be ≤ the 100 training samples (1 … 100)")
        }
    }
}
