// The library entry point behind `exp run SWEEP.json` (SPEC.md "Command line", "Results layout").

import Datasets
import Model
import Foundation
import Tensor

/// The options of `exp run`.
public struct RunOptions: Sendable {
    public var sweepPath: String
    public var results = "results"
    public var overrides: [String] = []
    public var jobs = 1
    /// `--shard I/N`: runs whose number mod N = I.
    public var shard: (index: Int, count: Int)?
    public var dryRun = false
    public var jsonOutput = false
    public var force = false
    public var retryDiverged = false
    public var maximumRuns = Sweep.defaultMaximumRuns
    /// The command line as typed, for sweep.json's `commands`.
    public var argv: [String] = CommandLine.arguments

    public init(sweepPath: String) { self.sweepPath = sweepPath }
}

/// What the engine's build says about itself (filled in by the CLI, which knows git).
public struct BuildInfo: Sendable {
    public var engineVersion: String
    public var gitCommit: String
    public var gitDirty: Bool
    public init(engineVersion: String, gitCommit: String, gitDirty: Bool) {
        self.engineVersion = engineVersion
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
    }

    /// The Swift compiler the engine was built with.
    public static var swiftVersion: String {
        // compiler(), not swift(): the package builds in Swift 5 language mode.
        #if compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #elseif compiler(>=6.0)
        return "6.0"
        #else
        return "5"
        #endif
    }
}

/// Bad input to `exp run` (exit 64, nothing written).
public struct BadInput: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// `exp run`'s result: one line per run and the process exit code.
public struct RunSummary: Sendable {
    /// Per run considered, in run order: its directory, its state at the end, and whether
    /// this process trained it (false: skipped as completed, diverged or claimed elsewhere).
    public var runs: [(directory: String, state: RunState, trained: Bool)] = []
    /// 0 all runs completed or diverged; 1 a run failed; 130 interrupted.
    public var exitCode: Int32 = 0
}

/// `exp run SWEEP.json …`.
public enum RunEntry {
    /// The most runs `--max-runs` may allow.
    public static let maximumRunsCeiling = 100_000

    /// Loads and expands the sweep: bad input throws (before anything is written).
    public static func plan(_ options: RunOptions, registry: PluginRegistry) throws -> (Sweep, [PlannedRun]) {
        guard !options.results.isEmpty else {
            throw BadInput("--results is empty; name a directory, e.g. --results results")
        }
        guard options.maximumRuns >= 1, options.maximumRuns <= maximumRunsCeiling else {
            throw BadInput("--max-runs \(options.maximumRuns): must be in 1…\(maximumRunsCeiling) (a sweep's runs are listed in memory)")
        }
        let sweep = try Sweep.parse(bytes: try readSweepFile(options.sweepPath), file: options.sweepPath,
                                    catalog: registry.catalog)
        let overrides = try options.overrides.map { try Override.parse($0, catalog: registry.catalog) }
        var runs = try sweep.expand(overrides: overrides, maximumRuns: options.maximumRuns, file: options.sweepPath,
                                    catalog: registry.catalog)
        try checkNetworks(runs, file: options.sweepPath)
        try checkDistinctIDs(runs, file: options.sweepPath)
        // `--set` values belong to the run's overrides in sweep.json, so that `exp status` and
        // `exp report` keep runs made with different --set values apart.
        for i in runs.indices {
            for o in overrides where runs[i].overrides[o.key] == nil { runs[i].overrides[o.key] = o.value }
        }
        if let shard = options.shard {
            guard shard.count >= 1, shard.index >= 0, shard.index < shard.count else {
                throw BadInput("--shard \(shard.index)/\(shard.count): I must be in 0..<N and N ≥ 1, e.g. --shard 0/4")
            }
            runs = runs.filter { $0.number % shard.count == shard.index }
        }
        guard options.jobs >= 1 else { throw BadInput("--jobs \(options.jobs): must be ≥ 1") }
        try checkPluginOptions(runs, file: options.sweepPath, registry: registry)
        runs = keepingExistingDirectories(runs, sweepDirectory: options.results + "/" + sweep.name)
        return (sweep.applying(overrides), runs)
    }

    /// Refuses runs that differ only in keys outside the run id (training.threads, dataset.path,
    /// exports, observer plugins): they would train the same model twice, in two directories.
    /// - Throws: `BadInput` naming both runs.
    static func checkDistinctIDs(_ runs: [PlannedRun], file: String) throws {
        var first: [String: PlannedRun] = [:]
        for run in runs {
            if let earlier = first[run.id] {
                throw BadInput("\(file): runs \(earlier.number) (\(earlier.directoryName)) and \(run.number) (\(run.directoryName)) "
                               + "differ only in keys that do not change what is trained (training.threads, dataset.path, exports, "
                               + "observing plugins), so they are the same run \(run.id); vary those keys with --set, not in grid or zip")
            }
            first[run.id] = run
        }
    }

