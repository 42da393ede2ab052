import Layers
import Tensor
import TestSupport
import XCTest

final class SoftmaxCrossEntropyTests: XCTestCase {
    typealias CE = SoftmaxCrossEntropy<Double>

    /// Exact losses for logits [1000, 0, −1000]: label 0 → log(1 + e^−1000 + e^−2000), which is
    /// 0 in Double; label 1 → 1000; label 2 → 2000. Mean 1000, sum 3000.
    func testExtremeLogitsGiveFiniteExactLoss() {
        let row: [Double] = [1000, 0, -1000]
        let logits = Tensor<Double>(shape: [3, 3], scalars: row + row + row)
        let (mean, delta) = CE.evaluate(logits: logits, labels: [0, 1, 2])
        XCTAssertEqual(mean.loss, 1000)
        XCTAssertEqual(CE.score(logits: logits, labels: [0, 1, 2], reduction: .sum).loss, 3000)
        XCTAssertEqual(CE.score(logits: Tensor(shape: [1, 3], scalars: row), labels: [0]).loss, 0)
        XCTAssertEqual(Array(mean.probabilities.scalars.prefix(3)), [1, 0, 0])
        XCTAssertTrue(delta.scalars.allSatisfy(\.isFinite))
        XCTAssertEqual(mean.isCorrect, [true, false, false])
        XCTAssertEqual(mean.correct, 1)

        let floatScore = SoftmaxCrossEntropy<Float>.score(logits: logits.converted(to: Float.self), labels: [0, 1, 2])
        XCTAssertEqual(floatScore.loss, 1000)
        XCTAssertTrue(floatScore.probabilities.scalars.allSatisfy(\.isFinite))
    }

    /// Golden values: scripts/golden/layers_batchnorm_softmax.py (torch 1.13 F.cross_entropy, float64).
    func testKnownAnswerMatchesPyTorch() {
        let logits = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 1, 1, 1])
        let (score, delta) = CE.evaluate(logits: logits, labels: [2, 0])
        XCTAssertEqual(score.loss, 0.7531091265562451, accuracy: 1e-15)
        assertClose(score.probabilities, Tensor(shape: [2, 3], scalars: [
            0.09003057317038045, 0.2447284710547976, 0.6652409557748218,
            0.3333333333333333, 0.3333333333333333, 0.3333333333333333]), relativeTolerance: 1e-14)
        assertClose(delta, Tensor(shape: [2, 3], scalars: [
            0.04501528658519022, 0.12236423552739882, -0.1673795221125891,
            -0.33333333333333337, 0.16666666666666666, 0.16666666666666666]), relativeTolerance: 1e-14)
        // Ties: [1, 1, 1] predicts class 0 (the first maximum), which is the label.
        XCTAssertEqual(score.predictions, [2, 0])
        XCTAssertEqual(score.accuracy, 1)
    }

    func testProbabilityRowsSumToOne() {
        var logits = randomTensor([7, 10], seed: 50)
        for i in 0..<logits.count { logits[i] *= 20 }
        let score = CE.score(logits: logits, labels: Array(repeating: 3, count: 7))
        for s in 0..<7 {
            let row = score.probabilities.scalars[(s * 10)..<(s * 10 + 10)]
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-14)
            XCTAssertTrue(row.allSatisfy { $0 >= 0 })
        }
    }

    /// Δ against central differences of the loss, for mean and sum, indices and soft labels.
    func testDeltaMatchesCentralDifferencesOfTheLoss() {
        let n = 4, m = 5, h = 1e-6
        let logits = randomTensor([n, m], seed: 60, low: -3, high: 3)
        var soft = randomTensor([n, m], seed: 61, low: 0, high: 1)
        for s in 0..<n {
            let total = soft.scalars[(s * m)..<(s * m + m)].reduce(0, +)
            for j in 0..<m { soft[s * m + j] /= total }
        }
        let labelSets: [ClassLabels<Double>] = [.indices([0, 4, 2, 2]), .oneHot(soft)]
        for labels in labelSets {
            for reduction in LossReduction.allCases {
                let (_, delta) = CE.evaluate(logits: logits, labels: labels, reduction: reduction)
                var worst = 0.0
                for i in 0..<logits.count {
                    var plus = logits, minus = logits
                    plus[i] += h
                    minus[i] -= h
                    let numeric = (CE.score(logits: plus, labels: labels, reduction: reduction).loss
                        - CE.score(logits: minus, labels: labels, reduction: reduction).loss) / (2 * h)
                    worst = max(worst, relativeError(delta[i], numeric))
                }
                XCTAssertLessThan(worst, 1e-6, "\(labels) \(reduction)")
            }
        }
    }

    /// One-hot labels give the same loss and Δ as indices; the mean is the sum / n.
    func testOneHotAgreesWithIndicesAndMeanIsSumOverN() {
        let logits = randomTensor([3, 4], seed: 70, low: -2, high: 2)
        let oneHot = Tensor<Double>(shape: [3, 4], scalars: [0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0])
        let (a, deltaA) = CE.evaluate(logits: logits, labels: [1, 3, 0])
        let (b, deltaB) = CE.evaluate(logits: logits, labels: .oneHot(oneHot))
        XCTAssertEqual(a.loss, b.loss, accuracy: 1e-15)
        XCTAssertEqual(a.isCorrect, b.isCorrect)
        assertClose(deltaA, deltaB, relativeTolerance: 1e-15)
        let (sum, deltaSum) = CE.evaluate(logits: logits, labels: [1, 3, 0], reduction: .sum)
        XCTAssertEqual(a.loss, sum.loss / 3, accuracy: 1e-15)
        for i in 0..<deltaA.count { XCTAssertEqual(deltaA[i], deltaSum[i] / 3, accuracy: 1e-16) }
    }
}
