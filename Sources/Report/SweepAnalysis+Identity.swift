// Which runs belong together: the keys of the run identity (SPEC.md "Run id") that differ
// between runs' resolved configurations although no override names them.

import Experiments

extension SweepAnalysis {
    /// The configuration keys (``ConfigurationKeys/all``, in that order) outside `overrideKeys`
    /// whose value in the run identity (``RunIdentity/identityJSON(ofTree:catalog:)``: without
    /// `seed`, `dataset.path`, `training.threads`, `exports` and observer plugins) differs
    /// between runs. Runs of an edited sweep file (or of `exp run --set …`) differ there; keys
    /// outside the run id never split configurations. Each value is compared whole (e.g.
    /// `training.schedule`); a run whose values are unknown (`identities[i]` nil) is skipped.
    static func configurationOnlyKeys(identities: [JSONValue?], overrideKeys: [String]) -> [String] {
        let known = identities.compactMap { $0 }
        return ConfigurationKeys.paths.filter { key in
            !overrideKeys.contains(key) && Set(known.map { ($0[path: key] ?? .null).canonicalJSON }).count > 1
        }
    }

    /// Each run's identity JSON: from its config.json; for a run without one (pending), from
    /// the planned run of sweep.json's definition with the same id, when the definition expands
    /// (it is the sweep file of the last `exp run`); else nil.
    static func identities(of runs: [LoadedRun], record: SweepRecord, catalog: PluginCatalog) -> [JSONValue?] {
        var planned: [String: JSONValue]?
        return runs.map { run in
            if let configuration = run.configuration { return RunIdentity.identityJSON(ofTree: configuration, catalog: catalog) }
            if planned == nil { planned = plannedConfigurations(record: record, catalog: catalog) }
            return planned?[run.entry.id].map { RunIdentity.identityJSON(ofTree: $0, catalog: catalog) }
        }
    }

    /// Run id → resolved configuration of the runs sweep.json's definition expands to; empty
    /// when it does not expand.
    private static func plannedConfigurations(record: SweepRecord, catalog: PluginCatalog) -> [String: JSONValue] {
        guard let sweep = try? Sweep(json: record.definition, file: "sweep.json", catalog: catalog),
              let runs = try? sweep.expand(file: "sweep.json", catalog: catalog) else { return [:] }
        var configurations: [String: JSONValue] = [:]
        for run in runs { configurations[run.id] = run.configuration.json }
        return configurations
    }
}
