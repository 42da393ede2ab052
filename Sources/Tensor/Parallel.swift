// The engine's own worker threads: how many, and a fixed-partition parallel loop whose results
// do not depend on how many workers run it.
//
// Implementation goals, in order of priority:
// 1. Bit-identical results for any worker count: work is always cut into the same
//    `Parallel.partitions` parts (independent of the thread count); each part writes its own
//    output, and callers reduce the parts' partial sums in part order.
// 2. Low latency, no allocation and no thread creation per call: a helper thread (CKernels'
//    parallel.c) runs part 1 while the caller runs part 0; it spins briefly between tasks,
//    because waking a sleeping thread (~50 µs) costs as much as a layer at n = 64.
// 3. A single worker runs the parts in order on the calling thread.

import CKernels
import Foundation

/// The engine's thread setting (`training.threads`) and its fixed-partition loop.
public enum Parallel {
    /// The number of parts every parallel loop is cut into, whatever the thread count. Two
    /// parts match this machine kind's two cores; results depend on this constant, never on
    /// `threads` (more than 2 threads therefore run like 2).
    public static let partitions = 2

    nonisolated(unsafe) private static var configured = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// The number of worker threads the engine uses (≥ 1). Default: every active core (SPEC.md:
    /// `training.threads` null); a runner passes `training.threads` to `setThreads`. The
    /// results do not depend on it.
    public static var threads: Int { configured }

    /// Sets the worker count; nil means every active core.
    public static func setThreads(_ count: Int?) {
        configured = max(1, count ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs `body(part)` for part in 0..<partitions, concurrently when `threads` > 1.
    /// `body` must write only to part-owned memory.
    /// - Parameter work: a size hint (elements touched); below `minimumParallelWork` the parts
    ///   run in order on the calling thread (same results, no Dispatch overhead).
    @inlinable
    public static func forEachPart(work: Int = .max, _ body: (Int) -> Void) {
        if threads <= 1 || partitions == 1 || work < minimumParallelWork {
            for part in 0..<partitions { body(part) }
        } else {
            runTwo(body)
        }
    }

    /// Runs body(0) here and body(1) on the helper thread.
    @usableFromInline
    static func runTwo(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var closure = body
            withUnsafeMutablePointer(to: &closure) { pointer in
                exp_parallel_two({ context, part in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
                }, pointer)
            }
        }
    }

    /// Work below this many elements is not worth waking a second thread (about 10 µs).
    public static let minimumParallelWork = 16_384

    /// The half-open range of `count` items that part `part` of `partitions` owns (contiguous,
    /// earlier parts take the remainder).
    @inlinable
    public static func range(of part: Int, count: Int) -> Range<Int> {
        let base = count / partitions, extra = count % partitions
        let start = part * base + min(part, extra)
        return start..<(start + base + (part < extra ? 1 : 0))
    }
}
