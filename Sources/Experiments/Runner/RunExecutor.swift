// Trains one run of a sweep: the epoch loop with plugins, status.json, checkpoints, resume.
//
// Data flow (DESIGN.md "Data flow of one run"): dataset → Network (seeded) → Trainer steps on
// the shuffled minibatches of each epoch → evaluation on the test (and validation) set →
// plugins at run start, every step, every epoch end and run end.

import Datasets
import Foundation
import Layers
import Model
import Tensor
import Training

/// Everything one run needs from the sweep around it.
public struct RunRequest {
    public var sweepName: String
    public var run: PlannedRun
    /// results/<sweep>/<run>.
    public var directory: String
    public var registry: PluginRegistry
    public var provenance: RunProvenance
    /// Resume from checkpoint.h5 when there is one.
    public var resume: Bool
    /// Runs this process trains at the same time (`exp run --jobs`), 1 when alone.
    public var concurrentRuns = 1
}

/// Set by SIGINT/SIGTERM; the loop checks it after every step.
public final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    public init() {}
    public var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }
    public func raise() { lock.lock(); raised = true; lock.unlock() }
}

/// Trains one run to its end (completed, diverged, failed or interrupted).
public struct RunExecutor {
    public let request: RunRequest
    public let dataset: Dataset
    public let interrupt: InterruptFlag
    /// Messages for the user, without the `exp: ` prefix (SweepRunner's log: stderr).
    public let log: (String) -> Void

    /// An executor of `request` on `dataset`; `log` receives the messages for the user
    /// (default: stderr, as `exp: <message>`).
    public init(request: RunRequest, dataset: Dataset, interrupt: InterruptFlag,
                log: @escaping (String) -> Void = { StandardStreams.writeDiagnostic("exp: \($0)\n") }) {
        self.request = request
        self.dataset = dataset
        self.interrupt = interrupt
        self.log = log
    }

    /// Runs the training loop and returns the final state. Errors inside the run (a plugin that
    /// cannot write, a layer error) end it `failed` with the message in status.json and one
    /// line `<run>: failed: <reason>` in the log; they are not thrown.
    public func execute() -> RunState {
        let configuration = request.run.configuration
        let statusPath = request.directory + "/status.json"
        let started = RunStatus.now()
        var status = RunStatus(state: .running, epoch: 0, epochs: configuration.epochs, step: 0,
                               started: started, heartbeat: started)
        // A run about to resume says where it stopped from the first write on (the checkpoint,
        // read below, then confirms it): not "epoch 0" while a large checkpoint loads.
        if request.resume, let previous = try? RunStatus.read(from: statusPath) {
            status.epoch = previous.epoch
            status.step = previous.step
        }
        var context: RunContext?
        var plugins: [any ExperimentPlugin] = []
        do {
            try status.write(to: statusPath)
            plugins = try request.registry.instantiate(configuration.pluginEntries)
                .sorted { Self.order($0) < Self.order($1) }
            let (ctx, state) = try prepare()
            context = ctx
            status.epoch = ctx.epoch
            status.step = ctx.step
            // A resumed run says where it resumed from at once, not "epoch 0" until its next epoch end.
            if state.resumed { try status.write(to: statusPath) }
            let path = checkpointPath, runID = request.run.id
            var loop = TrainingLoop(context: ctx, trainer: state.trainer, plugins: plugins,
                                    builtins: plugins.map(PluginRegistry.isBuiltin), interrupt: interrupt,
                                    batcher: state.batcher, startBatch: state.startBatch, partial: state.partial,
                                    checkpoint: { trainer, partial in
                                        let state = CheckpointState(
                                            runID: runID, configJSON: ctx.provenance.configJSON, epoch: ctx.epoch,
                                            step: trainer.step, batch: partial.batches, network: trainer.network,
                                            optimizer: trainer.optimizer, metrics: ctx.metrics, counters: partial.counters,
                                            epochStartNetwork: ctx.epochStartNetwork)
                                        try CheckpointFile.write(state, to: path, commits: ctx.commits)
                                    },
                                    heartbeat: { ctx in
                                        status.epoch = ctx.epoch
                                        status.step = ctx.step
                                        status.heartbeat = RunStatus.now()
                                        try status.write(to: statusPath, commits: ctx.commits)
                                    })
            let outcome = try loop.run(resumed: state.resumed)
            status.state = outcome.state
            status.stopReason = outcome.state == .completed ? outcome.reason : nil
            status.error = outcome.state == .diverged ? outcome.reason : nil
        } catch {
            status.state = .failed
            status.error = "\(error)"
            if let ctx = context {
                // Commits still pending go first (after a failed one, none of them: the files
                // stay as the last committed epoch left them, and the writes below fail too).
                try? ctx.commits.wait()
                for plugin in plugins { _ = try? plugin.handle(.runEnd(.failed), context: ctx) }
                try? ctx.commits.wait()
            }
        }
        if let ctx = context {
            status.epoch = ctx.epoch
            status.step = ctx.step
        }
        status.finished = status.state == .interrupted ? nil : RunStatus.now()
        status.heartbeat = RunStatus.now()
        if status.state != .interrupted && status.state != .failed {
            try? FileManager.default.removeItem(atPath: request.directory + "/checkpoint.h5")
        }
        do {
            try status.write(to: statusPath)
        } catch {
            // The run's own failure may be this very write (status.json on a full disk): say it once.
            let last = "\(error)"
            logFailure(status.error.map { $0 == last ? last : "\($0); and \(last)" } ?? last)
            return .failed
        }
        if status.state == .failed { logFailure(status.error ?? "unknown error") }
        return status.state
    }

    /// Logs `<run>: failed: <reason>` on one line (a multi-line reason is joined with "; ").
    func logFailure(_ reason: String) {
        let line = reason.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        log("\(request.run.directoryName): failed: \(line)")
    }

    /// Writers run last at an epoch end, so they see what other plugins added (diagnostics).
    static func order(_ plugin: any ExperimentPlugin) -> Int {
        switch type(of: plugin).name {
        case MetricsHDF5Plugin.name: return 2
        case ProgressPlugin.name: return 1
        default: return 0
        }
    }
}
