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
    public var status: StatusFile?
    /// metrics.h5, when present and readable.
    public var metrics: RunMetrics?
    /// config.json, when readable.
    public var configuration: JSONValue?
    /// The run's directory.
    public var directory: String

    /// Whether the run's numbers enter the results table (completed, with metrics).
    public var isAggregated: Bool { state == .completed && metrics != nil }

    /// Reads a run's directory under `sweepDirectory` and derives its status.
    /// Never throws: what cannot be read makes the run `damaged`, with the reason in `note`.
    public static func load(_ entry: SweepRunEntry, sweepDirectory: String, environment: ReportEnvironment) -> LoadedRun {
        let directory = sweepDirectory + "/" + entry.dir
        var run = LoadedRun(entry: entry, state: .pending, directory: directory)
        guard isSafeRunDirectoryName(entry.dir) else { return run.damaged("unsafe run directory name in sweep.json") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return run }
        guard isDirectory.boolValue else { return run.damaged("\(entry.dir) is not a directory") }
        do {
            let configPath = directory + "/config.json"
            guard let configBytes = FileManager.default.contents(atPath: configPath) else { return run.damaged("config.json missing or unreadable") }
            let config = try JSONParser.parse(bytes: Array(configBytes), file: configPath)
            run.configuration = config
            let id = RunIdentity.id(of: try ResolvedConfiguration(validating: config, file: configPath))
            guard id == entry.id else { return run.damaged("config.json gives run id \(id), sweep.json says \(entry.id)") }
            let statusPath = directory + "/status.json"
            guard let statusBytes = FileManager.default.contents(atPath: statusPath) else { return run.damaged("status.json missing or unreadable") }
            let status = try StatusFile.parse(Array(statusBytes), path: statusPath)
            run.status = status
            let metricsPath = directory + "/metrics.h5"
            if FileManager.default.fileExists(atPath: metricsPath) {
                let metrics = try RunMetrics.read(path: metricsPath)
                if let runID = metrics.runID, runID != entry.id { return run.damaged("metrics.h5 has run_id \(runID), sweep.json says \(entry.id)") }
                run.metrics = metrics
            }
            run.state = RunState(rawValue: status.status) ?? .damaged
            run.note = status.error
            if run.state == .completed || run.state == .diverged {
                guard let metrics = run.metrics, !metrics.epochs.isEmpty else { return run.damaged("metrics.h5 missing or empty") }
                if run.state == .completed && metrics.epochs.count != status.epoch + 1 {
                    return run.damaged("metrics.h5 has \(metrics.epochs.count) epoch rows, status.json says \(status.epoch) epochs")
                }
            }
            if run.state == .running, let reason = crashReason(directory: directory, status: status, environment: environment) {
                run.state = .crashed
                run.note = reason
            }
        } catch {
            return run.damaged("\(error)")
        }
        return run
    }

    private func damaged(_ reason: String) -> LoadedRun {
        var run = self
        run.state = .damaged
        run.note = reason
        return run
    }

    /// Why a run that status.json calls running is not: no lock, the lock's process gone on
    /// this host, or a heartbeat older than 10 minutes. Nil while it looks alive.
    static func crashReason(directory: String, status: StatusFile, environment: ReportEnvironment) -> String? {
        if let heartbeat = status.heartbeat, let date = ReportEnvironment.date(heartbeat),
           environment.now.timeIntervalSince(date) > ReportEnvironment.heartbeatTimeout {
            return "heartbeat \(heartbeat) is older than 10 minutes"
        }
        guard let lockBytes = FileManager.default.contents(atPath: directory + "/lock") else { return "no lock file" }
        guard let lock = try? JSONParser.parse(bytes: Array(lockBytes)), let host = lock[path: "host"]?.stringValue,
              let pid = lock[path: "pid"]?.integerValue else { return nil }
        if environment.hostNames.contains(host), let pid32 = Int32(exactly: pid), !environment.isProcessAlive(pid32) {
            return "the lock's process \(pid) is gone on \(host)"
        }
        return nil
    }

    /// Run directory names as the runner makes them: `[A-Za-z0-9_.+=,-]`, not `.` or `..`.
    static func isSafeRunDirectoryName(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != ".." else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.+=,-".unicodeScalars.contains($0)
        }
    }
}
