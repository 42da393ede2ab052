// Fused softmax + cross-entropy loss on logits, with the gradient Δ = Y_pred − Y_gt.
//
// Source: Boué (arXiv:1811.11987), the loss function section: Y_pred = softmax(A),
// L = −Σ_s Σ_j Y_gt log Y_pred (summed over the minibatch), and the starting error of the
// backward recursion Δ = ∂L/∂A = Y_pred − Y_gt.
// Deviations: the loss is the mean over the minibatch by default (PyTorch's
// CrossEntropyLoss); `.sum` gives the paper's sum. The 1/n of the mean is applied to Δ here
// and nowhere else (CONVENTIONS.md #5). log Y_pred is computed as z_j − logsumexp(z) with
// the row maximum subtracted, so logits such as [1000, 0, −1000] give a finite loss.
// Exponentials, sums and the loss are evaluated in Double.

import Tensor

/// How the per-sample losses of a minibatch are combined.
public enum LossReduction: String, Sendable, Codable, CaseIterable {
    /// L = (1/n) Σ_s L_s (default; Δ is scaled by 1/n).
    case mean
    /// L = Σ_s L_s (the paper's convention).
    case sum
}

/// Ground-truth labels for a minibatch of n samples and m classes.
public enum ClassLabels<Scalar: TensorScalar>: Sendable {
    /// One class index in 0..<m per sample (n).
    case indices([Int])
    /// Y_gt as an n×m matrix (one-hot, or any rows of probabilities summing to 1).
    case oneHot(Tensor<Scalar>)
}

/// The fused softmax + cross-entropy loss (not a `Layer`: it also takes the labels).
///
/// `evaluate` (training) returns the loss and Δ = ∂L/∂A for the last layer; `score`
/// (inference) skips Δ.
public enum SoftmaxCrossEntropy<Scalar: TensorScalar> {
    /// Loss and accuracy of one minibatch.
    public struct Score: Sendable {
        /// L, reduced by mean or sum over the n samples (Double).
        public let loss: Double
        /// Y_pred = softmax(A) row-wise, n×m.
        public let probabilities: Tensor<Scalar>
        /// argmax_j of each row of A (the first maximum on ties), n.
        public let predictions: [Int]
        /// Whether each sample's prediction equals its label (argmax of Y_gt for one-hot), n.
        public let isCorrect: [Bool]
        /// The number of correctly classified samples.
        public var correct: Int { isCorrect.reduce(0) { $0 + ($1 ? 1 : 0) } }
        /// correct / n (0 for an empty batch).
        public var accuracy: Double { isCorrect.isEmpty ? 0 : Double(correct) / Double(isCorrect.count) }
    }

    /// Loss, accuracy and Δ = (Y_pred − Y_gt)·(1/n for `.mean`, 1 for `.sum`), n×m.
    ///
    /// - Parameters:
    ///   - logits: A, the last layer's output, n×m.
    ///   - labels: class indices (n) or Y_gt (n×m).
    ///   - reduction: mean (default) or sum over the minibatch.
    /// - Precondition: logits are n×m; labels are in 0..<m or Y_gt is n×m.
    public static func evaluate(logits: Tensor<Scalar>, labels: ClassLabels<Scalar>,
                                reduction: LossReduction = .mean) -> (score: Score, delta: Tensor<Scalar>) {
        let (score, delta) = compute(logits: logits, labels: labels, reduction: reduction, needsDelta: true)
        return (score, delta!)
    }

    /// `evaluate` with class indices (n).
    public static func evaluate(logits: Tensor<Scalar>, labels: [Int],
                                reduction: LossReduction = .mean) -> (score: Score, delta: Tensor<Scalar>) {
        evaluate(logits: logits, labels: .indices(labels), reduction: reduction)
    }

