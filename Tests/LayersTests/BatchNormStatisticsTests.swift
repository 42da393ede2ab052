import Layers
import Tensor
import TestSupport
import XCTest

final class BatchNormStatisticsTests: XCTestCase {
    /// The paper's first BN layer at n = 64: 64·24·24 = 36,864 Float32 values per channel,
    /// 1000 + u with u uniform in [−1, 1). The Float layer must agree with a Float64 layer on
    /// the same inputs; a naive Float32 accumulation (the oracle of what goes wrong) does not.
    func testFloat32ChannelWithLargeOffsetStaysAccurate() throws {
        let n = 64, d = 2, r = 24
        let x = randomTensor([n, d, r, r], seed: 31, low: 999, high: 1001).converted(to: Float.self)
        var bnFloat = BatchNorm<Float>(featureCount: d)
        var bnDouble = BatchNorm<Double>(featureCount: d)
        let (a, cache) = try bnFloat.forward(x, mode: .training)
        let (reference, _) = try bnDouble.forward(x.converted(to: Double.self), mode: .training)
        XCTAssertEqual(cache.nEff, 36_864)
        let error = Double(a.converted(to: Double.self).maxAbsDifference(reference))
        XCTAssertLessThan(error, 1e-6, "Float32 BN vs Float64 BN")
        XCTAssertEqual(bnFloat.buffers[0].converted(to: Double.self).scalars[0], bnDouble.buffers[0].scalars[0],
                       accuracy: 1e-4)
        XCTAssertEqual(bnFloat.buffers[1].converted(to: Double.self).scalars[0], bnDouble.buffers[1].scalars[0],
                       accuracy: 1e-6)

        // Naive Float32: sequential sums for the mean and the variance of channel 0.
        let rr = r * r
        var sum: Float = 0, sumSquares: Float = 0
        for s in 0..<n { for j in 0..<rr { sum += x[s * d * rr + j] } }
        let mean = sum / Float(n * rr)
        for s in 0..<n { for j in 0..<rr { sumSquares += (x[s * d * rr + j] - mean) * (x[s * d * rr + j] - mean) } }
        let invStd = 1 / (sumSquares / Float(n * rr) + 1e-5).squareRoot()
        var naiveError = 0.0
        for s in 0..<n {
            for j in 0..<rr {
                let i = s * d * rr + j
                naiveError = max(naiveError, abs(Double((x[i] - mean) * invStd) - reference[i]))
            }
        }
        XCTAssertGreaterThan(naiveError, 10 * error, "the test must be able to tell the two apart")
        print("BN Float32 vs Float64, 36,864 values/channel at offset 1e3: Double sums \(error), naive Float32 sums \(naiveError)")
    }

    /// Hand-computed: values 1, 2, 3, 4 in batches [1, 2] and [3, 4]: mean 2.5,
    /// unbiased variance ((1.5)² + (0.5)² + (0.5)² + (1.5)²)/3 = 5/3.
    func testAccumulatorKnownAnswer() {
        var acc = BatchNormStatisticsAccumulator(featureCount: 1)
        acc.add(Tensor<Float>(shape: [2, 1], scalars: [1, 2]))
        acc.add(Tensor<Float>(shape: [2, 1], scalars: [3, 4]))
        XCTAssertEqual(acc.count, 4)
        XCTAssertEqual(acc.mean, [2.5])
        XCTAssertEqual(acc.variance[0], 5.0 / 3, accuracy: 1e-15)
    }

    /// Batches of unequal sizes merge to the moments of their concatenation.
    func testAccumulatorEqualsMomentsOfTheConcatenation() {
        let sizes = [3, 5, 1], d = 2, r = 3
        var acc = BatchNormStatisticsAccumulator(featureCount: d)
        var all: [Double] = []
        for (k, n) in sizes.enumerated() {
            let batch = randomTensor([n, d, r, r], seed: 40 + UInt64(k), low: 100, high: 104)
            acc.add(batch)
            all += batch.scalars
        }
        let whole = ChannelMoments(of: Tensor(shape: [sizes.reduce(0, +), d, r, r], scalars: all))
        XCTAssertEqual(acc.count, 81)
        for c in 0..<d {
            XCTAssertEqual(acc.mean[c], whole.mean[c], accuracy: 1e-12)
            XCTAssertEqual(acc.variance[c], whole.unbiasedVariance[c], accuracy: 1e-12)
        }
    }

    /// Population inference: the buffers take the accumulated statistics, and inference then
    /// normalises with them.
    func testSetPopulationStatistics() throws {
        var bn = BatchNorm<Double>(featureCount: 1, epsilon: 0)
        var acc = BatchNormStatisticsAccumulator(featureCount: 1)
        acc.add(Tensor<Double>(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]))
        bn.setPopulationStatistics(from: acc)
        XCTAssertEqual(bn.buffers[0].scalars, [2.5])
        XCTAssertEqual(bn.buffers[1][0], 5.0 / 3, accuracy: 1e-15)
        let (a, _) = try bn.forward(Tensor(shape: [1, 1], scalars: [2.5 + (5.0 / 3).squareRoot()]), mode: .inference)
        XCTAssertEqual(a[0], 1, accuracy: 1e-15)
        bn.setPopulationStatistics(mean: [0], variance: [1])
        XCTAssertEqual(bn.buffers.map(\.scalars), [[0], [1]])
    }
}
