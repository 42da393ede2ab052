// Shared fixtures for the Results*Tests: sample records, provenance, networks, temporary
// directories and the /usr/bin/python3 runner.

import Datasets
import Foundation
@testable import Experiments
import Model
import Tensor
import TestSupport
import XCTest

enum ResultsFixtures {
    /// A fresh directory, removed when the test ends.
    static func directory(_ test: XCTestCase) throws -> String {
        let path = NSTemporaryDirectory() + "exp-results-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A resolved configuration (lenet5, the given bn placement, validation set when asked).
    static func configuration(bn: String = "after", validation: Int = 0) throws -> ResolvedConfiguration {
        try ConfigurationResolver(file: "test").resolve(base: ["model": ["bn": .string(bn)], "dataset": ["validation": .int(Int64(validation))]], seed: 0)
    }

    static let datasetsJSON = #"{"name":"mnist","files":[{"role":"train_images","path":"/data/mnist/train-images-idx3-ubyte.gz","sha256":"\#(String(repeating: "a", count: 64))","content_sha256":"\#(String(repeating: "b", count: 64))","expected_content_sha256":"\#(String(repeating: "b", count: 64))"},{"role":"test_labels","path":"/data/mnist/t10k-labels-idx1-ubyte.gz","sha256":"\#(String(repeating: "c", count: 64))","content_sha256":"\#(String(repeating: "d", count: 64))"}]}"#

    static func provenance(configJSON: String, runID: String = "3fa9c21b") throws -> RunProvenance {
        let datasets = try JSONDecoder().decode(DatasetProvenance.self, from: Data(datasetsJSON.utf8))
        return RunProvenance(configJSON: configJSON, runID: runID, sweep: "batchsize", seed: 0, engineVersion: "0.1.0",
                             gitCommit: String(repeating: "f", count: 40), gitDirty: true, swiftVersion: "6.3.1",
                             blas: BLASDescription(library: "openblas", core: "Haswell", threads: 1), host: "host-ü",
                             datasets: datasets, skippedSamplesPerEpoch: 32)
    }

    /// A record with awkward values (negative zero, subnormals, 1/3) to prove bit-exactness.
    static func record(epochs: Int = 3, stepsPerEpoch: Int = 5, validation: Bool = true, diagnostics: Bool = true) -> MetricsRecord {
        var record = MetricsRecord()
        for e in 0...epochs {
            let x = Double(e)
            record.epochs.append(EpochMetrics(epoch: e, trainLoss: 2.302585092994046 / (x + 1), trainAccuracy: x / 3,
                                              testLoss: e == 0 ? -0.0 : 1 / (x + 0.1), testAccuracy: 0.1 * x + 1e-17,
                                              validationLoss: validation ? 0.5 / (x + 1) : nil,
                                              validationAccuracy: validation ? Double.leastNonzeroMagnitude * x : nil,
                                              learningRate: 0.1 * pow(0.5, x), seconds: e == 0 ? 0 : 2.25 * x))
        }
        for s in 0..<(epochs * stepsPerEpoch) {
            record.steps.append(StepMetrics(trainLoss: Float(2.3) / Float(s + 1), learningRate: 0.1 / Double(s + 1),
                                            samplesSeen: Int64(64 * (s + 1))))
        }
        if diagnostics {
            record.diagnostics = ["P0/grad_norm": (1...epochs).map { 1 / Double($0) },
                                  "P4/update_ratio": (1...epochs).map { 1e-3 * Double($0) },
                                  "dead_relu_fraction": (1...epochs).map { Double($0) / 7 }]
        }
        return record
    }

    /// lenet5 (or, when `residual`, a small layer list whose shortcut needs a 1×1 convolution
    /// projection S3) initialised from `seed`,
    /// with non-trivial BN running statistics from one training-mode forward pass.
    static func network(bn: ModelConfiguration.BatchNormPlacement = .after, residual: Bool = false, seed: UInt64 = 0) throws -> Network<Float> {
        var configuration = ModelConfiguration()
        configuration.batchNorm = bn
        if residual {
            configuration.architecture = .layers
            configuration.layers = [.conv(outputChannels: 6, kernelSize: 5), .activation(nil), .batchNorm,
                                    .conv(outputChannels: 8, kernelSize: 3, padding: 1), .shortcut(span: 1),
                                    .maxPool(kernelSize: 4, stride: 4), .flatten, .fullyConnected(outputFeatures: 10)]
        }
        var network = try Network<Float>(configuration)
        network.initialize(seed: seed)
        if network.hasBatchNorm { _ = try network.forward(images(count: 8, offset: 100), mode: .training) }
        return network
    }

    /// n×1×28×28 deterministic pseudo-images in about [−1, 2].
    static func images(count: Int, offset: Int = 0) -> Tensor<Float> {
        let values = (0..<(count * 784)).map { i -> Float in
            let k = i + offset * 784
            return Float((k * 7919 + k / 28 * 104729) % 3001) / 1000 - 1
        }
        return Tensor(shape: [count, 1, 28, 28], scalars: values)
    }

    /// The repository root (for docs/FORMAT.md and scripts/).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs /usr/bin/python3 with `arguments`; throws `XCTSkip` when it cannot import h5py and numpy.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python), try runProcess(python, ["-c", "import h5py, numpy"]).status == 0 else {
            throw XCTSkip("/usr/bin/python3 with h5py and numpy is not installed")
        }
        return try runProcess(python, arguments)
    }
}