    /// Loss and accuracy only, without Δ (inference).
    public static func score(logits: Tensor<Scalar>, labels: ClassLabels<Scalar>,
                             reduction: LossReduction = .mean) -> Score {
        compute(logits: logits, labels: labels, reduction: reduction, needsDelta: false).score
    }

    /// `score` with class indices (n).
    public static func score(logits: Tensor<Scalar>, labels: [Int], reduction: LossReduction = .mean) -> Score {
        score(logits: logits, labels: .indices(labels), reduction: reduction)
    }

    /// Row-wise: z* = max_j z_j, lse = z* + log Σ_j e^{z_j − z*}, Y_pred = e^{z − lse},
    /// L_s = Σ_j Y_gt,j (lse − z_j), Δ = scale·(Y_pred − Y_gt).
    @_specialize(where Scalar == Float)
    static func compute(logits: Tensor<Scalar>, labels: ClassLabels<Scalar>, reduction: LossReduction,
                        needsDelta: Bool) -> (score: Score, delta: Tensor<Scalar>?) {
        precondition(logits.rank == 2, "softmax cross-entropy expects n×m logits, got \(logits.shape)")
        let n = logits.shape[0], m = logits.shape[1]
        var target = [Int](repeating: 0, count: n)   // the class index, or argmax of Y_gt
        switch labels {
        case let .indices(l):
            precondition(l.count == n, "\(l.count) labels for \(n) samples")
            for (s, label) in l.enumerated() {
                precondition((0..<m).contains(label), "label \(label) of sample \(s) is outside 0..<\(m)")
                target[s] = label
            }
        case let .oneHot(y):
            precondition(y.shape == logits.shape, "Y_gt shape \(y.shape) differs from logits \(logits.shape)")
            for s in 0..<n { target[s] = argmax(y.scalars, row: s, m: m) }
        }
        let scale = reduction == .mean && n > 0 ? 1 / Double(n) : 1
        var probabilities = Tensor<Scalar>(shape: [n, m])
        var delta: Tensor<Scalar>? = needsDelta ? Tensor(shape: [n, m]) : nil
        var predictions = [Int](repeating: 0, count: n)
        var loss = 0.0
        var p = [Double](repeating: 0, count: m)   // one row of Y_pred in Double
        logits.withUnsafeBufferPointer { z in
            for s in 0..<n {
                let row = s * m
                var zMax = -Double.infinity
                for j in 0..<m { zMax = Swift.max(zMax, Double(z[row + j])) }
                var sumExp = 0.0
                for j in 0..<m { sumExp += Double.exp(Double(z[row + j]) - zMax) }
                let lse = zMax + Double.log(sumExp)
                for j in 0..<m { p[j] = Double.exp(Double(z[row + j]) - lse) }
                predictions[s] = argmax(logits.scalars, row: s, m: m)
                switch labels {
                case .indices:
                    loss += lse - Double(z[row + target[s]])
                case let .oneHot(y):
                    for j in 0..<m where y[row + j] != 0 { loss += Double(y[row + j]) * (lse - Double(z[row + j])) }
                }
                for j in 0..<m { probabilities[row + j] = Scalar(p[j]) }
                guard needsDelta else { continue }
                for j in 0..<m {
                    let yGT: Double
                    switch labels {
                    case .indices: yGT = j == target[s] ? 1 : 0
                    case let .oneHot(y): yGT = Double(y[row + j])
                    }
                    delta![row + j] = Scalar(scale * (p[j] - yGT))
                }
            }
        }
        let isCorrect = (0..<n).map { predictions[$0] == target[$0] }
        let score = Score(loss: loss * scale, probabilities: probabilities, predictions: predictions,
                          isCorrect: isCorrect)
        return (score, delta)
    }

    /// The index of the first maximum of row `row` of an n×m row-major matrix.
    static func argmax(_ x: [Scalar], row: Int, m: Int) -> Int {
        var best = 0
        for j in 1..<Swift.max(m, 1) where x[row * m + j] > x[row * m + best] { best = j }
        return best
    }
}
