import Foundation
@testable import Experiments
import HDF5
import Model
import Tensor
import Training
import XCTest

final class ResultsCheckpointFileTests: XCTestCase {
    /// An optimizer with momentum buffers of awkward values, aligned with the parameters.
    private func optimizer(for network: Network<Float>) -> SGD<Float> {
        var sgd = SGD<Float>(momentum: 0.9, weightDecay: 5e-4)
        sgd.momentumBuffers = network.parameters.enumerated().map { t, p in
            Tensor(shape: p.shape, scalars: (0..<p.count).map { Float($0 % 13) * 1e-3 - Float(t) * 1e-7 })
        }
        return sgd
    }

    func testRoundTripRestoresNetworkOptimizerAndCounters() throws {
        let directory = try ResultsFixtures.directory(self)
        let path = directory + "/checkpoint.h5"
        let network = try ResultsFixtures.network(seed: 3)
        let sgd = optimizer(for: network)
        let record = ResultsFixtures.record(epochs: 2, stepsPerEpoch: 4)
        let state = CheckpointState(runID: "3fa9c21b", configJSON: "{\"seed\":0}", epoch: 2, step: 8, batch: 2,
                                    network: network, optimizer: sgd, metrics: record,
                                    counters: ["partial_loss_sum": 12.5, "partial_correct": 100, "partial_seconds": 0.125])
        try CheckpointFile.write(state, to: path)

        let read = try CheckpointFile.read(from: path, as: Float.self, runID: "3fa9c21b", configJSON: "{\"seed\":0}")
        XCTAssertEqual(read, state)
        var restored = try Network<Float>(network.configuration)
        var restoredSGD = SGD<Float>(momentum: 0.9, weightDecay: 5e-4)
        let again = try CheckpointFile.restore(from: path, runID: "3fa9c21b", network: &restored, optimizer: &restoredSGD)
        XCTAssertEqual(again.epoch, 2)
        XCTAssertEqual(again.step, 8)
        XCTAssertEqual(again.batch, 2)
        XCTAssertEqual(restored.parameters, network.parameters)
        XCTAssertEqual(restored.buffers, network.buffers)
        XCTAssertEqual(restoredSGD.momentumBuffers, sgd.momentumBuffers)
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        XCTAssertEqual(try file.openDataset("network/P0/w").info().dataType, .float32)
        XCTAssertEqual(try file.openDataset("momentum/P9/w").shape(), [256, 120])
        XCTAssertEqual(try file.openDataset("counters/partial_loss_sum").shape(), [])
        // Uncompressed: the largest arrays are contiguous, without filters.
        XCTAssertNil(try file.openDataset("momentum/P9/w").info().chunkShape)
        XCTAssertEqual(try file.openDataset("network/P9/w").info().filters, [])
    }

    /// A checkpoint in the earlier builds' layout (large arrays chunked and deflated) reads and
    /// restores the same.
    func testCompressedCheckpointOfEarlierBuildsIsRead() throws {
        let directory = try ResultsFixtures.directory(self)
        let path = directory + "/checkpoint.h5"
        let network = try ResultsFixtures.network(seed: 5)
        let sgd = optimizer(for: network)
        let state = CheckpointState(runID: "0badcafe", configJSON: "{}", epoch: 1, step: 4, batch: 0,
                                    network: network, optimizer: sgd, metrics: ResultsFixtures.record(epochs: 1, stepsPerEpoch: 4),
                                    counters: [:])
        try CheckpointFile.write(state, to: path, compressed: true)
        do {
            let file = try HDF5File.open(path)
            defer { try? file.close() }
            XCTAssertEqual(try file.openDataset("momentum/P9/w").info().filters, [.shuffle, .deflate(level: 4)])
        }
        XCTAssertEqual(try CheckpointFile.read(from: path, as: Float.self, runID: "0badcafe"), state)
        var restored = try Network<Float>(network.configuration)
        var restoredSGD = SGD<Float>(momentum: 0.9, weightDecay: 5e-4)
        _ = try CheckpointFile.restore(from: path, runID: "0badcafe", network: &restored, optimizer: &restoredSGD)
        XCTAssertEqual(restored.parameters, network.parameters)
        XCTAssertEqual(restoredSGD.momentumBuffers, sgd.momentumBuffers)
    }

    /// Before the first step (or without momentum) there are no buffers: /momentum is empty
    /// and restoring clears the optimizer's.
    func testNoMomentumBuffers() throws {
        let directory = try ResultsFixtures.directory(self)
        let network = try ResultsFixtures.network()
        let state = CheckpointState(runID: "00000000", configJSON: "{}", epoch: 0, step: 0, batch: 0,
                                    network: network, optimizer: SGD<Float>(), metrics: MetricsRecord(epochs: [ResultsFixtures.record().epochs[0]]))
        try CheckpointFile.write(state, to: directory + "/c.h5")
        var restored = try Network<Float>(network.configuration)
        var sgd = optimizer(for: network)
        _ = try CheckpointFile.restore(from: directory + "/c.h5", runID: "00000000", network: &restored, optimizer: &sgd)
        XCTAssertTrue(sgd.momentumBuffers.isEmpty)
        XCTAssertEqual(restored.parameters, network.parameters)
    }

    func testAnotherRunsCheckpointIsRefused() throws {
        let directory = try ResultsFixtures.directory(self)
        let network = try ResultsFixtures.network()
        let state = CheckpointState(runID: "aaaaaaaa", configJSON: "{}", epoch: 0, step: 0, batch: 0,
                                    network: network, optimizer: SGD<Float>(), metrics: MetricsRecord())
        try CheckpointFile.write(state, to: directory + "/checkpoint.h5")
        XCTAssertThrowsError(try CheckpointFile.read(from: directory + "/checkpoint.h5", as: Float.self, runID: "bbbbbbbb")) { error in
            let error = error as? ResultsFileError
            XCTAssertEqual(error?.problem, .runMismatch(expected: "run_id bbbbbbbb", found: "run_id aaaaaaaa"))
            XCTAssertTrue(error?.description.contains("delete checkpoint.h5") ?? false)
        }
        XCTAssertThrowsError(try CheckpointFile.read(from: directory + "/checkpoint.h5", as: Float.self, configJSON: "{\"x\":1}"))
        // Restoring into another architecture names the missing tensor.
        var bnBefore = ModelConfiguration()
        bnBefore.batchNorm = .before
        var mismatched = try Network<Float>(bnBefore)
        var sgd = SGD<Float>()
        XCTAssertThrowsError(try CheckpointFile.restore(from: directory + "/checkpoint.h5", runID: "aaaaaaaa", network: &mismatched, optimizer: &sgd)) { error in
            XCTAssertEqual((error as? ResultsFileError)?.problem, .missingObject("/network/P1/w"))
        }
        // The element type is part of the format: a Float checkpoint does not read as Double.
        XCTAssertThrowsError(try CheckpointFile.read(from: directory + "/checkpoint.h5", as: Double.self)) { error in
            guard case .wrongType? = (error as? ResultsFileError)?.problem else { return XCTFail("\(error)") }
        }
    }
}
