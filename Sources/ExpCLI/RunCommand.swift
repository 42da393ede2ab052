// `exp run SWEEP.json …` (SPEC.md "Command line"): parsing and wiring; the work is in
// Experiments' RunEntry and SweepRunner.

import ArgumentParser
import Dispatch
import Experiments
import Foundation

/// `exp run`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Train every run of a sweep and write its results.",
        discussion: """
            Results go to RESULTS/<sweep>/<run>/ (config.json, status.json, metrics.h5, weights.h5, \
            kernels/, activations/). Re-running a sweep skips completed runs, resumes interrupted or \
            crashed ones from checkpoint.h5 and trains runs added since. Exit codes: 0 all runs completed \
            or diverged, 1 a run failed (or a write failed), 64 bad input (nothing written), 130 \
            interrupted (state saved; a second SIGINT/SIGTERM more than 1 s after the first exits at once). \
            See docs/SWEEPS.md for the sweep file.
            """)

    @Argument(help: "The sweep file, e.g. experiments/batchsize.json.") var sweep: String
    @Option(help: "The results directory.") var results = "results"
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a configuration key (repeatable); a swept key replaces its axis.", valueName: "KEY=VALUE"))
    var overrides: [String] = []
    @Option(help: "Train N runs at once.") var jobs = 1
    @Option(help: ArgumentHelp("Only runs whose number mod N = I (cluster array jobs).", valueName: "I/N")) var shard: String?
    @Flag(help: "List the runs with ids and statuses; train nothing.") var dryRun = false
    @Option(help: "Output of --dry-run: text or json.") var format = "text"
    @Flag(help: "Start every run afresh, discarding earlier results.") var force = false
    @Flag(help: "Rerun diverged runs too.") var retryDiverged = false
    @Option(help: "Refuse sweeps with more runs than this.") var maxRuns = Sweep.defaultMaximumRuns

    func run() throws {
        try Exp.runSweep(self)
    }

    func options() throws -> RunOptions {
        var o = RunOptions(sweepPath: sweep)
        o.results = results
        o.overrides = overrides
        o.jobs = jobs
        if let shard {
            let parts = shard.split(separator: "/").map { Int($0) }
            guard parts.count == 2, let i = parts[0], let n = parts[1] else {
                throw BadInput("--shard \(shard): expected I/N, e.g. --shard 0/4")
            }
            o.shard = (i, n)
        }
        guard format == "text" || format == "json" else { throw BadInput("--format \(format): expected text or json") }
        o.dryRun = dryRun
        o.jsonOutput = format == "json"
        o.force = force
        o.retryDiverged = retryDiverged
        o.maximumRuns = maxRuns
        o.argv = ["exp"] + Array(CommandLine.arguments.dropFirst())
        return o
    }
}

extension Exp {
    /// Runs a sweep with the registered plugins; SIGINT/SIGTERM finish the current step, save
    /// and exit 130.
    static func runSweep(_ command: RunCommand) throws {
        let registry = PluginRegistry(extra: userPlugins)
        let (options, sweep, runs) = try reportingBadInput { () throws -> (RunOptions, Sweep, [PlannedRun]) in
            let options = try command.options()
            let (sweep, runs) = try RunEntry.plan(options, registry: registry)
            return (options, sweep, runs)
        }
        if options.dryRun {
            let states = RunEntry.states(of: runs, sweepDirectory: options.results + "/" + sweep.name, catalog: registry.catalog)
            try printOutput(RunEntry.dryRunListing(states, json: options.jsonOutput))
            return
        }
        warnIfDebugBuild()
        let interrupt = InterruptFlag()
        let requests = InterruptRequests()
        let signals = [SIGINT, SIGTERM]
        let previous = signals.map { signal($0, SIG_IGN) }
        let sources = signals.map { signalNumber -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                switch requests.receive(at: ProcessInfo.processInfo.systemUptime) {
                case .sameRequest:
                    return
                case .exitNow:
                    printError("second signal: exiting now; interrupted runs resume from their last checkpoint")
                    Foundation.exit(130)
                case .interrupt:
                    printError("interrupted: finishing the current step and saving (signal \(signalNumber)); "
                               + "send it again to exit at once")
                    interrupt.raise()
                }
            }
            source.resume()
            return source
        }
        defer {
            sources.forEach { $0.cancel() }
            // If libdispatch has not installed its handler yet (it registers sources
            // asynchronously) the signal is still ignored, and ignored signals are inherited
            // across exec: restore the old disposition, so that the caller (a library user, a
            // test process) and the processes it starts later can still be stopped.
            for (signalNumber, handler) in zip(signals, previous) {
                var action = sigaction()
                sigaction(signalNumber, nil, &action)
                if unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                    signal(signalNumber, handler)
                }
            }
        }
        let build = BuildInfo(engineVersion: EngineVersion.version, gitCommit: GitInfo.current.commit,
                              gitDirty: GitInfo.current.dirty)
        let runner = SweepRunner(options: options, registry: registry, build: build, interrupt: interrupt,
                                 log: { printError($0) })
        let summary: RunSummary
        do {
            summary = try runner.run(sweep: sweep, runs: runs)
        } catch let error as SweepWriteError {
            // The sweep directory exists: a failure (full disk, I/O error), not bad input.
            printError("\(error)")
            throw ExitCode(failureExitCode)
        } catch {
            printError("\(error)")
            throw ExitCode(64)
        }
        let lines = summary.runs.map { run in
            "\(run.trained ? run.state.rawValue : "skipped (\(run.state.rawValue))")\t\(options.results)/\(sweep.name)/\(run.directory)\n"
        }
        do { try printOutput(lines.joined()) } catch {
            // The runs' results are on disk; the listing is lost: a failure unless a worse code stands.
            throw ExitCode(summary.exitCode != 0 ? summary.exitCode : failureExitCode)
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    /// Says once on stderr that a debug build trains many times slower.
    static func warnIfDebugBuild() {
        #if DEBUG
        printError("note: this is a debug build; training runs many times slower than with `swift run -c release exp …`")
        #endif
    }
}

/// What a SIGINT or SIGTERM asks for, given the ones before it. The first asks to finish the
/// current step, save and exit 130. Signals within ``sameRequestInterval`` of the first are the
/// same request: `timeout` delivers its SIGTERM twice within microseconds (to the child, then to
/// its process group), and a terminal's Ctrl-C reaches every process of the foreground group.
/// A signal after that asks to exit at once.
final class InterruptRequests: @unchecked Sendable {
    /// Seconds after the first signal during which another one repeats it (1 s: far longer
    /// than the few microseconds between duplicate deliveries, shorter than a person takes to
    /// decide that saving takes too long and press Ctrl-C again).
    static let sameRequestInterval: TimeInterval = 1

    /// What to do on a signal.
    enum Action: Equatable {
        /// The first signal: finish the step, save, exit 130.
        case interrupt
        /// A repeat of the first (within the interval): nothing more to do.
        case sameRequest
        /// A later signal: exit at once.
        case exitNow
    }

    private let lock = NSLock()
    private var first: TimeInterval?

    /// The action for a signal received at `time` (seconds on a monotonic clock).
    func receive(at time: TimeInterval) -> Action {
        lock.lock()
        defer { lock.unlock() }
        guard let first else {
            self.first = time
            return .interrupt
        }
        return time - first < Self.sameRequestInterval ? .sameRequest : .exitNow
    }
}
