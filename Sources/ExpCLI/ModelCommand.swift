// `exp model summary`: the paper's Table 1 and Table 2 for a configured network.

import ArgumentParser

/// `exp model …`.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Describe the configured network.",
        subcommands: [Summary.self])

    /// `exp model summary [--set KEY=VALUE]... [--format text|json]`.
    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the paper's Table 1 (layers, shapes) and Table 2 (parameters).")
        func run() throws {
            print("model summary: not built yet")
        }
    }
}
