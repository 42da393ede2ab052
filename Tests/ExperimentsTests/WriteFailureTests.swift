import Experiments
import Foundation
import Glibc
import XCTest

/// At the end of epoch `epoch` of the run with seed `seed`, puts a directory where metrics.h5's
/// writer creates its temporary file, so that write fails (as on a broken disk). Runs before the
/// writers (plugin order), observes only.
final class MetricsObstaclePlugin: ExperimentPlugin {
    static let name = "metrics-obstacle"
    static let optionKeys: [String]? = ["epoch", "seed"]
    let epoch: Int, seed: Int64
    init(options: JSONObject) throws {
        epoch = Int(options["epoch"]?.integerValue ?? 2)
        seed = options["seed"]?.integerValue ?? 0
    }
    static func obstacle(_ context: RunContext) -> String { context.path("metrics.h5.tmp.\(getpid())") }
    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        if case .epochEnd = event, context.epoch == epoch, context.configuration.seed == seed {
            try FileManager.default.createDirectory(atPath: Self.obstacle(context) + "/blocked", withIntermediateDirectories: true)
        }
        return .proceed
    }
}

/// A write that fails mid-run fails that run with a message naming the path; earlier epochs'
/// files stay intact and readable, the sweep goes on, exit 1; the failed run resumes later.
final class WriteFailureTests: XCTestCase {
    static let sweep = smallSweep(name: "wf", extra: #", "seeds": [0, 1]"#)

    func testFailedWriteAtEpoch2FailsThatRunOnlyAndResumesBitIdentical() throws {
        let dir = try makeTemporaryDirectory(self)
        try runSweep(Self.sweep, in: dir, results: "reference")
        let blocked = smallSweep(name: "wf", base: #", "plugins": [{"name": "metrics-obstacle", "epoch": 2}]"#,
                                 extra: #", "seeds": [0, 1]"#)
        let summary = try runSweep(blocked, in: dir, plugins: [MetricsObstaclePlugin.self])
        XCTAssertEqual(summary.exitCode, 1)
        XCTAssertEqual(summary.runs.map(\.state), [.failed, .completed])
        let run = dir + "/results/wf/" + summary.runs[0].directory
        let status = try RunStatus.read(from: run + "/status.json")
        XCTAssertEqual(status.state, .failed)
        XCTAssertEqual(status.epoch, 2)
        let obstacle = run + "/metrics.h5.tmp.\(getpid())"
        XCTAssertTrue(status.error?.contains(obstacle) ?? false, status.error ?? "no error")
        let metrics = try MetricsFile.read(from: run + "/metrics.h5").record
        XCTAssertEqual(metrics.epochs.map(\.epoch), [0, 1], "epoch 1's metrics.h5 intact")
        XCTAssertEqual(try WeightsFile.read(from: run + "/weights.h5").epochs.prefix(2), [0, 1])
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/checkpoint.h5"), "kept for the resume")

        try FileManager.default.removeItem(atPath: obstacle)
        let resumed = try runSweep(Self.sweep, in: dir, plugins: [MetricsObstaclePlugin.self])
        XCTAssertEqual(resumed.exitCode, 0)
        XCTAssertEqual(resumed.runs.map(\.trained), [true, false])
        let reference = try resultBytes(dir + "/reference/wf"), after = try resultBytes(dir + "/results/wf")
        XCTAssertEqual(reference.count, after.count)
        for (key, bytes) in reference { XCTAssertEqual(after[key], bytes, key) }
    }

    static let diskKiB = 1024

    /// Mounts a `diskKiB` tmpfs at DIR/small-disk (unmounted at the end of the test), or skips.
    func mountSmallDisk(in dir: String) throws -> String {
        let mountPoint = dir + "/small-disk"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard Glibc.mount("tmpfs", mountPoint, "tmpfs", 0, "size=\(Self.diskKiB)k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here: \(String(cString: strerror(errno)))")
        }
        addTeardownBlock { _ = Glibc.umount(mountPoint) }
        return mountPoint
    }

    /// The `exp` executable built next to the test bundle, if there is one.
    static var expExecutable: String? {
        guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var directory = (me as NSString).deletingLastPathComponent
        if directory.hasSuffix(".xctest") { directory = (directory as NSString).deletingLastPathComponent }
        let path = directory + "/exp"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Results on a 1 MiB tmpfs: the disk fills during the first run, which fails with ENOSPC
    /// naming a path; what was written before stays readable; `exp run` exits 1 (HDF5's atexit
    /// handler used to crash it with SIGSEGV after a failed H5Fclose). Run as a child process:
    /// an HDF5 file whose close failed stays open in the library of the process that wrote it.
    /// Skipped where mounting a tmpfs is not permitted.
    func testFullDiskExitsOneNotASignal() throws {
        guard let exp = Self.expExecutable else { throw XCTSkip("no exp executable next to the tests") }
        let dir = try makeTemporaryDirectory(self)
        let mountPoint = try mountSmallDisk(in: dir)
        try Self.sweep.write(toFile: dir + "/sweep.json", atomically: true, encoding: .utf8)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: exp)
        child.arguments = ["run", dir + "/sweep.json", "--results", mountPoint + "/results"]
        child.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        child.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .exit)
        XCTAssertEqual(child.terminationStatus, 1)
        let sweepDirectory = mountPoint + "/results/wf"
        let runs = try FileManager.default.contentsOfDirectory(atPath: sweepDirectory).filter { $0.hasPrefix("seed=") }.sorted()
        let run = sweepDirectory + "/" + runs[0]
        let status = try RunStatus.read(from: run + "/status.json")
        XCTAssertEqual(status.state, .failed)
        let error = status.error ?? ""
        XCTAssertTrue(error.contains("No space left on device") && error.contains(run + "/"), error)
        if FileManager.default.fileExists(atPath: run + "/metrics.h5") {
            XCTAssertFalse(try MetricsFile.read(from: run + "/metrics.h5").record.epochs.isEmpty)
        }
        XCTAssertNoThrow(try JSONParser.parse(String(contentsOfFile: sweepDirectory + "/sweep.json", encoding: .utf8)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.contains(".tmp.") }
        XCTAssertEqual(leftovers, [], "temporaries removed after the failed writes")
    }
}
