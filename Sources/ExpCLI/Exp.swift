// The `exp` command: argument parsing and wiring only. Every subcommand calls one library
// entry point (Experiments, Report), so every behaviour is reachable from a test.

import ArgumentParser
import Experiments

/// The root command of `exp` (SPEC.md "Command line").
public struct Exp: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "exp",
        abstract: "Reproducible CNN experiments: the LeNet-5 variant of \"Deep learning for pedestrians\" on MNIST.",
        version: EngineVersion.versionLine,
        subcommands: [RunCommand.self, StatusCommand.self, ReportCommand.self, ModelCommand.self, DataCommand.self,
                      BenchCommand.self])

    public init() {}

    /// Plugins added by a user's own `exp` executable.
    nonisolated(unsafe) static var userPlugins: [any ExperimentPlugin.Type] = []

    /// Runs `exp` on the process's arguments, after making failed writes to stdout and stderr
    /// errors instead of signals (SIGPIPE ignored, closed standard descriptors occupied; see
    /// `StandardStreams.prepareProcess()`).
    public static func main() {
        StandardStreams.prepareProcess()
        main(nil)
    }

    /// Runs `exp` with extra plugins: a user's package depends on the `ExpCLI` product and
    /// builds its own executable whose main is `Exp.main(plugins: [MyPlugin.self])`.
    public static func main(plugins: [any ExperimentPlugin.Type]) {
        userPlugins = plugins
        main()
    }
}
