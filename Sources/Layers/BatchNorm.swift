// Batch normalisation of n×f vectors and n×d×r×r images (per channel, channel axis 1).
//
// Source: Boué (arXiv:1811.11987) §9 "Batch normalisation": forward
// x̂ = (A_{i−1} − μ) / √(σ² + ε), A_i = w x̂ + b; backward eqs. (41)–(43):
//   ∂w = Σ Δ_i ∘ x̂,   ∂b = Σ Δ_i,
//   Δ_{i−1} = (w / (n_eff σ)) (n_eff Δ_i − Σ Δ_i − x̂ Σ (Δ_i ∘ x̂)),  σ = √(σ² + ε),
// the sums running over the n_eff = n (vectors) or n·r·r (images) values of a channel.
// Deviations: running statistics follow PyTorch's BatchNorm (momentum 0.1, ε = 1e-5,
// running = (1 − momentum)·running + momentum·batch, with the unbiased variance
// n_eff/(n_eff − 1)·σ² for running_var while training normalises with the biased σ²).
// Means, variances and the backward sums are accumulated in Float64 in a fixed order
// (PLATFORM.md: Float32 sums over 36,864 values moved activations by up to 7e-3).
// Training with n_eff = 1 throws instead of producing a meaningless output.

import Tensor

/// Batch normalisation over the channel axis of n×d×r×r (n_eff = n·r·r) or n×f (n_eff = n) data.
///
/// Parameters: [w (γ, d), b (β, d)], initialised to 1 and 0. Buffers: [running_mean (d),
/// running_var (d)], initialised to 0 and 1. Training normalises with the minibatch
/// statistics and updates the buffers; inference normalises with the buffers (running or
/// population statistics, see `setPopulationStatistics`) and leaves them unchanged.
public struct BatchNorm<Scalar: TensorScalar>: Layer {
    public let type = LayerType.batch_norm
    /// d (or f), the number of channels (features) normalised separately.
    public let featureCount: Int
    /// The weight of the new batch in the running statistics (PyTorch's momentum).
    public var momentum: Double
    /// ε in √(σ² + ε).
    public var epsilon: Double
    /// The name used in error messages (e.g. "layer 3 (batch_norm)").
    public var label: String
    /// [w (d), b (d)].
    public var parameters: [Tensor<Scalar>]
    /// In place: `body(&parameters[index])` (SGD without copies).
    public mutating func updateParameter(_ index: Int, _ body: (inout Tensor<Scalar>) -> Void) {
        body(&parameters[index])
    }
    public var parameterNames: [String] { ["w", "b"] }
    /// [running_mean (d), running_var (d)], non-trainable.
    public var buffers: [Tensor<Scalar>]
    public var bufferNames: [String] { ["running_mean", "running_var"] }

    /// What backward needs, plus the batch statistics for diagnostics.
    public struct Cache: Sendable {
        /// The mode of the forward pass (selects the backward formula).
        public let mode: ForwardMode
        /// x̂ = (A_{i−1} − μ)·invStd, the shape of A_{i−1} (n×d×r×r or n×f).
        public let xHat: Tensor<Scalar>
        /// 1/√(σ² + ε) per channel (d): minibatch σ² in training, running_var in inference.
        public let invStd: [Double]
        /// n_eff, the values per channel: n·r·r or n.
        public let nEff: Int
        /// The minibatch mean per channel (d); empty in inference.
        public let batchMean: [Double]
        /// The biased minibatch variance per channel (d); empty in inference.
        public let batchVariance: [Double]
    }

    /// A batch-norm layer for d channels: w = 1, b = 0, running_mean = 0, running_var = 1.
    /// - Precondition: featureCount > 0, 0 ≤ momentum ≤ 1, epsilon ≥ 0.
    public init(featureCount: Int, momentum: Double = 0.1, epsilon: Double = 1e-5,
                label: String = "batch_norm") {
        precondition(featureCount > 0, "featureCount must be positive, got \(featureCount)")
        precondition((0...1).contains(momentum), "momentum must be in [0, 1], got \(momentum)")
        precondition(epsilon >= 0, "epsilon must be ≥ 0, got \(epsilon)")
        self.featureCount = featureCount
        self.momentum = momentum
        self.epsilon = epsilon
        self.label = label
        parameters = [Tensor(shape: [featureCount], repeating: 1), Tensor(shape: [featureCount])]
        buffers = [Tensor(shape: [featureCount]), Tensor(shape: [featureCount], repeating: 1)]
    }

