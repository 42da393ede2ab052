import Foundation
@testable import Experiments
import HDF5
import Model
import Tensor
import XCTest

final class ResultsWeightsFileTests: XCTestCase {
    func testRoundTripAndLoadIntoANetwork() throws {
        let directory = try ResultsFixtures.directory(self)
        let path = directory + "/weights.h5"
        let initial = try ResultsFixtures.network(seed: 0)
        let later = try ResultsFixtures.network(seed: 7)
        var history = WeightsHistory(configJSON: try ResultsFixtures.configuration().json.canonicalJSON)
        history.record(epoch: 0, network: initial)
        history.record(epoch: 2, network: later)
        try WeightsFile.write(history, to: path)

        XCTAssertEqual(try WeightsFile.epochs(in: path), [0, 2])
        let read = try WeightsFile.read(from: path)
        XCTAssertEqual(read, history)
        var loaded = try Network<Float>(initial.configuration)
        try WeightsFile.load(epoch: 2, from: path, into: &loaded)
        XCTAssertEqual(loaded.parameters, later.parameters)
        XCTAssertEqual(loaded.buffers, later.buffers)
        try WeightsFile.load(epoch: 0, from: path, into: &loaded)
        XCTAssertEqual(loaded.parameters, initial.parameters)
        XCTAssertThrowsError(try WeightsFile.load(epoch: 1, from: path, into: &loaded)) { error in
            XCTAssertEqual((error as? ResultsFileError)?.problem, .missingObject("/epoch_0001"))
        }
    }

    /// Group names, attributes and shapes for lenet5 with bn after (SPEC.md's list).
    func testLayoutFollowsThePaperIndices() throws {
        let directory = try ResultsFixtures.directory(self)
        var history = WeightsHistory(configJSON: "{}")
        history.record(epoch: 0, network: try ResultsFixtures.network())
        try WeightsFile.write(history, to: directory + "/w.h5")
        let file = try HDF5File.open(directory + "/w.h5")
        defer { try? file.close() }
        XCTAssertEqual(try file.int64Attribute("last_epoch"), 0)
        let epoch = try file.openGroup("epoch_0000")
        XCTAssertEqual(Set(try epoch.children()), ["P0", "P2", "P4", "P6", "P9", "P11", "P12", "P14", "P15"])
        XCTAssertEqual(try epoch.openGroup("P0").stringAttribute("layer"), "conv")
        XCTAssertEqual(try epoch.openGroup("P0").int64Attribute("index"), 1)
        XCTAssertEqual(try epoch.openGroup("P2").stringAttribute("layer"), "batch_norm")
        XCTAssertEqual(try epoch.openGroup("P2").children(), ["b", "running_mean", "running_var", "w"])
        XCTAssertEqual(try epoch.openGroup("P9").stringAttribute("layer"), "fc")
        XCTAssertEqual(try epoch.openGroup("P9").int64Attribute("index"), 10)
        XCTAssertEqual(try epoch.openDataset("P0/w").shape(), [6, 1, 5, 5])
        XCTAssertEqual(try epoch.openDataset("P9/w").shape(), [256, 120])
        XCTAssertEqual(try epoch.openDataset("P9/w").info().dataType, .float32)
    }

    /// A shortcut with a projection: S{j} groups carry the projection's type and the
    /// shortcut's index, and load back.
    func testShortcutProjections() throws {
        let directory = try ResultsFixtures.directory(self)
        let network = try ResultsFixtures.network(residual: true)
        let snapshot = NetworkTensors<Float>(network: network)
        var history = WeightsHistory(configJSON: "{}")
        history.snapshots[0] = snapshot
        try WeightsFile.write(history, to: directory + "/w.h5")
        var loaded = try Network<Float>(network.configuration)
        try WeightsFile.load(epoch: 0, from: directory + "/w.h5", into: &loaded)
        XCTAssertEqual(loaded.parameters, network.parameters)
        let projections = try WeightsFile.read(from: directory + "/w.h5").snapshots[0]!.layers.filter { $0.name.hasPrefix("S") }
        XCTAssertEqual(projections.map(\.name), ["S3"])
        XCTAssertEqual(projections.first?.index, 5)
        for projection in projections {
            let j = Int(projection.name.dropFirst())!
            XCTAssertEqual(network.shortcuts[projection.index]?.source, j)
            XCTAssertEqual(projection.layer, "conv")
        }
    }

    func testAFailedRewriteKeepsTheEarlierEpochs() throws {
        let directory = try ResultsFixtures.directory(self)
        let path = directory + "/weights.h5"
        var history = WeightsHistory(configJSON: "{}")
        history.record(epoch: 0, network: try ResultsFixtures.network())
        try WeightsFile.write(history, to: path)
        var broken = history
        var duplicated = history.snapshots[0]!
        duplicated.layers.append(duplicated.layers[0])  // two groups named P0: HDF5 refuses the second
        broken.snapshots[1] = duplicated
        XCTAssertThrowsError(try WeightsFile.write(broken, to: path))
        XCTAssertEqual(try WeightsFile.read(from: path), history)
    }

    func testDiscardAfterAndGroupNames() {
        var history = WeightsHistory(configJSON: "{}", snapshots: [0: .init(layers: []), 1: .init(layers: []), 3: .init(layers: [])])
        history.discard(after: 1)
        XCTAssertEqual(history.epochs, [0, 1])
        XCTAssertEqual(WeightsHistory.groupName(epoch: 7), "epoch_0007")
        XCTAssertEqual(WeightsHistory.groupName(epoch: 12345), "epoch_12345")
    }
}
