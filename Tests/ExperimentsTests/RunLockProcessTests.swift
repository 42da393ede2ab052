@testable import Experiments
import Foundation
import XCTest

/// `RunLock.processExists`: the test behind "crashed" and lock takeover.
final class RunLockProcessTests: XCTestCase {
    /// A killed process its parent has not reaped yet (a zombie) is gone, not running: `kill(pid,
    /// 0)` alone said it exists, so a rerun right after a SIGKILL skipped the run as "being
    /// trained" (breaker, exit 0).
    func testAZombieIsNotARunningProcess() throws {
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { arguments.forEach { free($0) } }
        XCTAssertEqual(posix_spawn(&pid, "/bin/true", nil, nil, arguments, nil), 0)
        // Not reaped: wait until the kernel shows it as a zombie.
        var state: Character?
        for _ in 0..<500 where state != "Z" {
            usleep(10_000)
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            state = stat.lastIndex(of: ")").flatMap { stat[stat.index(after: $0)...].drop { $0 == " " }.first }
        }
        XCTAssertEqual(state, "Z")
        XCTAssertEqual(kill(pid, 0), 0, "kill(pid, 0) still succeeds for a zombie")
        XCTAssertFalse(RunLock.processExists(Int(pid)))
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, 0), pid)
        XCTAssertFalse(RunLock.processExists(Int(pid)))
        XCTAssertTrue(RunLock.processExists(Int(getpid())), "this process runs")
    }
}
