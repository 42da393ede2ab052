// One run of a sweep as the report sees it: its entry, derived status and what could be read.

import Experiments
import Foundation

/// A run with its derived status and the data read from its directory.
public struct LoadedRun: Sendable {
    /// The run as sweep.json lists it.
    public var entry: SweepRunEntry
    /// The derived status.
    public var state: RunState
    /// Why the run is damaged or crashed, or the error of a failed run.
    public var note: String?
    /// status.json, when readable.
    public var status: RunStatus?
    /// metrics.h5, when present and readable.
    public var metrics: RunMetrics?
    /// config.json, when readable.
    public var configuration: JSONValue?
    /// The run's directory.
    public var directory: String

    /// Whether the run's numbers enter the results table (completed, with metrics).
    public var isAggregated: Bool { state == .completed && metrics != nil }

    /// Reads a run's directory under `sweepDirectory` and derives its status: the runner's own
    /// derivation (``RunInspector``, as `exp status` shows it), then metrics.h5 is read — a run
    /// whose metrics.h5 is unreadable, belongs to another run id, or (completed or diverged)
    /// is missing or disagrees with status.json is damaged. Never throws: the reason goes to `note`.
    public static func load(_ entry: SweepRunEntry, sweepDirectory: String, catalog: PluginCatalog = .builtins) -> LoadedRun {
        let directory = sweepDirectory + "/" + entry.dir
        var run = LoadedRun(entry: entry, state: .pending, directory: directory)
        guard isSafeRunDirectoryName(entry.dir) else { return run.damaged("unsafe run directory name in sweep.json") }
        let (state, status, problem) = RunInspector.state(of: directory, id: entry.id, catalog: catalog)
        run.state = state
        run.status = status
        run.note = problem ?? status?.error
        guard state != .pending, state != .damaged else { return run }
        if let data = FileManager.default.contents(atPath: directory + "/config.json") {
            run.configuration = try? JSONParser.parse(bytes: Array(data))
        }
        let metricsPath = directory + "/metrics.h5"
        if FileManager.default.fileExists(atPath: metricsPath) {
            do { run.metrics = try RunMetrics.read(path: metricsPath) } catch { return run.damaged("\(error)") }
            if let runID = run.metrics?.runID, runID != entry.id { return run.damaged("metrics.h5 has run_id \(runID), sweep.json says \(entry.id)") }
        }
        if state == .completed || state == .diverged {
            guard let metrics = run.metrics, !metrics.epochs.isEmpty else { return run.damaged("metrics.h5 missing or empty") }
            if let status, state == .completed, metrics.epochs.count != status.epoch + 1 {
                return run.damaged("metrics.h5 has \(metrics.epochs.count) epoch rows, status.json says \(status.epoch) epochs")
            }
        }
        if state == .crashed, let status {
            let holder = RunLock.holder(at: directory + "/lock")
            run.note = holder.map { "status.json says running (heartbeat \(status.heartbeat)); process \($0.pid) on \($0.host) is gone or silent" }
                ?? "status.json says running (heartbeat \(status.heartbeat)) but there is no lock"
        }
        return run
    }

    private func damaged(_ reason: String) -> LoadedRun {
        var run = self
        run.state = .damaged
        run.note = reason
        return run
    }

    /// Run directory names as the runner makes them: `[A-Za-z0-9_.+=,-]`, not `.` or `..`.
    static func isSafeRunDirectoryName(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != ".." else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.+=,-".unicodeScalars.contains($0)
        }
    }
}
