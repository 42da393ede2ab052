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
}
