// Run statuses: those status.json records and those `exp report` derives (SPEC.md).

import Experiments
import Foundation

/// The status of a run as the report shows it.
public enum RunState: String, Sendable, CaseIterable, Comparable {
    /// Finished all epochs (or stopped early by early-stopping).
    case completed
    /// A process is training it.
    case running
    /// status.json says running, but the lock's process is gone on this host, there is no
    /// lock, or the heartbeat is older than 10 minutes.
    case crashed
    /// Stopped by the divergence guard.
    case diverged
    /// Stopped by an error.
    case failed
    /// Stopped by SIGINT or SIGTERM; can be resumed.
    case interrupted
    /// Listed in sweep.json, no directory yet.
    case pending
    /// Files unreadable or inconsistent with the run id.
    case damaged

    /// Declaration order (the order of the header's counts).
    public static func < (a: RunState, b: RunState) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The contents of status.json.
public struct StatusFile: Sendable, Equatable {
    /// running, completed, diverged, failed or interrupted.
    public var status: String
    /// Epochs completed.
    public var epoch: Int
    /// Epochs planned.
    public var epochs: Int
    /// The last heartbeat (ISO-8601), if any.
    public var heartbeat: String?
    /// The error message of a failed run.
    public var error: String?
    /// Why a completed run stopped early ("early-stopping").
    public var stopReason: String?

    /// The statuses status.json may record.
    public static let recorded: Set<String> = ["running", "completed", "diverged", "failed", "interrupted"]

    /// Parses status.json's text.
    /// - Throws: a message when it is not valid JSON or lacks `status`, `epoch`, `epochs`.
    static func parse(_ bytes: [UInt8], path: String) throws -> StatusFile {
        let json = try JSONParser.parse(bytes: bytes, file: path)
        guard let status = json[path: "status"]?.stringValue, recorded.contains(status),
              let epoch = json[path: "epoch"]?.integerValue, let epochs = json[path: "epochs"]?.integerValue else {
            throw ReportError(path: path, "needs \"status\" (one of \(recorded.sorted().joined(separator: ", "))), \"epoch\" and \"epochs\"")
        }
        return StatusFile(status: status, epoch: Int(epoch), epochs: Int(epochs), heartbeat: json[path: "heartbeat"]?.stringValue,
                          error: json[path: "error"]?.stringValue, stopReason: json[path: "stop_reason"]?.stringValue)
    }
}

/// What deriving `crashed` needs to know about the present: the clock, this host, live processes.
public struct ReportEnvironment: Sendable {
    /// Now.
    public var now: Date
    /// Names this host goes by (a lock naming another host is never judged by its pid).
    public var hostNames: Set<String>
    /// Whether a process with this pid exists on this host.
    public var isProcessAlive: @Sendable (Int32) -> Bool

    /// An environment; see the properties.
    public init(now: Date, hostNames: Set<String>, isProcessAlive: @escaping @Sendable (Int32) -> Bool) {
        self.now = now
        self.hostNames = hostNames
        self.isProcessAlive = isProcessAlive
    }

    /// The real clock, `gethostname` and `kill(pid, 0)` (alive unless it fails with ESRCH).
    public static var current: ReportEnvironment {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : ""
        let names: Set<String> = [host, String(host.split(separator: ".").first ?? ""), ProcessInfo.processInfo.hostName]
        return ReportEnvironment(now: Date(), hostNames: names.filter { !$0.isEmpty }) { pid in
            pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH)
        }
    }

    /// How old a heartbeat may be before a running run counts as crashed.
    public static let heartbeatTimeout: TimeInterval = 600

    /// Parses an ISO-8601 time with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
