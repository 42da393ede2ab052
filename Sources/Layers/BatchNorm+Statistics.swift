// Batch-normalisation statistics: per-channel moments in Float64, and exact population
// statistics accumulated over many batches for inference.
//
// Source: Boué (arXiv:1811.11987) §9 (batch normalisation; at inference the minibatch
// statistics are replaced by population statistics of the training set); Ioffe & Szegedy,
// "Batch normalization" (arXiv:1502.03167) Alg. 2, which uses the unbiased variance
// Var[x] = m/(m−1)·E_B[σ²_B] at inference.
// Deviations: batches are merged with Chan, Golub & LeVeque's pairwise update of
// (count, mean, M2) rather than by averaging batch variances, so unequal batch sizes and
// large offsets (|mean| ≫ std) keep full Float64 accuracy.

import Tensor

/// Per-channel moments of n×d×r×r (or n×f) data: count, mean and M2 = Σ (x − mean)².
///
/// Sums run in Double in a fixed order (sample, then spatial position), two-pass, so that a
/// Float32 channel of 36,864 values with a constant offset of 1e3 keeps its variance.
public struct ChannelMoments: Sendable, Equatable {
    /// n_eff, the number of values per channel (n·r·r for images, n for vectors).
    public var count: Int
    /// Per-channel mean μ_c (d).
    public var mean: [Double]
    /// Per-channel Σ (x − μ_c)² (d).
    public var m2: [Double]

    /// Moments of a batch whose channel axis is 1 (n×d×r×r or n×f).
    /// - Precondition: rank ≥ 2.
    public init<Scalar: TensorScalar>(of x: Tensor<Scalar>) {
        precondition(x.rank >= 2, "channel moments need n×d(×r×r) data, got \(x.shape)")
        let n = x.shape[0], d = x.shape[1], rr = x.shape.dropFirst(2).reduce(1, *)
        count = n * rr
        mean = Array(repeating: 0, count: d)
        m2 = Array(repeating: 0, count: d)
        guard count > 0 else { return }
        x.withUnsafeBufferPointer { p in
            for c in 0..<d {
                var sum = 0.0
                for s in 0..<n {
                    let base = (s * d + c) * rr
                    for j in 0..<rr { sum += Double(p[base + j]) }
                }
                let mu = sum / Double(count)
                var q = 0.0
                for s in 0..<n {
                    let base = (s * d + c) * rr
                    for j in 0..<rr {
                        let e = Double(p[base + j]) - mu
                        q += e * e
                    }
                }
                mean[c] = mu
                m2[c] = q
            }
        }
    }

    /// Biased variance M2 / n_eff per channel (the minibatch σ² of the normalisation).
    public var biasedVariance: [Double] { m2.map { $0 / Double(count) } }
    /// Unbiased variance M2 / (n_eff − 1) per channel (PyTorch's running_var update).
    /// - Precondition: count ≥ 2.
    public var unbiasedVariance: [Double] {
        precondition(count >= 2, "unbiased variance needs at least 2 values per channel, got \(count)")
        return m2.map { $0 / Double(count - 1) }
    }
}

/// Accumulates exact per-channel statistics of a batch-norm layer's input A_{i−1} over many
/// batches (e.g. the whole training set), for "population" inference (paper §9).
///
/// Usage: `add` every batch's A_{i−1} (n×d×r×r or n×f), then hand the result to
/// `BatchNorm.setPopulationStatistics(from:)`. The result does not depend on how the data
/// is split into batches beyond floating-point rounding, and is bit-reproducible for a fixed
/// batch order.
///
/// The variance handed to the layer is the **unbiased** population estimate M2/(N − 1), the
/// same convention as `running_var` (PyTorch) and Ioffe & Szegedy's Algorithm 2, so the two
/// inference modes are interchangeable; for N = 60,000·r·r the difference to M2/N is < 1e-5
/// relative anyway.
public struct BatchNormStatisticsAccumulator: Sendable, Equatable {
    /// d, the number of channels (features).
    public let featureCount: Int
    /// The moments of all batches added so far (count 0 before the first).
    public private(set) var moments: ChannelMoments

    /// An empty accumulator for d channels.
    public init(featureCount: Int) {
        precondition(featureCount > 0, "featureCount must be positive, got \(featureCount)")
        self.featureCount = featureCount
        moments = ChannelMoments(of: Tensor<Double>(shape: [0, featureCount]))
    }

    /// Adds one batch A_{i−1} of shape n×d×r×r or n×d (Chan et al. pairwise merge in Double).
    /// - Precondition: the channel axis (1) has `featureCount` entries.
    public mutating func add<Scalar: TensorScalar>(_ batch: Tensor<Scalar>) {
        precondition(batch.rank >= 2 && batch.shape[1] == featureCount,
                     "expected n×\(featureCount)(×r×r) data, got \(batch.shape)")
        let b = ChannelMoments(of: batch)
        guard b.count > 0 else { return }
        let nA = Double(moments.count), nB = Double(b.count), total = nA + nB
        for c in 0..<featureCount {
            let delta = b.mean[c] - moments.mean[c]
            moments.mean[c] += delta * nB / total
            moments.m2[c] += b.m2[c] + delta * delta * nA * nB / total
        }
        moments.count += b.count
    }

    /// N, the number of values seen per channel.
    public var count: Int { moments.count }
    /// The population mean per channel (d).
    public var mean: [Double] { moments.mean }
    /// The unbiased population variance M2/(N − 1) per channel (d). - Precondition: N ≥ 2.
    public var variance: [Double] { moments.unbiasedVariance }
}

extension BatchNorm {
    /// Sets running_mean and running_var to population statistics (paper §9), replacing
    /// the exponential moving averages for inference.
    ///
    /// - Parameters:
    ///   - mean: μ per channel (d).
    ///   - variance: σ² per channel (d), unbiased by convention (as running_var).
    /// - Precondition: d entries each, finite means, finite variances ≥ 0.
    public mutating func setPopulationStatistics(mean: [Double], variance: [Double]) {
        precondition(mean.count == featureCount && variance.count == featureCount,
                     "\(label): expected \(featureCount) means and variances, got \(mean.count) and \(variance.count)")
        precondition(mean.allSatisfy(\.isFinite) && variance.allSatisfy { $0.isFinite && $0 >= 0 },
                     "\(label): population statistics must be finite with variance ≥ 0")
        buffers[0] = Tensor(shape: [featureCount], scalars: mean.map { Scalar($0) })
        buffers[1] = Tensor(shape: [featureCount], scalars: variance.map { Scalar($0) })
    }

    /// Sets the buffers to the accumulator's mean and unbiased variance.
    /// - Precondition: the accumulator has d channels and at least 2 values per channel.
    public mutating func setPopulationStatistics(from accumulator: BatchNormStatisticsAccumulator) {
        setPopulationStatistics(mean: accumulator.mean, variance: accumulator.variance)
    }
}
