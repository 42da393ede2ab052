import Foundation
import Tensor
import XCTest

/// The fixed-partition loop: every part runs exactly once, with 1 or 2 threads and with
/// concurrent callers (which then share or bypass the helper thread).
final class ParallelTests: XCTestCase {
    func testPartitionCoversEveryItemOnce() {
        for count in [0, 1, 2, 7, 64, 257] {
            let ranges = (0..<Parallel.partitions).map { Parallel.range(of: $0, count: count) }
            XCTAssertEqual(ranges.flatMap { Array($0) }, Array(0..<count))
        }
    }

    func testEveryPartRunsOnceWithConcurrentCallers() {
        let saved = Parallel.threads
        defer { Parallel.setThreads(saved) }
        Parallel.setThreads(2)
        let callers = 4, rounds = 2_000
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: callers * Parallel.partitions)
        counts.initialize(repeating: 0, count: callers * Parallel.partitions)
        defer { counts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for _ in 0..<rounds {
                Parallel.forEachPart { part in counts[caller * Parallel.partitions + part] += 1 }
            }
        }
        for i in 0..<(callers * Parallel.partitions) { XCTAssertEqual(counts[i], rounds) }
    }
}
