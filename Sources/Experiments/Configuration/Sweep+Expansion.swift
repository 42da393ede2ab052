// Expanding a sweep into numbered runs (SPEC.md "Sweep file": grid (last key fastest) × zip ×
// seeds (fastest), counting from 0) with resolved configurations, ids and directory names.

/// One run of an expanded sweep.
public struct PlannedRun: Sendable, Equatable {
    /// The run's number, from 0 (used by `--shard I/N`).
    public var number: Int
    /// The run's seed.
    public var seed: Int64
    /// The grid and zip values of this run: grid keys in file order, then the zip entry's.
    public var overrides: JSONObject
    /// `base` with the overrides, `--set` and every default.
    public var configuration: ResolvedConfiguration
    /// 8 hex digits (``RunIdentity/id(of:catalog:sha256:)``).
    public var id: String
    /// The run's directory under results/<sweep>/.
    public var directoryName: String

    /// sweep.json's entry for the run: `{"id", "dir", "seed", "overrides"}`.
    public var sweepEntry: JSONValue {
        ["id": .string(id), "dir": .string(directoryName), "seed": .int(seed), "overrides": .object(overrides)]
    }
}

extension Sweep {
    /// The largest sweep expanded without `--max-runs` (a typo such as a 1000-value axis
    /// should not silently start weeks of training).
    public static let defaultMaximumRuns = 1000

    /// The sweep after `--set` overrides: each overridden key is set in `base`, and a grid
    /// axis or zip value of that key is dropped (the override replaces the axis). Zip entries
    /// that become equal are merged; if all become empty, zip is dropped.
    public func applying(_ overrides: [Override]) -> Sweep {
        guard !overrides.isEmpty else { return self }
        var result = self
        let keys = Set(overrides.map(\.key))
        result.base = Override.apply(overrides, to: base)
        result.grid = grid.filter { !keys.contains($0.key) }
        var entries: [JSONObject] = []
        for var entry in zip {
            for key in keys { entry[key] = nil }
            if !entries.contains(entry) { entries.append(entry) }
        }
        result.zip = entries.allSatisfy(\.isEmpty) ? [] : entries
        return result
    }

    /// The number of runs: Π |grid axis| × max(|zip|, 1) × |seeds|; `Int.max` when the product
    /// overflows (16 axes of 16 values would otherwise trap before the limit is checked).
    public var runCount: Int {
        let factors = grid.map(\.values.count) + [max(zip.count, 1), seeds.count]
        return factors.reduce(1) { product, factor in
            let (result, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? Int.max : result
        }
    }

    /// The runs of the sweep, numbered grid (last key fastest) × zip × seeds (fastest).
    /// - Parameters:
    ///   - overrides: `--set` overrides, applied as ``applying(_:)`` does.
    ///   - maximumRuns: refuse sweeps with more runs (`--max-runs`).
    ///   - file: the sweep file's name for errors.
    ///   - sha256: the SHA-256 used for run ids (default: the Datasets module's).
    /// - Throws: ``ConfigurationError`` for too many runs, any run whose configuration does
    ///   not resolve, or two runs with the same directory.
    public func expand(overrides: [Override] = [], maximumRuns: Int = Sweep.defaultMaximumRuns,
                       file: String, catalog: PluginCatalog = .builtins, sha256: SHA256Hex = datasetsSHA256) throws -> [PlannedRun] {
        let sweep = applying(overrides)
        let count = sweep.runCount
        guard count <= maximumRuns, count != Int.max else {
            throw ConfigurationError(file: file, keyPath: "", kind: .tooManyRuns(count: count, limit: maximumRuns))
        }
        let resolver = ConfigurationResolver(file: file, catalog: catalog)
        var points: [JSONObject] = [JSONObject()]
        for axis in sweep.grid {  // later axes vary faster
            points = points.flatMap { point in axis.values.map { value in var p = point; p[axis.key] = value; return p } }
        }
        var runs: [PlannedRun] = []
        for point in points {
            for entry in sweep.zip.isEmpty ? [JSONObject()] : sweep.zip {
                var overrides = point
                for (key, value) in entry { overrides[key] = value }
                let base = Override.apply(overrides.map { Override(key: $0.key, value: $0.value) }, to: sweep.base)
                let resolved = try resolver.resolve(base: base, seed: 0)
                for seed in sweep.seeds {
                    var json = resolved.json
                    json.set(path: "seed", to: .int(seed))
                    let configuration = ResolvedConfiguration(json: json)
                    runs.append(PlannedRun(number: runs.count, seed: seed, overrides: overrides, configuration: configuration,
                                           id: RunIdentity.id(of: configuration, catalog: catalog, sha256: sha256),
                                           directoryName: ""))
                }
            }
        }
        let candidates = sweep.grid.map(\.key) + sweep.zip.flatMap(\.keys)
        let varying = RunIdentity.varyingKeys(Array(Set(candidates)), across: runs.map(\.configuration))
        var seen: [String: Int] = [:]
        for i in runs.indices {
            let name = RunIdentity.directoryName(varyingKeys: varying, configuration: runs[i].configuration, id: runs[i].id)
            if let other = seen[name] {
                throw ConfigurationError(file: file, keyPath: "", kind: .invalidValue(allowed:
                    "runs \(other) and \(i) have the same configuration and seed (directory \(name)); remove the duplicate zip entry or grid value"))
            }
            guard name.utf8.count <= 255 else {
                throw ConfigurationError(file: file, keyPath: varying.joined(separator: ","), kind: .invalidValue(allowed:
                    "run \(i)'s directory name is \(name.utf8.count) bytes, more than the 255 a file system allows; vary fewer or shorter values"))
            }
            seen[name] = i
            runs[i].directoryName = name
        }
        return runs
    }
}
