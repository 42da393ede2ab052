// The library entry point behind `exp model summary` (SPEC.md "Command line").

import Foundation
import Model

/// `exp model summary [--set KEY=VALUE]... [--config SWEEP.json] [--format text|json]`.
public enum ModelSummaryEntry {
    /// Output formats.
    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    /// The summary of the network that a configuration describes.
    ///
    /// - Parameters:
    ///   - overrides: `KEY=VALUE` strings as given to `--set` (VALUE parsed as JSON, else a string).
    ///   - configPath: a sweep file whose `base` is the starting point (default: SPEC.md's defaults).
    ///   - format: text (the paper's Table 1 and Table 2) or JSON.
    /// - Returns: the rendered summary.
    /// - Throws: `ConfigurationError` / `JSONSyntaxError` for bad input (unknown key, bad value,
    ///   unreadable file), `ModelError` when the layers do not fit together.
    public static func render(overrides: [String], configPath: String?, format: Format) throws -> String {
        var base: JSONValue = .object(JSONObject())
        var file = "--set"
        if let path = configPath {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError(file: path, keyPath: "", kind: .unreadable(reason: "\(error.localizedDescription)"))
            }
            base = try Sweep.parse(text, file: path).base
            file = path
        }
        let parsed = try overrides.map { try Override.parse($0) }
        let resolved = try ConfigurationResolver(file: file).resolve(base: Override.apply(parsed, to: base), seed: 0)
        let network = try Network<Float>(resolved.modelConfiguration)
        let summary = NetworkSummary(network)
        switch format {
        case .text: return ModelSummaryFormatter.text(summary)
        case .json: return ModelSummaryFormatter.json(summary)
        }
    }
}
