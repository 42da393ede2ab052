import Model
import Tensor
import Training
import XCTest

/// Same seed and configuration → bit-identical weights (DESIGN.md, reproducibility rules).
final class DeterminismTests: XCTestCase {
    /// Trains the paper's network for a few steps on seeded data, with OpenBLAS set to
    /// `blasThreads` threads by the environment (the trainer must not depend on it: with two
    /// threads OpenBLAS's sgemm gives other bits, PLATFORM.md §4.3).
    func train(blasThreads: Int, engineThreads: Int = 1, seed: UInt64 = 0) throws -> [Tensor<Float>] {
        let savedEngine = Parallel.threads
        defer { BLAS.setThreads(1); Parallel.setThreads(savedEngine) }
        Parallel.setThreads(engineThreads)
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

    /// The engine's own threads (Parallel, training.threads) do not change the bits either.
    func testBitIdenticalWithOneOrTwoEngineThreads() throws {
        let one = try train(blasThreads: 1, engineThreads: 1)
        let two = try train(blasThreads: 1, engineThreads: 2)
        let twoBLAS = try train(blasThreads: 2, engineThreads: 2)
        XCTAssertEqual(one.map { $0.scalars.map(\.bitPattern) }, two.map { $0.scalars.map(\.bitPattern) })
        XCTAssertEqual(one.map { $0.scalars.map(\.bitPattern) }, twoBLAS.map { $0.scalars.map(\.bitPattern) })
    }
}
