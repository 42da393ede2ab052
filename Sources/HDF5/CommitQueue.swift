// The durable half of atomic writes (fsync, rename, fsync of the directory), run on a
// background thread in the order submitted, so that a training run does not wait for the disk
// at every epoch end.

import Foundation

/// A serial queue for the last steps of atomic file writes: the caller has written the whole
/// new file (or staged directory) under a temporary name; the queue makes it durable and
/// renames it into place later, on its own thread, strictly in submission order.
///
/// Order is what keeps results consistent: the steps run one after the other as submitted, and
/// after the first failure no later step runs (each is abandoned: its temporary removed). So at
/// any moment, and after a kill or a power loss, the files in place are those of a prefix of the
/// submitted writes — exactly what writing them synchronously, one after the other, gives if the
/// process stops at some point. A reader sees a file's new version somewhat later (within the
/// time of the steps before it, milliseconds), never a partial one.
///
/// A failure is reported by the next `wait()` or `settle(_:)` (and every one after it: the
/// queue stays failed), with the error the step threw.
///
/// Used by `exp run` between an epoch's end and the next (`RunContext`): the ~6 ms per epoch the
/// fsyncs, the `syncfs` of the image directories and the renames take (strace, 2026-11-30)
/// overlap with the next epoch's training, which is compute-bound on both cores while these
/// wait for the disk.
public final class CommitQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "exp.commit-queue")
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var failure: Error?
    /// Target paths with a step submitted and not finished, by count.
    private var pending: [String: Int] = [:]

    public init() {}

    /// Runs `commit` after every step submitted before it. When an earlier step has failed,
    /// `abandon` runs instead (remove the temporary; must not throw).
    /// - Parameters:
    ///   - path: the final path the step writes (for `settle(_:)`).
    ///   - commit: fsync, rename, fsync of the directory — throws on failure after cleaning up
    ///     its temporary, as the synchronous write would.
    ///   - abandon: cleans up the temporary when `commit` will not run.
    public func submit(path: String, commit: @escaping () throws -> Void, abandon: @escaping () -> Void) {
        lock.lock()
        pending[path, default: 0] += 1
        lock.unlock()
        group.enter()
        queue.async { [self] in
            lock.lock()
            let failed = failure != nil
            lock.unlock()
            if failed {
                abandon()
            } else {
                do { try commit() } catch {
                    lock.lock()
                    if failure == nil { failure = error }
                    lock.unlock()
                }
            }
            lock.lock()
            pending[path]! -= 1
            if pending[path] == 0 { pending[path] = nil }
            lock.unlock()
            group.leave()
        }
    }

    /// The writers' last step: `commit` submitted to `queue`, or run at once when there is no
    /// queue (a synchronous write).
    /// - Throws: what `commit` throws when it runs at once; nothing when submitted (`wait()`
    ///   reports it then).
    public static func finish(_ path: String, on queue: CommitQueue?, commit: @escaping () throws -> Void,
                              abandon: @escaping () -> Void) throws {
        if let queue {
            queue.submit(path: path, commit: commit, abandon: abandon)
        } else {
            try commit()
        }
    }

    /// Waits until every submitted step has run.
    /// - Throws: the first step's error, if any step failed (then at every later call too).
    public func wait() throws {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
    }

    /// Waits for the submitted steps when one of them writes `path` (before a new write of
    /// `path` starts: the two would share the temporary name), else returns at once.
    /// - Throws: as `wait()`, when it waited or a step has already failed.
    public func settle(_ path: String) throws {
        lock.lock()
        let busy = pending[path] != nil
        let failed = failure
        lock.unlock()
        if busy { return try wait() }
        if let failed { throw failed }
    }
}
