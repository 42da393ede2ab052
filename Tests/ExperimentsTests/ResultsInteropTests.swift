// h5py reads what the Results code writes, as docs/FORMAT.md says, and the document's
// PyTorch recipe reproduces the engine's logits (scripts/check_results.py; torch optional).

import Foundation
@testable import Experiments
import HDF5
import Model
import Tensor
import Training
import XCTest

final class ResultsInteropTests: XCTestCase {
    func testH5pyAndPyTorchReadWhatWeWrite() throws {
        let directory = try ResultsFixtures.directory(self)
        let configuration = try ResultsFixtures.configuration(validation: 1000)
        let configJSON = configuration.json.canonicalJSON
        try MetricsFile.write(ResultsFixtures.record(), to: directory + "/metrics.h5",
                              provenance: try ResultsFixtures.provenance(configJSON: configJSON))
        let network = try ResultsFixtures.network()
        var sgd = SGD<Float>(momentum: 0.9)
        sgd.momentumBuffers = network.parameters
        try CheckpointFile.write(CheckpointState(runID: "3fa9c21b", configJSON: configJSON, epoch: 3, step: 15, batch: 0,
                                                 network: network, optimizer: sgd, metrics: ResultsFixtures.record(),
                                                 counters: ["loss_sum": 3.5]), to: directory + "/checkpoint.h5")
        var history = WeightsHistory(configJSON: configJSON)
        history.record(epoch: 0, network: network)
        try WeightsFile.write(history, to: directory + "/weights.h5")

        for bn in ["after", "before", "none"] {
            let variant = directory + "/torch_" + bn
            try FileManager.default.createDirectory(atPath: variant, withIntermediateDirectories: true)
            var network = try ResultsFixtures.network(bn: ModelConfiguration.BatchNormPlacement(rawValue: bn)!, seed: 0)
            var history = WeightsHistory(configJSON: try ResultsFixtures.configuration(bn: bn).json.canonicalJSON)
            history.record(epoch: 0, network: network)
            try WeightsFile.write(history, to: variant + "/weights.h5")
            let images = ResultsFixtures.images(count: 5)
            let logits = try network.forward(images, mode: .inference).output
            try HDF5File.writeAtomically(to: variant + "/logits.h5") { file in
                try file.writeDataset("images", values: images.scalars, shape: images.shape)
                try file.writeDataset("logits", values: logits.scalars, shape: logits.shape)
            }
        }
        let root = ResultsFixtures.root
        let result = try ResultsFixtures.python([root.appendingPathComponent("scripts/check_results.py").path, directory,
                                                 root.appendingPathComponent("docs/FORMAT.md").path])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("ok results"), result.output)
        for name in ["metrics.h5", "weights.h5", "checkpoint.h5"] {
            XCTAssertTrue(result.output.contains("checked " + name), result.output)
        }
        print(result.output)
    }
}
