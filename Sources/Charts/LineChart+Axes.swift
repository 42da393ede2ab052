// The plot frame, grid lines, tick labels and axis titles.

extension LineChart {
    func axisElements(frame: Layout, x: AxisMapping, y: AxisMapping, xTicks: TickSet, yTicks: TickSet) -> [String] {
        let c = NumberFormat.coordinate
        var out = ["<g class=\"axes\" stroke-linecap=\"square\">"]
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            let px = c(x.position(value))
            out.append("<line class=\"grid\" x1=\"\(px)\" y1=\"\(c(frame.top))\" x2=\"\(px)\" y2=\"\(c(frame.bottom))\" stroke=\"#E4E4E4\"/>")
            out.append("<line x1=\"\(px)\" y1=\"\(c(frame.bottom))\" x2=\"\(px)\" y2=\"\(c(frame.bottom + 5))\" stroke=\"#333333\"/>")
            out.append("<text class=\"tick x\" x=\"\(px)\" y=\"\(c(frame.bottom + 19))\" text-anchor=\"middle\">\(SVGText.escape(label))</text>")
        }
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            let py = c(y.position(value))
            out.append("<line class=\"grid\" x1=\"\(c(frame.left))\" y1=\"\(py)\" x2=\"\(c(frame.right))\" y2=\"\(py)\" stroke=\"#E4E4E4\"/>")
            out.append("<line x1=\"\(c(frame.left - 5))\" y1=\"\(py)\" x2=\"\(c(frame.left))\" y2=\"\(py)\" stroke=\"#333333\"/>")
            out.append("<text class=\"tick y\" x=\"\(c(frame.left - 8))\" y=\"\(c(y.position(value) + 4))\" text-anchor=\"end\">\(SVGText.escape(label))</text>")
        }
        out.append("<rect x=\"\(c(frame.left))\" y=\"\(c(frame.top))\" width=\"\(c(frame.right - frame.left))\" "
                   + "height=\"\(c(frame.bottom - frame.top))\" fill=\"none\" stroke=\"#333333\"/>")
        let middleX = c((frame.left + frame.right) / 2), middleY = c((frame.top + frame.bottom) / 2)
        out.append("<text class=\"axis-title x\" x=\"\(middleX)\" y=\"\(c(frame.bottom + 42))\" text-anchor=\"middle\" "
                   + "font-size=\"13\">\(SVGText.escape(xAxis.title))</text>")
        out.append("<text class=\"axis-title y\" x=\"18\" y=\"\(middleY)\" text-anchor=\"middle\" font-size=\"13\" "
                   + "transform=\"rotate(-90 18 \(middleY))\">\(SVGText.escape(yAxis.title))</text>")
        out.append("</g>")
        return out
    }
}
