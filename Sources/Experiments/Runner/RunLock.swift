// results/<sweep>/<run>/lock: exists while a process trains the run (SPEC.md "Results layout").
//
// Claiming is an O_CREAT|O_EXCL create, atomic on POSIX file systems (and on NFSv3+), so two
// processes — another terminal, or array jobs of a cluster scheduler — never both hold a run.
// A stale lock (its process is gone on this host, or the run's heartbeat is older than ten
// minutes) is taken over: removed, then claimed again with O_EXCL, so two processes taking
// over the same stale lock still end with one owner.

import Foundation

/// A claimed run lock; `release()` removes it.
public final class RunLock: @unchecked Sendable {
    /// The lock file's path.
    public let path: String
    private var released = false

    private init(path: String) { self.path = path }

    /// The host name recorded in locks and status files.
    public static var hostName: String { ProcessInfo.processInfo.hostName }

    /// Tries to claim the lock at `path`.
    ///
    /// - Parameters:
    ///   - heartbeat: the run's last heartbeat (from status.json), to judge an old lock stale.
    ///   - onTakeover: called with a message when a stale lock is taken over.
    /// - Returns: the lock, or nil when a live process holds it.
    /// - Throws: `ResultsWriteError` when the lock cannot be created for another reason.
    public static func claim(at path: String, heartbeat: Date? = nil,
                             onTakeover: (String) -> Void = { _ in }) throws -> RunLock? {
        if try create(path) { return RunLock(path: path) }
        guard let holder = holder(at: path) else {
            // Unreadable or half-written lock: treat as stale only if it is old.
            if let age = fileAge(path), age > 600 {
                unlink(path)
                onTakeover("took over an unreadable lock \(path)")
                return try create(path) ? RunLock(path: path) : nil
            }
            return nil
        }
        let oldHeartbeat = heartbeat.map { Date().timeIntervalSince($0) > 600 } ?? false
        let processGone = holder.host == hostName && holder.pid != Int(getpid()) && !processExists(holder.pid)
        let stale = processGone || (oldHeartbeat && holder.pid != Int(getpid()))
        guard stale else { return nil }
        unlink(path)
        onTakeover("took over the stale lock of process \(holder.pid) on \(holder.host): \(path)")
        return try create(path) ? RunLock(path: path) : nil
    }

    /// Who holds the lock at `path`: host and pid, or nil when unreadable.
    public static func holder(at path: String) -> (host: String, pid: Int)? {
        guard let data = AtomicFile.contents(ofSmallFile: path),
              let json = try? JSONParser.parse(bytes: Array(data), file: path),
              let host = json[path: "host"]?.stringValue, let pid = json[path: "pid"]?.integerValue
        else { return nil }
        return (host, Int(pid))
    }

    /// Whether the process `pid` exists on this host and still runs: `kill(pid, 0)` succeeds
    /// for a zombie too (killed, not yet reaped by its parent — seconds when the parent is slow),
    /// so a process whose `/proc/<pid>/stat` state is Z (zombie) or X (dead) counts as gone.
    public static func processExists(_ pid: Int) -> Bool {
        guard pid > 0, kill(pid_t(pid), 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        // "pid (comm) S ...": the state follows the last ')' (comm may hold spaces and parentheses).
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// Removes the lock (once).
    public func release() {
        guard !released else { return }
        released = true
        unlink(path)
    }

    deinit { release() }

    private static func create(_ path: String) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw ResultsWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let text = JSONValue.object(JSONObject([("host", .string(hostName)), ("pid", .int(Int64(getpid())))]))
            .canonicalJSON + "\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        fsync(fd)
        close(fd)
        return true
    }

    private static func fileAge(_ path: String) -> TimeInterval? {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        else { return nil }
        return Date().timeIntervalSince(date)
    }
}
