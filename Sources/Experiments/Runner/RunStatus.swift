// status.json: a run's status, written atomically (SPEC.md "Results layout").

import Foundation
import HDF5

/// The statuses a run records in status.json, and the derived ones `exp status` shows.
public enum RunState: String, Sendable, CaseIterable {
    case running, completed, diverged, failed, interrupted
    /// Derived: no directory yet.
    case pending
    /// Derived: running, but its lock's process is gone or the heartbeat is older than 10 minutes.
    case crashed
    /// Derived: files unreadable or inconsistent with the id.
    case damaged
}

/// The content of status.json.
///
/// `epoch` = epochs completed, `step` = SGD steps completed; times are ISO-8601 (UTC).
public struct RunStatus: Sendable, Equatable {
    public var state: RunState
    public var epoch: Int
    public var epochs: Int
    public var step: Int
    public var started: String
    public var finished: String?
    public var heartbeat: String
    public var error: String?
    public var stopReason: String?
    public var host: String
    public var pid: Int

    public init(state: RunState, epoch: Int, epochs: Int, step: Int, started: String, finished: String? = nil,
                heartbeat: String, error: String? = nil, stopReason: String? = nil,
                host: String = ProcessInfo.processInfo.hostName, pid: Int = Int(getpid())) {
        self.state = state
        self.epoch = epoch
        self.epochs = epochs
        self.step = step
        self.started = started
        self.finished = finished
        self.heartbeat = heartbeat
        self.error = error
        self.stopReason = stopReason
        self.host = host
        self.pid = pid
    }

    /// The current time as ISO-8601 with seconds, UTC.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    /// The JSON of status.json (SPEC.md's field order).
    public var json: JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        return .object(JSONObject([
            ("status", .string(state.rawValue)), ("epoch", .int(Int64(epoch))), ("epochs", .int(Int64(epochs))),
            ("step", .int(Int64(step))), ("started", .string(started)), ("finished", optional(finished)),
            ("heartbeat", .string(heartbeat)), ("error", optional(error)), ("stop_reason", optional(stopReason)),
            ("host", .string(host)), ("pid", .int(Int64(pid))),
        ]))
    }

    /// Writes status.json atomically (with `commits`: its fsync and rename later, on that queue).
    /// - Throws: `ResultsWriteError` naming the path.
    public func write(to path: String, commits: CommitQueue? = nil) throws {
        try AtomicFile.write(json.prettyJSON + "\n", to: path, commits: commits)
    }

    /// Reads status.json. - Throws: `ResultsFileDamage` when it is missing fields or not JSON.
    public static func read(from path: String) throws -> RunStatus {
        guard let data = AtomicFile.contents(ofSmallFile: path) else {
            let exists = (try? FileManager.default.attributesOfItem(atPath: path)) != nil
            throw ResultsFileDamage(path: path, reason: exists ? "not a regular file of at most 64 MiB" : "missing")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes: Array(data), file: path) } catch {
            throw ResultsFileDamage(path: path, reason: "not valid JSON (\(error))")
        }
        guard let state = json[path: "status"]?.stringValue.flatMap(RunState.init(rawValue:)),
              let epoch = json[path: "epoch"]?.integerValue, let epochs = json[path: "epochs"]?.integerValue,
              let step = json[path: "step"]?.integerValue, let started = json[path: "started"]?.stringValue,
              let heartbeat = json[path: "heartbeat"]?.stringValue
        else { throw ResultsFileDamage(path: path, reason: "missing or malformed fields") }
        return RunStatus(state: state, epoch: Int(epoch), epochs: Int(epochs), step: Int(step), started: started,
                         finished: json[path: "finished"]?.stringValue, heartbeat: heartbeat,
                         error: json[path: "error"]?.stringValue, stopReason: json[path: "stop_reason"]?.stringValue,
                         host: json[path: "host"]?.stringValue ?? "", pid: Int(json[path: "pid"]?.integerValue ?? 0))
    }
}

/// A results file that exists but cannot be used (truncated, garbled, inconsistent).
public struct ResultsFileDamage: Error, CustomStringConvertible, LocalizedError {
    public let path: String
    public let reason: String
    public var description: String { "\(path) is damaged: \(reason)" }
    public var errorDescription: String? { description }
}
