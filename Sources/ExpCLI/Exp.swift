// The `exp` command: argument parsing and wiring only. Every subcommand calls one library
// entry point (Experiments, Report), so every behaviour is reachable from a test.

import ArgumentParser

/// The root command of `exp` (SPEC.md "Command line").
public struct Exp: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "exp",
        abstract: "Reproducible CNN experiments: the LeNet-5 variant of \"Deep learning for pedestrians\" on MNIST.",
        version: EngineVersion.versionLine,
        subcommands: [ModelCommand.self, DataCommand.self, BenchCommand.self])

    public init() {}
}
