import Datasets
import Experiments
import Foundation
import Model
import HDF5
import PNG
import Report
import XCTest

/// Builds small result directories exactly as SPEC.md lays them out, without training.
struct SyntheticResults {
    let root: String

    /// A fresh temporary directory holding `results/`.
    static func make() throws -> SyntheticResults {
        let root = NSTemporaryDirectory() + "report-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/results", withIntermediateDirectories: true)
        return SyntheticResults(root: root)
    }

    var results: String { root + "/results" }
    var out: String { root + "/notebooks-md" }

    /// Deletes the directory, unless EXP_REPORT_TESTS_KEEP is set (to look at the output).
    func remove() {
        if ProcessInfo.processInfo.environment["EXP_REPORT_TESTS_KEEP"] != nil { print("kept \(root)"); return }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Expands `sweepJSON` and writes results/<name>/sweep.json; returns the planned runs.
    @discardableResult
    func writeSweep(_ sweepJSON: String, directory: String? = nil,
                    edit: (inout JSONValue) -> Void = { _ in }) throws -> [PlannedRun] {
        let sweep = try Sweep.parse(sweepJSON, file: "sweep.json")
        let runs = try sweep.expand(file: "sweep.json")
        var record: JSONValue = [
            "name": .string(sweep.name), "description": .string(sweep.description), "definition": sweep.definition,
            "commands": [["argv": ["exp", "run", .string("experiments/\(sweep.name).json")], "time": "2026-01-02T03:04:05Z"]],
            "runs": .array(runs.map(\.sweepEntry)),
        ]
        edit(&record)
        let dir = results + "/" + (directory ?? sweep.name)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try write(record.prettyJSON, to: dir + "/sweep.json")
        return runs
    }

    /// What one run's files say.
    struct RunSpec {
        var status = "completed"
        var epochs = 2
        /// Test accuracy per row (row 0 = initial weights); also sets the loss curves.
        var testAccuracy: [Double] = [0.1, 0.9, 0.95]
        var trainLoss: [Double] = [2.3, 0.5, 0.2]
        var testLoss: [Double] = [2.3, 0.4, 0.3]
        var seconds: [Double] = [0, 10, 12]
        var heartbeat = "2026-01-02T03:10:00Z"  // long ago: only a live lock on this host keeps a run running
        var lock: String? = nil
        var diagnostics = false
        var images = true
    }

    /// Writes config.json, status.json, metrics.h5 and (optionally) PNGs of `run`.
    func writeRun(_ run: PlannedRun, sweep: String, _ spec: RunSpec) throws {
        let dir = "\(results)/\(sweep)/\(run.directoryName)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try write(run.configuration.prettyJSON, to: dir + "/config.json")
        let rows = spec.testAccuracy.count
        let status: JSONValue = [
            "status": .string(spec.status), "epoch": .int(Int64(rows - 1)), "epochs": .int(Int64(spec.epochs)),
            "step": .int(Int64((rows - 1) * 4)), "started": "2026-01-02T03:04:05Z",
            "finished": spec.status == "running" ? nil : "2026-01-02T03:09:00Z", "heartbeat": .string(spec.heartbeat),
            "error": spec.status == "failed" ? "boom" : nil, "stop_reason": nil, "host": .string(RunLock.hostName), "pid": 99,
        ]
        try write(status.prettyJSON, to: dir + "/status.json")
        if let lock = spec.lock { try write(lock, to: dir + "/lock") }
        var record = MetricsRecord()
        for e in 0..<rows {
            record.epochs.append(EpochMetrics(epoch: e, trainLoss: spec.trainLoss[e], trainAccuracy: spec.testAccuracy[e],
                                              testLoss: spec.testLoss[e], testAccuracy: spec.testAccuracy[e],
                                              learningRate: 0.1, seconds: spec.seconds[e]))
        }
        let steps = (rows - 1) * 4
        for k in 0..<steps {
            let loss = Float(2.3 / Double(k + 1))
            record.steps.append(StepMetrics(trainLoss: loss, learningRate: 0.1, samplesSeen: Int64((k + 1) * 16)))
        }
        if spec.diagnostics {
            for layer in ["P0", "P4", "P12"] {
                let epochs: [Double] = (1..<rows).map { Double($0) }
                record.diagnostics["\(layer)/grad_norm"] = epochs.map { 1.0 / $0 }
                record.diagnostics["\(layer)/update_ratio"] = epochs.map { 0.01 / $0 }
            }
        }
        let datasets = try JSONDecoder().decode(DatasetProvenance.self, from: Data(#"{"name":"mnist","files":[]}"#.utf8))
        let provenance = RunProvenance(configJSON: run.configuration.json.canonicalJSON, runID: run.id, sweep: sweep,
                                       seed: run.seed, engineVersion: "0.1.0", gitCommit: "abc1234", gitDirty: false,
                                       swiftVersion: "6.3", blas: BLASDescription(library: "openblas", core: "Prescott", threads: 1),
                                       host: "testhost", datasets: datasets, skippedSamplesPerEpoch: 0)
        try MetricsFile.write(record, to: dir + "/metrics.h5", provenance: provenance)
        var weights = WeightsHistory(configJSON: run.configuration.json.canonicalJSON)
        // A snapshot per epoch that ended: every due one is there (RunInspector checks them).
        let network = try Network<Float>(run.configuration.modelConfiguration)
        for epoch in 0..<rows { weights.record(epoch: epoch, network: network) }
        try WeightsFile.write(weights, to: dir + "/weights.h5")
        guard spec.images else { return }
        let kernels = (0..<150).map { Float(sin(Double($0))) }
        for epoch in [0, rows - 1] {
            let kdir = dir + String(format: "/kernels/epoch_%04d", epoch)
            try FileManager.default.createDirectory(atPath: kdir, withIntermediateDirectories: true)
            try KernelGrid.image(weights: kernels, shape: [6, 1, 5, 5]).write(to: kdir + "/P0.png")
            try KernelGrid.image(weights: kernels + kernels, shape: [2, 6, 5, 5]).write(to: kdir + "/P4.png")
            let adir = dir + String(format: "/activations/epoch_%04d/image_00000", epoch)
            try FileManager.default.createDirectory(atPath: adir, withIntermediateDirectories: true)
            try ActivationGrid.grayImage(values: (0..<784).map { Float($0 % 28) / 28 }, height: 28, width: 28).write(to: adir + "/A0.png")
            try ActivationGrid.strip(values: (0..<10).map(Float.init)).write(to: adir + "/A16.png")
            try ActivationGrid.strip(values: (0..<6).map(Float.init)).write(to: adir + "/A1.png")
        }
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Every regular file under `directory`: relative path → bytes.
    static func snapshot(_ directory: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = FileManager.default.contents(atPath: directory + "/" + path)
            }
        }
        return files
    }
}

/// Runs a program; its exit status and combined stdout + stderr.
func runProgram(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    guard (try? process.run()) != nil else { return (-1, "cannot start \(arguments[0])") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

