@testable import Charts
import XCTest

/// Tick generation: known answers for linear 1-2-5 steps, log decades and categories.
final class TicksTests: XCTestCase {
    func testNiceStepKnownAnswers() {
        XCTAssertTrue(Ticks.niceStep(span: 1, target: 5) == (2, -1))
        XCTAssertTrue(Ticks.niceStep(span: 100, target: 5) == (2, 1))
        XCTAssertTrue(Ticks.niceStep(span: 2.297, target: 5) == (5, -1))
        XCTAssertTrue(Ticks.niceStep(span: 7, target: 5) == (2, 0))
        XCTAssertTrue(Ticks.niceStep(span: 30, target: 5) == (1, 1))  // 6 → 10
        XCTAssertTrue(Ticks.niceStep(span: 5, target: 5) == (1, 0))  // exactly 1
    }

    func testLinearKnownAnswers() {
        let unit = Ticks.linear(from: 0, to: 1)
        XCTAssertEqual(unit.values, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(unit.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(unit.lower, 0)
        XCTAssertEqual(unit.upper, 1)

        let loss = Ticks.linear(from: 0.013, to: 2.31)
        XCTAssertEqual(loss.values, [0, 0.5, 1, 1.5, 2, 2.5])
        XCTAssertEqual(loss.labels, ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])

        let percent = Ticks.linear(from: 91.3, to: 98.7)
        XCTAssertEqual(percent.values, [90, 92, 94, 96, 98, 100])
        XCTAssertEqual(percent.labels, ["90", "92", "94", "96", "98", "100"])

        let tenths = Ticks.linear(from: 0.1, to: 0.5)
        XCTAssertEqual(tenths.values, [0.1, 0.2, 0.3, 0.4, 0.5])  // 3 / 10, not 3 × 0.1 = 0.30000000000000004
        XCTAssertEqual(tenths.labels[2], "0.3")

        let negative = Ticks.linear(from: -3, to: 4)
        XCTAssertEqual(negative.values, [-4, -2, 0, 2, 4])
        XCTAssertEqual(negative.labels, ["-4", "-2", "0", "2", "4"])
    }

    func testLinearLargeValuesUseSuffixes() {
        let samples = Ticks.linear(from: 0, to: 300_000)
        XCTAssertEqual(samples.values, [0, 100_000, 200_000, 300_000])
        XCTAssertEqual(samples.labels, ["0k", "100k", "200k", "300k"])
        let millions = Ticks.linear(from: 0, to: 12_000_000)
        XCTAssertEqual(millions.labels, ["0M", "5M", "10M", "15M"])
        let thousands = Ticks.linear(from: 0, to: 7_000)
        XCTAssertEqual(thousands.labels, ["0k", "2k", "4k", "6k", "8k"])
    }

    func testHugeAndTinyLinearLabelsAreScientific() {
        XCTAssertEqual(Ticks.linear(from: 0, to: 4e16).labels, ["0", "1e16", "2e16", "3e16", "4e16"])
        XCTAssertEqual(Ticks.linear(from: 0, to: 4e-5).labels, ["0", "1e-5", "2e-5", "3e-5", "4e-5"])
        XCTAssertEqual(Ticks.linear(from: 0, to: 4e-4).labels, ["0.0000", "0.0001", "0.0002", "0.0003", "0.0004"])
    }

    func testManyDecadesAreThinned() {
        let ticks = Ticks.logarithmic(from: 0.1, to: 1e37)  // 38 decades → every 4th
        XCTAssertEqual(ticks.labels, ["0.1", "1000", "1e7", "1e11", "1e15", "1e19", "1e23", "1e27", "1e31", "1e35", "1e37"])
        XCTAssertEqual(ticks.lower, 0.1)
        XCTAssertEqual(ticks.upper, 1e37)
    }

    func testLinearDegenerateRanges() {
        let same = Ticks.linear(from: 5, to: 5)  // widened to 4.5 … 5.5
        XCTAssertEqual(same.values, [4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6])
        XCTAssertLessThanOrEqual(same.lower, 5)
        XCTAssertGreaterThanOrEqual(same.upper, 5)
        let zero = Ticks.linear(from: 0, to: 0)  // widened to −1 … 1
        XCTAssertEqual(zero.values, [-1, -0.5, 0, 0.5, 1])
        XCTAssertEqual(zero.labels, ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
        let reversed = Ticks.linear(from: 1, to: 0)
        XCTAssertEqual(reversed.values, [0, 0.2, 0.4, 0.6, 0.8, 1])
    }

    func testLinearTicksCoverTheDataWithFewTicks() {
        for (low, high) in [(0.001, 0.0093), (-17.0, 1234.0), (1e-7, 3e-7), (12345.0, 12346.0), (0.0, 1e9)] {
            let ticks = Ticks.linear(from: low, to: high)
            XCTAssertLessThanOrEqual(ticks.lower, low, "\(low)…\(high)")
            XCTAssertGreaterThanOrEqual(ticks.upper, high, "\(low)…\(high)")
            XCTAssertTrue((3...8).contains(ticks.values.count), "\(low)…\(high): \(ticks.values)")
            XCTAssertEqual(Set(ticks.labels).count, ticks.labels.count, "labels distinct: \(ticks.labels)")
        }
    }

    func testLogarithmicKnownAnswers() {
        let batch = Ticks.logarithmic(from: 16, to: 512)  // two decades: 1, 2, 5 in each
        XCTAssertEqual(batch.values, [10, 20, 50, 100, 200, 500, 1000])
        XCTAssertEqual(batch.labels, ["10", "20", "50", "100", "200", "500", "1000"])
        XCTAssertEqual(batch.lower, 10)
        XCTAssertEqual(batch.upper, 1000)

        let rates = Ticks.logarithmic(from: 0.0001, to: 1)  // four decades: powers only
        XCTAssertEqual(rates.values, [0.0001, 0.001, 0.01, 0.1, 1])
        XCTAssertEqual(rates.labels, ["1e-4", "0.001", "0.01", "0.1", "1"])

        let wide = Ticks.logarithmic(from: 3, to: 2e7)
        XCTAssertEqual(wide.labels, ["1", "10", "100", "1000", "10000", "100000", "1e6", "1e7", "1e8"])

        let single = Ticks.logarithmic(from: 100, to: 100)  // at least one decade
        XCTAssertEqual(single.values, [100, 200, 500, 1000])
        let exactDecades = Ticks.logarithmic(from: 0.01, to: 10)
        XCTAssertEqual(exactDecades.values, [0.01, 0.1, 1, 10])
    }

    func testCategorical() {
        let ticks = Ticks.categorical(["after", "before", "none"])
        XCTAssertEqual(ticks.values, [0, 1, 2])
        XCTAssertEqual(ticks.labels, ["after", "before", "none"])
        XCTAssertEqual(ticks.lower, -0.5)
        XCTAssertEqual(ticks.upper, 2.5)
    }

    func testAxisTicksWithFixedRangeAndFiltering() {
        let percent = Axis(label: "accuracy", unit: "%", range: 0...100)
        let ticks = percent.ticks(for: [12, 99])
        XCTAssertEqual(ticks.values, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(ticks.lower, 0)
        XCTAssertEqual(ticks.upper, 100)
        let clipped = Axis(label: "loss", range: 0.05...0.95).ticks(for: [])
        XCTAssertEqual(clipped.values, [0.2, 0.4, 0.6, 0.8])
        XCTAssertEqual(clipped.lower, 0.05)
        let log = Axis(label: "batch size", scale: .logarithmic)
        XCTAssertEqual(log.ticks(for: [0, -1, .nan, 16, 512]).values.first, 10)  // ≤ 0 and NaN ignored
        XCTAssertEqual(log.ticks(for: []).values, [1, 2, 5, 10])
        XCTAssertEqual(Axis(label: "x").ticks(for: [.infinity]).values, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(percent.title, "accuracy (%)")
        XCTAssertEqual(Axis(label: "epoch").title, "epoch")
    }
}
