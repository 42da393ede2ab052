// Drawing one series: band, line segments, markers, the × of a diverged run; and the legend.

extension LineChart {
    func seriesElements(_ item: Series, x: AxisMapping, y: AxisMapping) -> [String] {
        let c = NumberFormat.coordinate
        let color = Palette.color(item.colorIndex)
        let dashed = item.dashed || Palette.isDashed(item.colorIndex)
        let drawable = { (p: ChartPoint) in self.xAxis.accepts(p.x) && self.yAxis.accepts(p.y) }
        let name = SVGText.escape(item.name)
        var out = ["<g class=\"series\" data-name=\"\(name)\">", "<title>\(name)</title>"]
        let band = item.band.filter { xAxis.accepts($0.x) && yAxis.accepts($0.low) && yAxis.accepts($0.high) }
        if item.style == .markersWithRanges {
            for point in band {
                out.append("<line class=\"range\" x1=\"\(c(x.position(point.x)))\" y1=\"\(c(y.position(point.low)))\" "
                           + "x2=\"\(c(x.position(point.x)))\" y2=\"\(c(y.position(point.high)))\" stroke=\"\(color)\" stroke-width=\"1.8\"/>")
            }
        } else if band.count >= 2 {
            let upper = band.map { "\(c(x.position($0.x))),\(c(y.position($0.high)))" }
            let lower = band.reversed().map { "\(c(x.position($0.x))),\(c(y.position($0.low)))" }
            out.append("<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" "
                       + "fill-opacity=\"0.18\" stroke=\"none\"/>")
        }
        if item.style == .line || item.style == .lineWithMarkers {
            var segments: [[ChartPoint]] = [[]]
            for point in item.points {
                if drawable(point) { segments[segments.count - 1].append(point) } else if !segments.last!.isEmpty { segments.append([]) }
            }
            for segment in segments where !segment.isEmpty {
                let points = segment.map { "\(c(x.position($0.x))),\(c(y.position($0.y)))" }.joined(separator: " ")
                out.append("<polyline class=\"line\" points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\""
                           + (dashed ? " stroke-dasharray=\"6 3\"" : "") + " stroke-linejoin=\"round\"/>")
            }
        }
        for point in item.points where drawable(point) {
            let px = x.position(point.x), py = y.position(point.y)
            switch item.style {
            case .lineWithMarkers, .dots:
                out.append("<circle class=\"marker\" cx=\"\(c(px))\" cy=\"\(c(py))\" r=\"3\" fill=\"\(color)\"/>")
            case .markersWithRanges:
                out.append("<circle class=\"marker\" cx=\"\(c(px))\" cy=\"\(c(py))\" r=\"4\" fill=\"\(color)\"/>")
            case .crosses:
                out.append(cross(px, py, size: 4, color: color, kind: "marker"))
            case .line:
                break
            }
        }
        if item.diverged, let last = item.points.last(where: drawable) {
            out.append(cross(x.position(last.x), y.position(last.y), size: 6, color: color, kind: "diverged"))
        }
        out.append("</g>")
        return out
    }

    func cross(_ px: Double, _ py: Double, size: Double, color: String, kind: String) -> String {
        let c = NumberFormat.coordinate
        return "<path class=\"\(kind)\" d=\"M\(c(px - size)) \(c(py - size))L\(c(px + size)) \(c(py + size))"
            + "M\(c(px - size)) \(c(py + size))L\(c(px + size)) \(c(py - size))\" stroke=\"\(color)\" stroke-width=\"2.2\" fill=\"none\"/>"
    }

    func legendElements(frame: Layout) -> [String] {
        let entries = series.filter(\.inLegend)
        guard !entries.isEmpty else { return [] }
        let c = NumberFormat.coordinate
        var out = ["<g class=\"legend\">"]
        var top = frame.top + 4
        for item in entries {
            let lines = Self.legendText(item.name)
            defer { top += 6 + 14 * Double(lines.count) }
            let color = Palette.color(item.colorIndex)
            let middle = top + 8
            let x0 = frame.legendX, x1 = frame.legendX + 22
            switch item.style {
            case .dots:
                out.append("<circle cx=\"\(c(x0 + 11))\" cy=\"\(c(middle))\" r=\"3.5\" fill=\"\(color)\"/>")
            case .crosses:
                out.append(cross(x0 + 11, middle, size: 4, color: color, kind: "legend-marker"))
            case .markersWithRanges:
                out.append("<line x1=\"\(c(x0 + 11))\" y1=\"\(c(middle - 7))\" x2=\"\(c(x0 + 11))\" y2=\"\(c(middle + 7))\" "
                           + "stroke=\"\(color)\" stroke-width=\"1.8\"/>")
                out.append("<circle cx=\"\(c(x0 + 11))\" cy=\"\(c(middle))\" r=\"4\" fill=\"\(color)\"/>")
            case .line, .lineWithMarkers:
                let dashed = item.dashed || Palette.isDashed(item.colorIndex)
                out.append("<line x1=\"\(c(x0))\" y1=\"\(c(middle))\" x2=\"\(c(x1))\" y2=\"\(c(middle))\" stroke=\"\(color)\" "
                           + "stroke-width=\"2.4\"" + (dashed ? " stroke-dasharray=\"6 3\"" : "") + "/>")
                if item.diverged { out.append(cross(x1, middle, size: 4, color: color, kind: "legend-marker")) }
            }
            let x = c(x1 + 8)
            if lines.count == 1 {
                out.append("<text class=\"legend-entry\" x=\"\(x)\" y=\"\(c(middle + 4))\">\(SVGText.escape(lines[0]))</text>")
            } else {
                let spans = lines.enumerated().map { i, line in
                    "<tspan x=\"\(x)\" y=\"\(c(middle + 4 + 14 * Double(i)))\">\(SVGText.escape(line))</tspan>"
                }
                out.append("<text class=\"legend-entry\">" + spans.joined() + "</text>")
            }
        }
        out.append("</g>")
        return out
    }
}
