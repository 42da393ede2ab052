// `exp data info|verify|fetch`.

import ArgumentParser

/// `exp data …`.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Inspect, verify and fetch datasets.")
}
