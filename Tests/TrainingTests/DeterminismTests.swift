import Model
import Tensor
import Training
import XCTest

/// Same seed and configuration → bit-identical weights (DESIGN.md, reproducibility rules).
final class DeterminismTests: XCTestCase {
    /// Trains the paper's network for a few steps on seeded data, with OpenBLAS set to
    /// `blasThreads` threads by the environment (the trainer must not depend on it: with two
    /// threads OpenBLAS's sgemm gives other bits, PLATFORM.md §4.3).
    func train(blasThreads: Int, seed: UInt64 = 0) throws -> [Tensor<Float>] {
        defer { BLAS.setThreads(1) }
        var net = try Network<Float>(ModelConfiguration())
        net.initialize(seed: seed)
        var trainer = Trainer(network: net, optimizer: SGD<Float>(momentum: 0.9, weightDecay: 5e-4),
                              schedule: LearningRateSchedule(baseRate: 0.05))
        var rng = PhiloxStream(seed: 9, stream: 0)
        for _ in 0..<4 {
            let n = 32
            let images = Tensor<Float>(shape: [n, 1, 28, 28], scalars: (0..<(n * 784)).map { _ in rng.nextFloat() })
            let labels = (0..<n).map { _ in rng.nextInt(below: 10) }
            BLAS.setThreads(blasThreads)
            _ = try trainer.trainStep(images: images, labels: labels, stepsPerEpoch: 4, epochs: 1)
        }
        return trainer.network.parameters + trainer.network.buffers
    }

    func testSameSeedGivesBitIdenticalWeightsWithOneOrTwoThreads() throws {
        let one = try train(blasThreads: 1)
        let again = try train(blasThreads: 1)
        let two = try train(blasThreads: 2)
        XCTAssertEqual(one.map { $0.scalars.map(\.bitPattern) }, again.map { $0.scalars.map(\.bitPattern) })
        XCTAssertEqual(one.map { $0.scalars.map(\.bitPattern) }, two.map { $0.scalars.map(\.bitPattern) })
        let other = try train(blasThreads: 1, seed: 1)
        XCTAssertNotEqual(one, other)
    }
}
