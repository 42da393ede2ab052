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

    /// Every dataset of a weights.h5 by path: its raw element bits, shape, chunking and filters;
    /// plus every attribute.
    func contents(_ path: String) throws -> [String: String] {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        var out: [String: String] = [:]
        for name in try file.attributeNames() { out["@" + name] = "\(try file.attribute(name))" }
        for epoch in try file.children() {
            let group = try file.openGroup(epoch)
            for layer in try group.children() {
                let layerGroup = try group.openGroup(layer)
                for name in try layerGroup.attributeNames() { out["/\(epoch)/\(layer)@\(name)"] = "\(try layerGroup.attribute(name))" }
                for name in try layerGroup.children() {
                    let array = try layerGroup.readDataset(name, as: Float.self)
                    let info = try layerGroup.openDataset(name).info()
                    out["/\(epoch)/\(layer)/\(name)"] = "\(array.values.map(\.bitPattern)) \(array.shape) \(info)"
                }
            }
        }
        return out
    }

    /// Appending snapshots one by one gives the same file contents as writing the whole history:
    /// the same groups, attributes, dataset bits, shapes, chunking and filters.
    func testAppendEqualsAWholeRewrite() throws {
        let directory = try ResultsFixtures.directory(self)
        var history = WeightsHistory(configJSON: try ResultsFixtures.configuration().json.canonicalJSON)
        let networks = try [0, 3, 7, 11].map { try ResultsFixtures.network(seed: $0) }
        history.record(epoch: 0, network: networks[0])
        try WeightsFile.write(history, to: directory + "/appended.h5")
        for (epoch, network) in [(1, networks[1]), (2, networks[2]), (5, networks[3])] {
            try WeightsFile.append(NetworkTensors<Float>(network: network), epoch: epoch, to: directory + "/appended.h5")
            history.record(epoch: epoch, network: network)
        }
        try WeightsFile.write(history, to: directory + "/whole.h5")
        XCTAssertEqual(try WeightsFile.read(from: directory + "/appended.h5"), history)
        let whole = try contents(directory + "/whole.h5"), appended = try contents(directory + "/appended.h5")
        XCTAssertEqual(whole.count, 4 * (9 * 2 + 5 * 2 + 4 * 4) + 4,
                       "4 epochs × (9 layers' 2 attributes + w, b of 5 conv/fc + w, b, mean, var of 4 BN) + 4 root attributes")
        XCTAssertEqual(Set(appended.keys), Set(whole.keys))
        for (key, value) in whole { XCTAssertEqual(appended[key], value, key) }
        XCTAssertEqual(appended["@last_epoch"], "\(HDF5AttributeValue.int64(5))")
        let size = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        XCTAssertLessThan(try size(directory + "/appended.h5"), try size(directory + "/whole.h5") + 16 * 1024,
                          "appending wastes at most a few kB")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["appended.h5", "whole.h5"])
    }

    /// An append that cannot go after the file's last epoch, or to another kind of file, fails
    /// with the path named and leaves the file as it was.
    /// Snapshots are stored contiguous and unfiltered, written whole or appended; a weights.h5 of
    /// the earlier builds (large arrays chunked, shuffled and deflated) is read and appended to,
    /// its old snapshots keeping their storage.
    func testSnapshotsAreUncompressedAndCompressedFilesStillWork() throws {
        let directory = try ResultsFixtures.directory(self)
        var history = WeightsHistory(configJSON: "{}")
        history.record(epoch: 0, network: try ResultsFixtures.network())
        let snapshot = NetworkTensors<Float>(network: try ResultsFixtures.network(seed: 3))
        for (name, compressed) in [("new.h5", false), ("old.h5", true)] {
            let path = directory + "/" + name
            try WeightsFile.write(history, to: path, compressed: compressed)
            try WeightsFile.append(snapshot, epoch: 1, to: path)
            var expected = history
            expected.snapshots[1] = snapshot
            XCTAssertEqual(try WeightsFile.read(from: path), expected, name)
            let file = try HDF5File.open(path)
            defer { try? file.close() }
            // P9/w (120×84 = 10,080 elements) is above the compression threshold.
            let first = try file.openDataset("epoch_0000/P9/w").info(), appended = try file.openDataset("epoch_0001/P9/w").info()
            XCTAssertEqual(first.filters, compressed ? [.shuffle, .deflate(level: 4)] : [], name)
            XCTAssertEqual(first.chunkShape == nil, !compressed, name)
            XCTAssertEqual(appended.filters, [], name)
            XCTAssertNil(appended.chunkShape, name)
        }
    }

    func testARefusedAppendLeavesTheFileIntact() throws {
        let directory = try ResultsFixtures.directory(self)
        let path = directory + "/weights.h5"
        var history = WeightsHistory(configJSON: "{}")
        history.record(epoch: 0, network: try ResultsFixtures.network())
        history.record(epoch: 2, network: try ResultsFixtures.network(seed: 3))
        try WeightsFile.write(history, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let snapshot = NetworkTensors<Float>(network: try ResultsFixtures.network(seed: 5))
        XCTAssertThrowsError(try WeightsFile.append(snapshot, epoch: 2, to: path)) { error in
            XCTAssertEqual("\(error)", "\(path): epoch 2 cannot be appended after last_epoch 2; "
                           + ResultsFileKind.weights.remedy)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        let metrics = directory + "/metrics.h5"
        try MetricsFile.write(ResultsFixtures.record(), to: metrics,
                              provenance: ResultsFixtures.provenance(configJSON: "{}"))
        XCTAssertThrowsError(try WeightsFile.append(snapshot, epoch: 3, to: metrics)) { error in
            XCTAssertEqual((error as? ResultsFileError)?.problem, .wrongFormat(found: "exp-metrics"))
        }
        XCTAssertThrowsError(try WeightsFile.append(snapshot, epoch: 3, to: directory + "/missing.h5")) { error in
            XCTAssertTrue("\(error)".contains(directory + "/missing.h5"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).sorted(), ["metrics.h5", "weights.h5"])
    }

    func testDiscardAfterAndGroupNames() {
        var history = WeightsHistory(configJSON: "{}", snapshots: [0: .init(layers: []), 1: .init(layers: []), 3: .init(layers: [])])
        history.discard(after: 1)
        XCTAssertEqual(history.epochs, [0, 1])
        XCTAssertEqual(WeightsHistory.groupName(epoch: 7), "epoch_0007")
        XCTAssertEqual(WeightsHistory.groupName(epoch: 12345), "epoch_12345")
    }
}
