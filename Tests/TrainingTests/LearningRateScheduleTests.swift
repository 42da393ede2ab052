import Training
import XCTest

final class LearningRateScheduleTests: XCTestCase {
    func testConstantAndWarmup() {
        let s = LearningRateSchedule(baseRate: 0.1, warmupEpochs: 1)
        XCTAssertEqual(s.rate(step: 0, stepsPerEpoch: 4, epochs: 3), 0.025, accuracy: 1e-15)
        XCTAssertEqual(s.rate(step: 3, stepsPerEpoch: 4, epochs: 3), 0.1, accuracy: 1e-15)
        XCTAssertEqual(s.rate(step: 4, stepsPerEpoch: 4, epochs: 3), 0.1)
    }

    func testStepDecay() {
        let s = LearningRateSchedule(baseRate: 0.1, kind: .step(everyEpochs: 2, gamma: 0.5))
        XCTAssertEqual(s.rate(step: 7, stepsPerEpoch: 4, epochs: 6), 0.1)       // epoch 1
        XCTAssertEqual(s.rate(step: 8, stepsPerEpoch: 4, epochs: 6), 0.05)      // epoch 2
        XCTAssertEqual(s.rate(step: 16, stepsPerEpoch: 4, epochs: 6), 0.025)    // epoch 4
    }

    func testCosineGoesFromBaseToMinimum() {
        let s = LearningRateSchedule(baseRate: 0.1, kind: .cosine(minimum: 0.001))
        XCTAssertEqual(s.rate(step: 0, stepsPerEpoch: 10, epochs: 2), 0.1, accuracy: 1e-15)
        XCTAssertEqual(s.rate(step: 10, stepsPerEpoch: 10, epochs: 2), 0.0505, accuracy: 1e-15)
        XCTAssertEqual(s.rate(step: 20, stepsPerEpoch: 10, epochs: 2), 0.001, accuracy: 1e-15)
    }

    /// Huge epoch counts (a sweep bounds them, a library caller need not) saturate instead of
    /// trapping with "arithmetic overflow" (epochs × steps per epoch, warm-up × steps per epoch).
    func testHugeEpochCountsDoNotOverflow() {
        let cosine = LearningRateSchedule(baseRate: 0.1, kind: .cosine(minimum: 0))
        XCTAssertEqual(cosine.rate(step: 0, stepsPerEpoch: 938, epochs: Int.max), 0.1)
        XCTAssertEqual(cosine.rate(step: Int.max, stepsPerEpoch: 938, epochs: Int.max), 0, accuracy: 1e-15)
        XCTAssertEqual(cosine.rate(step: 5, stepsPerEpoch: 10, epochs: 1), 0.05, accuracy: 1e-15)
        let warmup = LearningRateSchedule(baseRate: 0.1, kind: .step(everyEpochs: 1, gamma: 0.5), warmupEpochs: Int.max)
        // W saturates at Int.max: step 0 gets λ/Int.max, the last step λ.
        XCTAssertEqual(warmup.rate(step: 0, stepsPerEpoch: 938, epochs: Int.max), 0.1 / Double(Int.max))
        XCTAssertEqual(warmup.rate(step: Int.max - 1, stepsPerEpoch: 938, epochs: Int.max), 0.1)
        let cosineWarmup = LearningRateSchedule(baseRate: 0.1, kind: .cosine(minimum: 0.01), warmupEpochs: 1 << 62)
        XCTAssertEqual(cosineWarmup.rate(step: Int.max, stepsPerEpoch: 4, epochs: 1 << 62), 0.1)
        XCTAssertEqual(LearningRateSchedule(baseRate: 0.1, kind: .step(everyEpochs: Int.max, gamma: 0.5))
                        .rate(step: Int.max - 1, stepsPerEpoch: 1, epochs: Int.max), 0.1)
    }
}
