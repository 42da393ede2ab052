// Text and JSON renderings of NetworkSummary for `exp model summary` (SPEC.md).

import Layers
import Model

/// Renders the paper's Table 1 and Table 2 for a network.
public enum ModelSummaryFormatter {
    /// "n×6×24×24" for a shape without n.
    static func shape(_ s: [Int]) -> String { (["n"] + s.map(String.init)).joined(separator: "×") }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }

    /// Table 1 (i, layer, A_i shape, parameters P_{i−1} with their count) and Table 2 (per
    /// trainable layer: tensors, shapes, counts; total), as plain text. Layer i's parameters
    /// are named P_{i−1} as in the paper (section 3), the names of weights.h5's groups and of
    /// kernels/P{j}.png.
    public static func text(_ summary: NetworkSummary) -> String {
        var lines = ["Network: \(summary.architecture.rawValue), bn \(summary.batchNorm.rawValue)", "",
                     "Table 1: layers and the shape of their output A_i", ""]
        let header = pad("i", 4) + pad("layer", 34) + pad("A_i shape", 20) + "parameters P_{i-1}"
        lines += [header, String(repeating: "-", count: header.count)]
        for row in summary.rows {
            let group = row.parameters.first.map { String($0.name.prefix { $0 != "." }) } ?? ""
            lines.append(pad("\(row.index)", 4) + pad(row.detail, 34) + pad(shape(row.outputShape), 20)
                         + (row.parameterCount > 0 ? pad(group, 5) + grouped(row.parameterCount) : ""))
        }
        lines += ["", "(layer i holds P_{i-1}: the names of weights.h5's groups and kernels/P{j}.png)"]
        lines += ["", "Table 2: trainable parameters", ""]
        let header2 = pad("layer", 6) + pad("tensor", 22) + pad("shape", 16) + "count"
        lines += [header2, String(repeating: "-", count: header2.count)]
        for row in summary.rows where row.parameterCount > 0 {
            for p in row.parameters {
                lines.append(pad("\(row.index)", 6) + pad(p.name, 22)
                             + pad(p.shape.map(String.init).joined(separator: "×"), 16) + grouped(p.count))
            }
        }
        lines += [String(repeating: "-", count: header2.count),
                  pad("", 6) + pad("total", 38) + grouped(summary.totalParameters)]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSON form of SPEC.md: {"architecture", "bn", "total_parameters", "layers": [...]}.
    /// Strings here are fixed identifiers (no escaping needed).
    public static func json(_ summary: NetworkSummary) -> String {
        func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        let layers = summary.rows.map { row -> String in
            let params = row.parameters.map { p in
                "{\"name\": \"\(p.name)\", \"shape\": \(array(p.shape.map(String.init))), \"count\": \(p.count)}"
            }
            return "    {\"index\": \(row.index), \"type\": \"\(row.type.rawValue)\", "
                + "\"output_shape\": \(array(["\"n\""] + row.outputShape.map(String.init))), "
                + "\"parameters\": \(array(params)), \"parameter_count\": \(row.parameterCount)}"
        }
        return "{\"architecture\": \"\(summary.architecture.rawValue)\", \"bn\": \"\(summary.batchNorm.rawValue)\", "
            + "\"total_parameters\": \(summary.totalParameters),\n \"layers\": [\n"
            + layers.joined(separator: ",\n") + "\n]}\n"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
