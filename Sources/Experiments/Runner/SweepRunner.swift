// Trains the runs of a sweep: sweep.json, claiming, resume decisions, --jobs, exit codes.

import Datasets
import Foundation
import Tensor

/// Runs a planned sweep into results/<sweep>/.
public final class SweepRunner: @unchecked Sendable {
    let options: RunOptions
    let registry: PluginRegistry
    let build: BuildInfo
    let interrupt: InterruptFlag
    /// Messages for the user (stderr).
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var datasets: [String: Result<Dataset, Error>] = [:]

    public init(options: RunOptions, registry: PluginRegistry, build: BuildInfo, interrupt: InterruptFlag,
                log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.registry = registry
        self.build = build
        self.interrupt = interrupt
        self.log = log
    }

    /// Writes sweep.json, then trains every run that needs it (`--jobs` at a time).
    /// - Throws: `ResultsWriteError` when the results directory cannot be created (before any
    ///   training: bad input); `SweepWriteError` when sweep.json cannot be written (a failure).
    public func run(sweep: Sweep, runs: [PlannedRun]) throws -> RunSummary {
        let sweepDirectory = options.results + "/" + sweep.name
        try AtomicFile.createDirectory(sweepDirectory, under: options.results)
        do {
            if let note = try SweepFile.update(directory: sweepDirectory, sweep: sweep, runs: runs, argv: options.argv) {
                log(note)
            }
        } catch {
            throw SweepWriteError(underlying: error)
        }
        var summary = RunSummary()
        var states = [(RunState, Bool)?](repeating: nil, count: runs.count)
        var next = 0
        let queueLock = NSLock()
        let workers = max(1, min(options.jobs, runs.count))
        // The engine's worker threads are process-wide: with several runs at once each trains
        // on one thread (the cores divided between the jobs); alone, a run uses training.threads.
        if workers > 1 { Parallel.setThreads(1) }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                queueLock.lock()
                let index = next
                next += 1
                queueLock.unlock()
                guard index < runs.count, !interrupt.isRaised else { return }
                let state = runOne(runs[index], sweep: sweep, sweepDirectory: sweepDirectory, concurrentRuns: workers)
                queueLock.lock()
                states[index] = state
                queueLock.unlock()
            }
        }
        for (run, result) in zip(runs, states) {
            guard let (state, trained) = result else { continue }
            summary.runs.append((run.directoryName, state, trained))
        }
        let finals = summary.runs.map(\.state)
        summary.exitCode = interrupt.isRaised || finals.contains(.interrupted) ? 130 : finals.contains(.failed) ? 1 : 0
        return summary
    }

    /// Decides what to do with one run, claims it and trains it (`concurrentRuns`: the runs
    /// trained at the same time). Returns its final state and true, or its current state and
    /// false when it was skipped.
    func runOne(_ run: PlannedRun, sweep: Sweep, sweepDirectory: String, concurrentRuns: Int) -> (RunState, Bool) {
        let directory = sweepDirectory + "/" + run.directoryName
        let (current, status, problem) = RunInspector.state(of: directory, id: run.id, catalog: registry.catalog,
                                                                continuing: run.configuration.json)
        if !options.force {
            switch current {
            case .completed, .diverged:
                if current == .diverged && options.retryDiverged { break }   // retrained below
                // A process killed between the final status.json and releasing its lock leaves the lock.
                if let holder = RunLock.holder(at: directory + "/lock"), holder.host == RunLock.hostName,
                   !RunLock.processExists(holder.pid) { unlink(directory + "/lock") }
                return (current, false)
            case .running:
                log("\(run.directoryName): being trained by process \(status?.pid ?? 0) on \(status?.host ?? "?"); skipped")
                return (.running, false)
            default: break
            }
        }
        do {
            try AtomicFile.createDirectory(directory, under: options.results)
            let heartbeat = status.flatMap { ISO8601DateFormatter().date(from: $0.heartbeat) }
            guard let lock = try RunLock.claim(at: directory + "/lock", heartbeat: heartbeat, onTakeover: log) else {
                log("\(run.directoryName): claimed by another process; skipped")
                return (current, false)
            }
            defer { lock.release() }
            let fresh = options.force || current == .damaged || current == .pending
                || (current == .diverged && options.retryDiverged)
            if let problem { log("\(run.directoryName): \(problem); rerunning from scratch") }
            if fresh { try clearRunDirectory(directory) } else { AtomicFile.removeStaleTemporaries(under: directory) }
            try AtomicFile.write(run.configuration.prettyJSON + "\n", to: directory + "/config.json")
            let dataset: Dataset
            do { dataset = try loadDataset(run.configuration) } catch {
                return (failBeforeTraining(run, directory: directory, error: error), true)
            }
            if options.jobs <= 1 { Parallel.setThreads(run.configuration.threads) }
            let request = RunRequest(sweepName: sweep.name, run: run, directory: directory, registry: registry,
                                     provenance: provenance(run, sweep: sweep.name, dataset: dataset), resume: !fresh,
                                     concurrentRuns: concurrentRuns)
            return (RunExecutor(request: request, dataset: dataset, interrupt: interrupt, log: log).execute(), true)
        } catch {
            return (failBeforeTraining(run, directory: directory, error: error), true)
        }
    }

    /// Records a run that could not start (missing dataset, unwritable directory) as failed.
    func failBeforeTraining(_ run: PlannedRun, directory: String, error: Error) -> RunState {
        log("\(run.directoryName): failed: \(error)")
        // A run directory that is missing or a planted symbolic link gets no status.json: writing
        // one would create it, or write through the link outside the results directory.
        guard AtomicFile.isRealDirectory(directory) else { return .failed }
        let now = RunStatus.now()
        let status = RunStatus(state: .failed, epoch: 0, epochs: run.configuration.epochs, step: 0, started: now,
                               finished: now, heartbeat: now, error: "\(error)")
        try? status.write(to: directory + "/status.json")
        return .failed
    }

    /// Removes what an earlier attempt left in a run directory (not the lock we hold).
    func clearRunDirectory(_ directory: String) throws {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name != "lock" {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// The dataset of a configuration, loaded once per distinct `dataset` section.
    func loadDataset(_ configuration: ResolvedConfiguration) throws -> Dataset {
        let key = configuration["dataset"].canonicalJSON
        lock.lock()
        defer { lock.unlock() }
        if let cached = datasets[key] { return try cached.get() }
        let result = Result { try Dataset.load(configuration.datasetConfiguration) }
        datasets[key] = result
        return try result.get()
    }

    /// metrics.h5's provenance attributes for a run (skipped samples are filled in by the executor).
    func provenance(_ run: PlannedRun, sweep: String, dataset: Dataset) -> RunProvenance {
        RunProvenance(configJSON: run.configuration.json.canonicalJSON, runID: run.id, sweep: sweep, seed: run.seed,
                      engineVersion: build.engineVersion, gitCommit: build.gitCommit, gitDirty: build.gitDirty,
                      swiftVersion: BuildInfo.swiftVersion,
                      blas: BLASDescription(library: BLAS.configuration, core: BLAS.coreName, threads: 1),
                      host: RunLock.hostName, datasets: dataset.provenance, skippedSamplesPerEpoch: 0)
    }
}