    /// A run keeps the directory it already has. Directory names list the keys that vary across
    /// the runs being planned, so they change when `--set` fixes a swept key (all of
    /// experiments/batchsize.json's `batch_size=64,…,seed=0-1faca9f5` is, under
    /// `--set training.batch_size=64`, `learning_rate_scaling=null,seed=0-1faca9f5`); the
    /// run is the same (same id) and must be found, not trained a second time and counted twice.
    /// A run whose computed directory does not exist takes the one real directory of the sweep
    /// whose name ends in `-<id>` (a name with several candidates, or a link, is left alone).
    static func keepingExistingDirectories(_ runs: [PlannedRun], sweepDirectory: String) -> [PlannedRun] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: sweepDirectory) else { return runs }
        let present = Set(names)
        var byID: [String: [String]] = [:]
        for name in names {
            guard let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].count == 8 else { continue }
            var info = stat()
            guard lstat(sweepDirectory + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            byID[String(name[name.index(after: dash)...]), default: []].append(name)
        }
        return runs.map { run in
            guard !present.contains(run.directoryName), let found = byID[run.id], found.count == 1 else { return run }
            var kept = run
            kept.directoryName = found[0]
            return kept
        }
    }

    /// Creates each distinct plugin list once, so that a bad option value (which only the plugin
    /// can judge) is bad input before anything is written, not a failed run.
    static func checkPluginOptions(_ runs: [PlannedRun], file: String, registry: PluginRegistry) throws {
        var checked = Set<String>()
        for run in runs where checked.insert(run.configuration["plugins"].canonicalJSON).inserted {
            do { _ = try registry.instantiate(run.configuration.pluginEntries) } catch {
                throw BadInput("\(file): plugins of run \(run.number) (\(run.directoryName)): \(error)")
            }
        }
        // Across keys: early stopping on a validation metric needs a validation split.
        for run in runs where (run.configuration["dataset.validation"].integerValue ?? 0) == 0 {
            for entry in run.configuration.pluginEntries where entry["name"]?.stringValue == EarlyStoppingPlugin.name
                && entry["enabled"]?.boolValue != false {
                if let metric = entry["metric"]?.stringValue, metric.hasPrefix("val_") {
                    throw BadInput("\(file): plugins of run \(run.number) (\(run.directoryName)): plugin early-stopping: "
                                   + "option metric: \(metric) needs a validation set; set dataset.validation > 0 or use a test_ or train_ metric")
                }
            }
        }
    }

    /// The bytes of a sweep file, read no further than the parser's size limit (so that a huge
    /// file or an endless device is refused without filling memory).
    /// - Throws: `BadInput` naming the path when it cannot be read or is too large.
    static func readSweepFile(_ path: String) throws -> [UInt8] {
        let limit = JSONParser.Limits().maximumBytes
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw BadInput("\(path): is a directory, not a sweep file; pass a .json file such as experiments/batchsize.json")
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw BadInput("\(path): cannot read the sweep file (\(error.localizedDescription)); check the path")
        }
        guard data.count <= limit else {
            throw BadInput("\(path): the sweep file is larger than the limit of \(limit) bytes; a sweep file is a few kB")
        }
        return [UInt8](data)
    }

    /// Builds each distinct network of the runs (MNIST-sized input for the known datasets; an
    /// `idx` dataset's image size is checked when the run starts), so a layer list that does
    /// not fit together is bad input before anything is written.
    /// - Throws: `BadInput` naming the file, the key and the layer.
    static func checkNetworks(_ runs: [PlannedRun], file: String) throws {
        var checked = Set<String>()
        for run in runs where run.configuration["dataset.name"].stringValue != "idx" {
            let key = run.configuration["model"].canonicalJSON
            guard checked.insert(key).inserted else { continue }
            do {
                _ = try Network<Float>(run.configuration.modelConfiguration)
            } catch {
                throw BadInput("\(file): model (run \(run.number), \(run.directoryName)): \(error); fix model.layers or the model keys")
            }
        }
    }

    /// The state of every planned run, for `--dry-run` and `exp status`.
    public static func states(of runs: [PlannedRun], sweepDirectory: String, catalog: PluginCatalog)
        -> [(run: PlannedRun, state: RunState)] {
        runs.map { ($0, RunInspector.state(of: sweepDirectory + "/" + $0.directoryName, id: $0.id, catalog: catalog).state) }
    }

    /// `--dry-run` output: one line per run (number, id, directory, state) or JSON.
    public static func dryRunListing(_ states: [(run: PlannedRun, state: RunState)], json: Bool) -> String {
        if json {
            let items = states.map { item -> JSONValue in
                .object(JSONObject([("number", .int(Int64(item.run.number))), ("id", .string(item.run.id)),
                                    ("dir", .string(item.run.directoryName)), ("seed", .int(item.run.seed)),
                                    ("status", .string(item.state.rawValue)), ("overrides", .object(item.run.overrides))]))
            }
            return JSONValue.array(items).prettyJSON + "\n"
        }
        return "# number\tid\tstatus\tdirectory\n"
            + states.map { "\($0.run.number)\t\($0.run.id)\t\($0.state.rawValue)\t\($0.run.directoryName)\n" }.joined()
    }
}
