// A sweep read from results/: its runs, the swept keys, the configurations sorted by them.

import Experiments
import Foundation

/// Everything the notebook of one sweep shows, before formatting.
public struct SweepAnalysis: Sendable {
    /// The sweep's directory name under results/ (a plain name; used for file names).
    public var directoryName: String
    /// sweep.json.
    public var record: SweepRecord
    /// Every run, in sweep.json order.
    public var runs: [LoadedRun]
    /// The keys whose value differs between configurations, in order of first appearance.
    public var sweptKeys: [String]
    /// The configurations, sorted by the swept keys' values.
    public var groups: [ConfigurationGroup]

    /// Keys no run overrides whose resolved value differs between runs (an edited sweep file,
    /// `exp run --set …`): part of ``sweptKeys``, after the override keys.
    public var configurationOnlyKeys: [String]

    /// Reads results/<name>/.
    /// - Throws: ``ReportError`` when sweep.json cannot be read.
    public static func load(name: String, results: String, catalog: PluginCatalog = .builtins) throws -> SweepAnalysis {
        let directory = results + "/" + name
        let record = try SweepRecord.read(path: directory + "/sweep.json")
        let runs = record.runs.map { LoadedRun.load($0, sweepDirectory: directory, catalog: catalog) }
        return SweepAnalysis(directoryName: name, record: record, runs: runs, catalog: catalog)
    }

    /// Groups `runs` by their overrides and by every other key of the run identity whose
    /// resolved value differs (``configurationOnlyKeys(identities:overrideKeys:)``), and sorts
    /// the groups. A key that some runs override and others do not (runs of `exp run --set …`
    /// next to the sweep's own) takes, for the others, the value from their config.json (their
    /// resolved configuration), so that a 5-epoch run next to `--set training.epochs=1` ones is
    /// labelled `epochs=5`, not `epochs=null`; so do the keys no run overrides.
    public init(directoryName: String, record: SweepRecord, runs: [LoadedRun], catalog: PluginCatalog = .builtins) {
        self.directoryName = directoryName
        self.record = record
        var keys: [String] = []
        for run in runs { for key in run.entry.overrides.keys where !keys.contains(key) { keys.append(key) } }
        let identities = Self.identities(of: runs, record: record, catalog: catalog)
        let extra = Self.configurationOnlyKeys(identities: identities, overrideKeys: keys)
        let runs = zip(runs, identities).map { run, identity -> LoadedRun in
            var filled = run
            for key in keys where run.entry.overrides[key] == nil {
                filled.entry.overrides[key] = run.configuration?[path: key] ?? identity?[path: key] ?? .null
            }
            for key in extra { filled.entry.overrides[key] = identity?[path: key] ?? .null }
            return filled
        }
        self.runs = runs
        keys += extra
        sweptKeys = keys.filter { key in Set(runs.map { ($0.entry.overrides[key] ?? .null).canonicalJSON }).count > 1 }
        configurationOnlyKeys = extra.filter(sweptKeys.contains)
        var byKey: [String: Int] = [:]
        var groups: [ConfigurationGroup] = []
        for run in runs {
            let key = JSONValue.object(run.entry.overrides).canonicalJSON
            if let index = byKey[key] { groups[index].runs.append(run); continue }
            byKey[key] = groups.count
            groups.append(ConfigurationGroup(overrides: run.entry.overrides, runs: [run], label: ""))
        }
        let swept = sweptKeys
        groups.sort { a, b in
            for key in swept {
                let order = compareValues(a.overrides[key] ?? .null, b.overrides[key] ?? .null)
                if order != 0 { return order < 0 }
            }
            return false
        }
        for i in groups.indices {
            groups[i].index = i
            groups[i].label = Self.label(groups[i].overrides, keys: swept)
        }
        self.groups = groups
    }

    /// Counts per status, in ``RunState/reportOrder``.
    public var counts: [(state: RunState, count: Int)] {
        RunState.reportOrder.map { state in (state, runs.filter { $0.state == state }.count) }
    }

    /// The configuration with the highest mean final test accuracy (ties: the first in order).
    public var best: ConfigurationGroup? {
        var best: (group: ConfigurationGroup, mean: Double)?
        for group in groups {
            guard let mean = group.finalAccuracy?.mean, mean.isFinite else { continue }
            if best == nil || mean > best!.mean { best = (group, mean) }
        }
        return best?.group
    }

    /// `leaf=value` for each key (the full key where two keys share a leaf), or "all runs".
    static func label(_ overrides: JSONObject, keys: [String]) -> String {
        guard !keys.isEmpty else { return "all runs" }
        let leaves = keys.map { String($0.split(separator: ".").last ?? Substring($0)) }
        return zip(keys, leaves).map { key, leaf in
            (leaves.filter { $0 == leaf }.count > 1 ? key : leaf) + "=" + displayValue(overrides[key] ?? .null)
        }.joined(separator: ", ")
    }
}

/// A JSON value as tables and legends show it: a string without quotes; an object or array as
/// JSON with a space after each `,` and `:` (keys sorted as in canonical JSON), so that long
/// values wrap; anything else as canonical JSON.
func displayValue(_ value: JSONValue) -> String {
    func spaced(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            let keys = object.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            return "{" + keys.map { JSONValue.string($0).canonicalJSON + ": " + spaced(object[$0]!) }.joined(separator: ", ") + "}"
        case .array(let elements):
            return "[" + elements.map(spaced).joined(separator: ", ") + "]"
        default:
            return value.canonicalJSON
        }
    }
    return value.stringValue ?? spaced(value)
}

/// Orders swept values: numbers numerically, before strings (by Unicode scalars), before
/// anything else (by canonical JSON). −1, 0 or 1.
func compareValues(_ a: JSONValue, _ b: JSONValue) -> Int {
    func rank(_ v: JSONValue) -> Int { v.numberValue != nil ? 0 : v.stringValue != nil ? 1 : 2 }
    if rank(a) != rank(b) { return rank(a) < rank(b) ? -1 : 1 }
    if let x = a.numberValue, let y = b.numberValue { return x < y ? -1 : x > y ? 1 : 0 }
    let x = a.stringValue ?? a.canonicalJSON, y = b.stringValue ?? b.canonicalJSON
    return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : x == y ? 0 : 1
}
