@testable import Charts
import Foundation
import TestSupport
import XCTest

/// Whole charts: well-formed SVG, the series present, escaping, determinism, breaks and marks.
final class LineChartTests: XCTestCase {
    private func sampleChart(title: String = "Test accuracy") -> LineChart {
        let a = Series(name: "batch_size=16", points: [ChartPoint(x: 0, y: 10), ChartPoint(x: 1, y: 90), ChartPoint(x: 2, y: 95)],
                       band: [BandPoint(x: 0, low: 9, high: 11), BandPoint(x: 1, low: 88, high: 92), BandPoint(x: 2, low: 94, high: 96)],
                       colorIndex: 0)
        let b = Series(name: "lr=1 (diverged)", points: [ChartPoint(x: 0, y: 10), ChartPoint(x: 1, y: 40), ChartPoint(x: 2, y: .nan)],
                       colorIndex: 1, diverged: true)
        let seeds = Series(name: "seeds", points: [ChartPoint(x: 2, y: 94), ChartPoint(x: 2, y: 96)], style: .dots, colorIndex: 2)
        return LineChart(title: title, xAxis: Axis(label: "epoch"), yAxis: Axis(label: "test accuracy", unit: "%", range: 0...100),
                         series: [a, b, seeds])
    }

    func testSVGIsWellFormedAndHasTheSeries() throws {
        let svg = sampleChart().svg()
        let elements = parseXML(svg)
        XCTAssertEqual(elements.first?.name, "svg")
        XCTAssertEqual(elements.first?.attributes["xmlns"], "http://www.w3.org/2000/svg")
        let groups = elements.filter { $0.name == "g" && $0.attributes["class"] == "series" }
        XCTAssertEqual(groups.map { $0.attributes["data-name"] }, ["batch_size=16", "lr=1 (diverged)", "seeds"])
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "band" }.count, 1)
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "line" }.count, 2)
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "diverged" }.count, 1)
        XCTAssertEqual(elements.filter { $0.name == "circle" && $0.attributes["class"] == "marker" }.count, 2)
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "legend-entry" }.map(\.text),
                       ["batch_size=16", "lr=1 (diverged)", "seeds"])
        XCTAssertEqual(elements.first { $0.attributes["class"] == "chart-title" }?.text, "Test accuracy")
        XCTAssertEqual(elements.first { $0.attributes["class"] == "axis-title y" }?.text, "test accuracy (%)")
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "tick y" }.map(\.text), ["0", "20", "40", "60", "80", "100"])
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "tick x" }.map(\.text), ["0.0", "0.5", "1.0", "1.5", "2.0"])
        XCTAssertFalse(svg.contains("nan"))
    }

    func testPythonParsesTheSVG() throws {
        let path = NSTemporaryDirectory() + "chart-\(UUID().uuidString).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try sampleChart(title: "A & B <C> \"q\" 'x' \u{01}").svg().write(toFile: path, atomically: true, encoding: .utf8)
        guard let parsed = pythonParsesXML(atPath: path) else { throw XCTSkip("no /usr/bin/python3") }
        XCTAssertTrue(parsed)
    }

    func testHostileTextIsEscaped() {
        let hostile = "</text><script>alert('x')</script> & \"q\" \u{1B}[31m"
        var chart = sampleChart(title: hostile)
        chart.series[0].name = hostile
        chart.xAxis = Axis(label: hostile, unit: "<u>")
        let svg = chart.svg()
        XCTAssertFalse(svg.contains("<script>"))
        XCTAssertFalse(svg.contains("\u{1B}"))
        let elements = parseXML(svg)
        XCTAssertFalse(elements.contains { $0.name == "script" })
        XCTAssertEqual(elements.first { $0.attributes["class"] == "chart-title" }?.text,
                       "</text><script>alert('x')</script> & \"q\" \u{FFFD}[31m")
        XCTAssertEqual(elements.first { $0.attributes["class"] == "series" }?.attributes["data-name"],
                       "</text><script>alert('x')</script> & \"q\" \u{FFFD}[31m")
        XCTAssertEqual(elements.first { $0.attributes["class"] == "axis-title x" }?.text.hasSuffix("(<u>)"), true)
    }

    func testDeterministicBytes() {
        XCTAssertEqual(sampleChart().svg(), sampleChart().svg())
        XCTAssertEqual(Array(sampleChart().svg().utf8), Array(sampleChart().svg().utf8))
    }

    func testNonFiniteValuesBreakTheLine() {
        let gap = Series(name: "gap", points: [0, 1, .nan, 3, 4].enumerated().map { ChartPoint(x: Double($0.offset), y: $0.element) },
                         colorIndex: 0)
        let chart = LineChart(title: "t", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), series: [gap])
        let lines = parseXML(chart.svg()).filter { $0.attributes["class"] == "line" }
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.map { $0.attributes["points"]!.split(separator: " ").count }, [2, 2])
    }

    func testLogAxisDropsNonPositiveAndPlacesDecadesEvenly() {
        let series = Series(name: "acc", points: [16, 32, 64, 128, 256, 512].map { ChartPoint(x: $0, y: 0.9) },
                            style: .lineWithMarkers, colorIndex: 0)
        let zero = Series(name: "zero", points: [ChartPoint(x: 0, y: 1)], style: .dots, colorIndex: 1)
        let chart = LineChart(title: "t", xAxis: Axis(label: "batch size", scale: .logarithmic), yAxis: Axis(label: "y"),
                              series: [series, zero])
        let elements = parseXML(chart.svg())
        let xTicks = elements.filter { $0.attributes["class"] == "tick x" }
        XCTAssertEqual(xTicks.map(\.text), ["10", "20", "50", "100", "200", "500", "1000"])
        let positions = xTicks.map { Double($0.attributes["x"]!)! }
        // 10 → 100 and 100 → 1000 span equal widths.
        XCTAssertEqual(positions[3] - positions[0], positions[6] - positions[3], accuracy: 0.02)
        let markers = elements.filter { $0.attributes["class"] == "marker" }
        XCTAssertEqual(markers.count, 6)  // the zero point is not drawn
        let cx = markers.map { Double($0.attributes["cx"]!)! }
        for i in 1..<cx.count - 1 {  // doubling → equal steps
            XCTAssertEqual(cx[i] - cx[i - 1], cx[i + 1] - cx[i], accuracy: 0.02)
        }
    }

    func testCategoricalAxisAndCrosses() {
        let points = [ChartPoint(x: 0, y: 0.98), ChartPoint(x: 2, y: 0.97)]
        let chart = LineChart(title: "t", xAxis: Axis(label: "bn", categories: ["after", "before", "none"]),
                              yAxis: Axis(label: "y"), series: [Series(name: "diverged run", points: points, style: .crosses, colorIndex: 3)])
        let elements = parseXML(chart.svg())
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "tick x" }.map(\.text), ["after", "before", "none"])
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "marker" && $0.name == "path" }.count, 2)
    }

    func testLegendGrowsTheChartAndLongNamesWrap() {
        let many = (0..<30).map { Series(name: String(repeating: "n", count: 60) + "\($0)", points: [], colorIndex: $0) }
        let chart = LineChart(title: "t", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), series: many)
        let elements = parseXML(chart.svg())
        let height = Double(elements[0].attributes["height"]!)!
        XCTAssertGreaterThanOrEqual(height, 48 + 30 * (6 + 2 * 14) + 56)  // two lines per entry
        XCTAssertEqual(elements.filter { $0.attributes["class"] == "legend-entry" }.count, 30)
        let spans = elements.filter { $0.name == "tspan" }.map(\.text)
        XCTAssertEqual(spans.count, 60)
        XCTAssertEqual(spans[0], String(repeating: "n", count: 34))
        XCTAssertEqual(spans[1], String(repeating: "n", count: 26) + "0")
        // Series 10 … 19 are dashed (second pass through the palette).
        let dashed = elements.filter { $0.name == "line" && $0.attributes["stroke-dasharray"] != nil }
        XCTAssertEqual(dashed.count, 10)
    }

    func testWrapping() {
        XCTAssertEqual(SVGText.wrapped("batch_size=64, learning_rate=50, seed 1 (diverged)", width: 34, maxLines: 3),
                       ["batch_size=64, learning_rate=50,", "seed 1 (diverged)"])
        XCTAssertEqual(SVGText.wrapped("a b c d e f", width: 3, maxLines: 2), ["a b", "c …"])
        XCTAssertEqual(SVGText.wrapped("", width: 5, maxLines: 2), [""])
        XCTAssertEqual(SVGText.wrapped("abcdefgh", width: 3, maxLines: 5), ["abc", "def", "gh"])
        XCTAssertEqual(SVGText.wrapped("abcdefgh", width: 3, maxLines: 2), ["abc", "de…"])
    }

    /// 14 configurations whose labels differ only in the last key: every legend entry whole.
    func testLongLegendEntriesStayDistinguishable() {
        let names = (0..<14).map { i in
            "learning_rate=0.1, momentum=0.9, batch_size=64, weight_decay=0.0005, warmup_epochs=1, bn=after, epochs=\(i)"
        }
        let series = names.enumerated().map { i, name in
            Series(name: name, points: [ChartPoint(x: 0, y: Double(i)), ChartPoint(x: 1, y: Double(i))], colorIndex: i)
        }
        let chart = LineChart(title: "t", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), series: series)
        let elements = parseXML(chart.svg())
        var entries: [String] = []
        var current: [String] = []
        for element in elements where element.attributes["class"] == "legend-entry" || element.name == "tspan" {
            if element.name == "tspan" { current.append(element.text) } else { if !current.isEmpty { entries.append(current.joined(separator: " ")) }; current = [] }
        }
        entries.append(current.joined(separator: " "))
        XCTAssertEqual(entries, names)
        // A name longer than 8 lines: its first 6 lines, "…" and its last line.
        let long = (0..<40).map { "key\($0)=value" }.joined(separator: ", ")
        let lines = LineChart.legendText(long)
        XCTAssertEqual(lines.count, LineChart.legendLines)
        XCTAssertEqual(lines[6], "…")
        XCTAssertTrue(long.hasSuffix(lines[7]), lines[7])
        XCTAssertTrue(long.hasPrefix(lines[0]))
    }
}
