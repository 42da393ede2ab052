// The derived status of a run directory, as `exp status`, `--dry-run` and `exp report` show it
// (SPEC.md: pending, crashed, damaged besides the recorded statuses).

import Foundation

/// Reads a run directory and says what state it is in.
public enum RunInspector {
    /// The heartbeat age after which a running run on another host counts as crashed (s).
    public static let staleHeartbeat: TimeInterval = 600

    /// The derived state of the run `id` in `directory`, with the status when readable.
    ///
    /// - pending: no directory (or no status.json yet);
    /// - damaged: status.json unreadable, config.json missing / not matching the id, or HDF5
    ///   files unreadable or not holding what the run saved
    ///   (``filesProblem(directory:id:status:configuration:continuing:catalog:)``);
    /// - crashed: status says running but its lock is gone, its process is gone on this host,
    ///   or its heartbeat is older than ten minutes (a live run beats every 30 s);
    /// - else the recorded status.
    ///
    /// `continuing`: the configuration `exp run` would resume the run with (observer plugins
    /// are not part of the id, so it may turn weights-hdf5 on where config.json has it off);
    /// a resumable run's weights.h5 is then checked when either turns it on.
    public static func state(of directory: String, id: String, catalog: PluginCatalog = .builtins,
                             continuing: JSONValue? = nil)
        -> (state: RunState, status: RunStatus?, problem: String?)
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return (.pending, nil, nil)
        }
        let statusPath = directory + "/status.json"
        guard FileManager.default.fileExists(atPath: statusPath) else { return (.pending, nil, nil) }
        let status: RunStatus
        do { status = try RunStatus.read(from: statusPath) } catch { return (.damaged, nil, "\(error)") }
        if let problem = configurationProblem(directory: directory, id: id, catalog: catalog) {
            return (.damaged, status, problem)
        }
        if status.state == .running {
            let lock = directory + "/lock"
            let holder = RunLock.holder(at: lock)
            let heartbeat = ISO8601DateFormatter().date(from: status.heartbeat)
            let old = heartbeat.map { Date().timeIntervalSince($0) > staleHeartbeat } ?? true
            if holder == nil || old || (holder!.host == RunLock.hostName && !RunLock.processExists(holder!.pid)) {
                return filesCheck(directory: directory, id: id, status: status, continuing: continuing, catalog: catalog) ?? (.crashed, status, nil)
            }
            return (.running, status, nil)
        }
        return filesCheck(directory: directory, id: id, status: status, continuing: continuing, catalog: catalog) ?? (status.state, status, nil)
    }

    /// (.damaged, status, problem) when the run's HDF5 files are unusable, else nil.
    static func filesCheck(directory: String, id: String, status: RunStatus, continuing: JSONValue?, catalog: PluginCatalog)
        -> (state: RunState, status: RunStatus?, problem: String?)?
    {
        let path = directory + "/config.json"
        guard let data = AtomicFile.contents(ofSmallFile: path),
              let configuration = try? JSONParser.parse(bytes: Array(data), file: path),
              let problem = filesProblem(directory: directory, id: id, status: status, configuration: configuration,
                                        continuing: continuing, catalog: catalog)
        else { return nil }
        return (.damaged, status, problem)
    }

    /// Why config.json does not belong to run `id` (nil when it does).
    static func configurationProblem(directory: String, id: String, catalog: PluginCatalog) -> String? {
        let path = directory + "/config.json"
        guard let data = AtomicFile.contents(ofSmallFile: path) else { return "\(path) is missing" }
        do {
            let json = try JSONParser.parse(bytes: Array(data), file: path)
            let actual = RunIdentity.id(of: ResolvedConfiguration(json: json), catalog: catalog)
            return actual == id ? nil : "\(path) belongs to run \(actual), not \(id)"
        } catch {
            return "\(path) is not valid JSON: \(error)"
        }
    }
}