    /// The input's shape: n×d×r×r or n×d (any rank ≥ 2 with d on axis 1).
    /// - Throws: `LayerError.shapeMismatch` when axis 1 is not d.
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2, inputShape[1] == featureCount else {
            throw LayerError.shapeMismatch(layer: label, expected: "n×\(featureCount) or n×\(featureCount)×r×r",
                                           actual: inputShape)
        }
        return inputShape
    }

    /// A_i = w x̂ + b with x̂ = (A_{i−1} − μ)/√(σ² + ε), per channel; shape unchanged.
    ///
    /// Training: μ, σ² are the minibatch mean and biased variance over n_eff values, and the
    /// buffers move towards them (unbiased variance). Inference: μ, σ² are the buffers.
    /// - Throws: `LayerError.shapeMismatch`; `LayerError.singleValuePerFeature` when training
    ///   with n_eff < 2.
    @_specialize(where Scalar == Float)
    public mutating func forward(_ aPrev: Tensor<Scalar>, mode: ForwardMode) throws -> (Tensor<Scalar>, Cache) {
        _ = try outputShape(for: aPrev.shape)
        let n = aPrev.shape[0], d = featureCount, rr = aPrev.shape.dropFirst(2).reduce(1, *)
        let nEff = n * rr
        if usesKernels(n: n, rr: rr) { return try kernelForward(aPrev, mode: mode) }
        let mean: [Double], variance: [Double]
        var batchMean: [Double] = [], batchVariance: [Double] = []
        switch mode {
        case .training:
            guard nEff >= 2 else { throw LayerError.singleValuePerFeature(layer: label, shape: aPrev.shape) }
            let moments = ChannelMoments(of: aPrev)
            batchMean = moments.mean
            batchVariance = moments.biasedVariance
            (mean, variance) = (batchMean, batchVariance)
            updateRunningStatistics(mean: batchMean, unbiasedVariance: moments.unbiasedVariance)
        case .inference:
            mean = buffers[0].scalars.map { Double($0) }
            variance = buffers[1].scalars.map { Double($0) }
        }
        let invStd = inverseStandardDeviation(variance)
        var a = Tensor<Scalar>(shape: aPrev.shape), xHat = Tensor<Scalar>(shape: aPrev.shape)
        let w = parameters[0].scalars, b = parameters[1].scalars
        aPrev.withUnsafeBufferPointer { x in
            xHat.withUnsafeMutableBufferPointer { xh in
                a.withUnsafeMutableBufferPointer { y in
                    for s in 0..<n {
                        for c in 0..<d {
                            let base = (s * d + c) * rr, mu = mean[c], k = invStd[c]
                            let wc = Double(w[c]), bc = Double(b[c])
                            for j in base..<(base + rr) {
                                let h = (Double(x[j]) - mu) * k
                                xh[j] = Scalar(h)
                                y[j] = Scalar(wc * h + bc)
                            }
                        }
                    }
                }
            }
        }
        return (a, Cache(mode: mode, xHat: xHat, invStd: invStd, nEff: nEff,
                         batchMean: batchMean, batchVariance: batchVariance))
    }

    /// 1/√(σ² + ε) per channel, in Double (every forward path, and `inferenceAffine`).
    @usableFromInline
    func inverseStandardDeviation(_ variance: [Double]) -> [Double] {
        variance.map { 1 / ($0 + epsilon).squareRoot() }
    }

    /// running = (1 − momentum)·running + momentum·batch (PyTorch convention), in Double.
    mutating func updateRunningStatistics(mean: [Double], unbiasedVariance: [Double]) {
        let m = momentum
        for c in 0..<featureCount {
            buffers[0][c] = Scalar((1 - m) * Double(buffers[0][c]) + m * mean[c])
            buffers[1][c] = Scalar((1 - m) * Double(buffers[1][c]) + m * unbiasedVariance[c])
        }
    }

    /// Eqs. (41)–(43): ∂w += Σ Δ_i ∘ x̂, ∂b += Σ Δ_i (per channel, over n_eff values), and
    /// Δ_{i−1} = (w·invStd / n_eff)(n_eff Δ_i − Σ Δ_i − x̂ Σ(Δ_i ∘ x̂)) in training, or
    /// Δ_{i−1} = w·invStd·Δ_i in inference (μ and σ² are constants there). Sums in Double.
    @_specialize(where Scalar == Float)
    public func backward(_ delta: Tensor<Scalar>, cache: Cache, gradients: inout [Tensor<Scalar>],
                         needsDeltaPrev: Bool) -> Tensor<Scalar> {
        precondition(delta.shape == cache.xHat.shape,
                     "\(label): Δ_i shape \(delta.shape) differs from the forward output \(cache.xHat.shape)")
        let n = delta.shape[0], d = featureCount, rr = delta.shape.dropFirst(2).reduce(1, *)
        let nEff = Double(cache.nEff)
        if cache.mode == .training, usesKernels(n: n, rr: rr) {
            return kernelBackward(delta, cache: cache, gradients: &gradients, needsDeltaPrev: needsDeltaPrev)
        }
        var deltaPrev = Tensor<Scalar>(shape: needsDeltaPrev ? delta.shape : [0])
        let w = parameters[0].scalars
        delta.withUnsafeBufferPointer { dl in
            cache.xHat.withUnsafeBufferPointer { xh in
                deltaPrev.withUnsafeMutableBufferPointer { dp in
                    for c in 0..<d {
                        var sumDelta = 0.0, sumDeltaXHat = 0.0
                        for s in 0..<n {
                            let base = (s * d + c) * rr
                            for j in base..<(base + rr) {
                                sumDelta += Double(dl[j])
                                sumDeltaXHat += Double(dl[j]) * Double(xh[j])
                            }
                        }
                        gradients[0][c] += Scalar(sumDeltaXHat)
                        gradients[1][c] += Scalar(sumDelta)
                        guard needsDeltaPrev else { continue }
                        let k = Double(w[c]) * cache.invStd[c]
                        for s in 0..<n {
                            let base = (s * d + c) * rr
                            for j in base..<(base + rr) {
                                switch cache.mode {
                                case .training:
                                    dp[j] = Scalar(k / nEff * (nEff * Double(dl[j]) - sumDelta
                                                               - Double(xh[j]) * sumDeltaXHat))
                                case .inference:
                                    dp[j] = Scalar(k * Double(dl[j]))
                                }
                            }
                        }
                    }
                }
            }
        }
        return deltaPrev
    }
}
