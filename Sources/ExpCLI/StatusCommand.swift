// `exp status [SWEEP-NAME]... [--results DIR] [--format json]`.

import ArgumentParser
import Experiments

/// `exp status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the runs of sweeps and their statuses (derived: pending, crashed, damaged).")

    @Argument(help: "Sweep names (default: every sweep under --results).") var sweeps: [String] = []
    @Option(help: "The results directory.") var results = "results"
    @Option(help: "text or json.") var format = "text"

    func run() throws {
        let output = try reportingBadInput { () throws -> String in
            guard format == "text" || format == "json" else { throw BadInput("--format \(format): expected text or json") }
            return try StatusEntry.render(sweeps: sweeps, results: results, json: format == "json",
                                          catalog: PluginRegistry(extra: Exp.userPlugins).catalog)
        }
        try printOutput(output)
    }
}
