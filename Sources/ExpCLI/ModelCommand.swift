// `exp model summary`: the paper's Table 1 and Table 2 for a configured network.

import ArgumentParser
import Experiments

/// `exp model …`.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Describe the configured network.",
        subcommands: [Summary.self])

    /// `exp model summary [--set KEY=VALUE]... [--config SWEEP.json] [--format text|json]`.
    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the paper's Table 1 (layers, shapes) and Table 2 (parameters).",
            discussion: "Example: exp model summary --set model.bn=before --format json")

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a configuration key, e.g. model.bn=before (repeatable).", valueName: "KEY=VALUE"))
        var overrides: [String] = []
        @Option(help: ArgumentHelp("Start from the `base` of this sweep file.", valueName: "SWEEP.json"))
        var config: String?
        @Option(help: "text (the paper's tables) or json.")
        var format: ModelSummaryEntry.Format = .text

        func run() throws {
            let output = try reportingBadInput {
                try ModelSummaryEntry.render(overrides: overrides, configPath: config, format: format)
            }
            try printOutput(output)
        }
    }
}

extension ModelSummaryEntry.Format: ExpressibleByArgument {}
