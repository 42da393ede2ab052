// Central-difference gradient checks in Float64 (CONVENTIONS.md #15a).
//
// The loss is L = Σ R ⊙ A_i for a fixed random R, so ∂L/∂A_i = R is the Δ_i fed to backward.

import Layers
import Tensor

/// The result of a gradient check: the largest relative error per checked tensor.
public struct GradientCheckReport: CustomStringConvertible {
    /// "deltaPrev" for Δ_{i−1}, else the parameter name ("w", "b").
    public var maxRelativeError: [String: Double] = [:]
    /// The worst error over all tensors.
    public var worst: Double { maxRelativeError.values.max() ?? 0 }
    public var description: String {
        maxRelativeError.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }
}

/// Relative error |a − n| / max(|a|, |n|, 1e-8), the acceptance measure.
public func relativeError(_ a: Double, _ n: Double) -> Double {
    abs(a - n) / max(abs(a), abs(n), 1e-8)
}

/// A tensor of uniform values in [low, high) from a Philox stream.
public func randomTensor(_ shape: [Int], seed: UInt64, stream: UInt64 = 0,
                         low: Double = -1, high: Double = 1) -> Tensor<Double> {
    var rng = PhiloxStream(seed: seed, stream: stream)
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { _ in rng.nextUniform(low, high) })
}

/// Checks a layer's backward against central differences of L = Σ R ⊙ forward(x).
///
/// - Parameters:
///   - layer: the layer, in Float64 (copied; the caller's value is not changed).
///   - input: A_{i−1}.
///   - mode: the forward mode used for both passes (training: batch statistics).
///   - maxEntries: check at most this many entries per tensor, spread evenly (nil: all).
///   - epsilon: the central-difference step h: (L(x+h) − L(x−h)) / 2h.
/// - Returns: the largest relative error per tensor.
public func checkGradients<L: Layer>(
    of layer: L, input: Tensor<Double>, mode: ForwardMode = .training,
    maxEntries: Int? = nil, epsilon: Double = 1e-6, seed: UInt64 = 7
) throws -> GradientCheckReport where L.Scalar == Double {
    var probe = layer
    let (out, cache) = try probe.forward(input, mode: mode)
    let r = randomTensor(out.shape, seed: seed, stream: 99)
    var grads = layer.zeroGradients()
    let deltaPrev = layer.backward(r, cache: cache, gradients: &grads, needsDeltaPrev: true)

    func loss(_ l: L, _ x: Tensor<Double>) throws -> Double {
        var copy = l
        let (a, _) = try copy.forward(x, mode: mode)
        var s = 0.0
        for i in 0..<a.count { s += a[i] * r[i] }
        return s
    }
    func indices(_ count: Int) -> [Int] {
        guard let m = maxEntries, m < count else { return Array(0..<count) }
        return (0..<m).map { $0 * count / m }
    }

    var report = GradientCheckReport()
    var worst = 0.0
    for i in indices(input.count) {
        var plus = input, minus = input
        plus[i] += epsilon
        minus[i] -= epsilon
        let numeric = (try loss(layer, plus) - loss(layer, minus)) / (2 * epsilon)
        worst = max(worst, relativeError(deltaPrev[i], numeric))
    }
    report.maxRelativeError["deltaPrev"] = worst
    for (p, name) in layer.parameterNames.enumerated() {
        worst = 0
        for i in indices(layer.parameters[p].count) {
            var plus = layer, minus = layer
            plus.parameters[p][i] += epsilon
            minus.parameters[p][i] -= epsilon
            let numeric = (try loss(plus, input) - loss(minus, input)) / (2 * epsilon)
            worst = max(worst, relativeError(grads[p][i], numeric))
        }
        report.maxRelativeError[name] = worst
    }
    return report
}
