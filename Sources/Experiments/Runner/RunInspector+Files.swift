// The HDF5 files of a run as `exp status`, `--dry-run` and `exp run` judge them: a finished run
// whose metrics.h5 or weights.h5 cannot be read or does not hold what the run saved, or a
// resumable run whose checkpoint.h5 (or the weights.h5 it continues) cannot be read or lacks a
// snapshot already saved, is damaged (SPEC.md "damaged"; docs/SWEEPS.md lists the checks).

import Foundation

extension RunInspector {
    /// Why the run's result files are unusable (nil when they are usable).
    ///
    /// - completed, diverged: metrics.h5 and weights.h5 (when their plugins are on) must read,
    ///   metrics.h5 must hold epochs 0…`status.epoch`, and weights.h5 must pass
    ///   ``weightsProblem(path:id:catalog:every:through:last:)`` for the epochs that ended;
    /// - running, interrupted, failed with a checkpoint.h5: the checkpoint must read and belong
    ///   to `id`; when weights-hdf5 is on (in `configuration`, or in `continuing`, the
    ///   configuration a resume would continue with), weights.h5 must pass the same check for
    ///   the checkpoint's epoch, as its earlier snapshots are kept on resume.
    static func filesProblem(directory: String, id: String, status: RunStatus, configuration: JSONValue,
                             continuing: JSONValue? = nil, catalog: PluginCatalog = .builtins) -> String? {
        let metrics = directory + "/metrics.h5", weights = directory + "/weights.h5"
        let checkpoint = directory + "/checkpoint.h5"
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        // config.json matched the id, but exports are not part of it: read them without trapping.
        let every = configuration[path: "exports.weights_every"]?.integerValue.map { Int($0) } ?? 1
        do {
            switch status.state {
            case .completed, .diverged:
                if isEnabled(MetricsHDF5Plugin.name, in: configuration) {
                    guard exists(metrics) else { return "\(metrics) is missing" }
                    let rows = try MetricsFile.read(from: metrics).record.epochs.count
                    if rows != status.epoch + 1 {
                        return "\(metrics) holds \(rows) epoch rows but status.json says \(status.epoch) epochs ended"
                    }
                }
                if isEnabled(WeightsHDF5Plugin.name, in: configuration) {
                    guard exists(weights) else { return "\(weights) is missing" }
                    // A diverged run stops inside epoch status.epoch + 1: its last due save is
                    // the last multiple of weights_every; a completed run saves its last epoch.
                    return try weightsProblem(path: weights, id: id, catalog: catalog, every: every,
                                              through: status.epoch, last: status.state == .completed)
                }
            case .running, .interrupted, .failed:
                guard exists(checkpoint) else { return nil }
                let state = try CheckpointFile.read(from: checkpoint, as: Float.self, runID: id)
                let enabled = isEnabled(WeightsHDF5Plugin.name, in: configuration)
                    || continuing.map { isEnabled(WeightsHDF5Plugin.name, in: $0) } == true
                if enabled {
                    // The checkpoint is written after the epoch's saves: epoch 0 at least is in
                    // weights.h5 (and the configured last epoch, when the checkpoint is there).
                    guard exists(weights) else { return "\(weights) is missing (checkpoint.h5 is at epoch \(state.epoch))" }
                    let epochs = configuration[path: "training.epochs"]?.integerValue.map { Int($0) }
                    return try weightsProblem(path: weights, id: id, catalog: catalog, every: every,
                                              through: state.epoch, last: state.epoch == epochs, extraAllowed: true)
                } else if exists(weights) {
                    _ = try WeightsFile.read(from: weights)
                }
            default:
                return nil
            }
        } catch {
            return "\(error)"
        }
        return nil
    }

    /// The epochs ≤ `through` whose weights snapshot was due: 0, the multiples of `every`
    /// (none when 0), and `through` itself when `last`.
    static func dueWeightEpochs(every: Int, through: Int, last: Bool) -> [Int] {
        var due = Set([0])
        if every > 0 { due.formUnion(stride(from: every, through: through, by: every)) }
        if last { due.insert(through) }
        return due.filter { $0 <= through }.sorted()
    }

    /// Why weights.h5 at `path` is not the one run `id` saved through epoch `through` (nil when
    /// it is): it must read (``WeightsFile/read(from:)``), its `config_json` must have run id
    /// `id`, it must hold every epoch of ``dueWeightEpochs(every:through:last:)`` and no epoch
    /// after `through` (unless `extraAllowed`: a resume drops them), and every snapshot must
    /// hold the layer groups of epoch 0, each with the same datasets and shapes, `w` and `b`
    /// among them (docs/FORMAT.md's required datasets).
    /// - Throws: `ResultsFileError` when the file does not read.
    static func weightsProblem(path: String, id: String, catalog: PluginCatalog, every: Int, through: Int,
                               last: Bool, extraAllowed: Bool = false) throws -> String? {
        let history = try WeightsFile.read(from: path)
        let actual: String
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes: Array(history.configJSON.utf8), file: path + "@config_json")
            actual = RunIdentity.id(of: ResolvedConfiguration(json: json), catalog: catalog)
        } catch {
            return "\(path): config_json is not valid JSON: \(error)"
        }
        if actual != id { return "\(path) belongs to run \(actual), not \(id)" }
        let held = history.epochs
        let list = held.isEmpty ? "none" : held.map(String.init).joined(separator: ", ")
        // exports are outside the run id: a run resumed with another exports.weights_every saved
        // its earlier snapshots under the value weights.h5 was started with (its config_json).
        // Then only epoch 0 and the last epoch are certain to be due.
        let started = json[path: "exports.weights_every"]?.integerValue.map { Int($0) }
        let due = dueWeightEpochs(every: started == nil || started == every ? every : 0, through: through, last: last)
        if let missing = due.first(where: { history.snapshots[$0] == nil }) {
            return "\(path) lacks the snapshot of epoch \(missing) (it holds epochs \(list); "
                + "due through epoch \(through): \(due.map(String.init).joined(separator: ", ")))"
        }
        if !extraAllowed, let extra = held.first(where: { $0 > through }) {
            return "\(path) holds a snapshot of epoch \(extra), after the run's last epoch \(through)"
        }
        guard let first = history.snapshots[0] else { return nil }
        let shapes = { (tensors: NetworkTensors<Float>) -> [String: [String: [Int]]] in
            Dictionary(uniqueKeysWithValues: tensors.layers.map { layer in
                (layer.name, layer.tensors.mapValues(\.shape))
            })
        }
        let expected = shapes(first)
        for layer in expected.keys.sorted() {
            for dataset in ["w", "b"] where expected[layer]![dataset] == nil {
                return "\(path) lacks /\(WeightsHistory.groupName(epoch: 0))/\(layer)/\(dataset)"
            }
        }
        for epoch in held {
            let group = "/" + WeightsHistory.groupName(epoch: epoch)
            let found = shapes(history.snapshots[epoch]!)
            for layer in expected.keys.sorted() {
                guard let datasets = found[layer] else { return "\(path) lacks \(group)/\(layer)" }
                for (dataset, shape) in expected[layer]!.sorted(by: { $0.key < $1.key }) {
                    guard let actualShape = datasets[dataset] else { return "\(path) lacks \(group)/\(layer)/\(dataset)" }
                    if actualShape != shape {
                        return "\(path): \(group)/\(layer)/\(dataset) has shape \(actualShape), epoch 0 has \(shape)"
                    }
                }
                if let stray = datasets.keys.sorted().first(where: { expected[layer]![$0] == nil }) {
                    return "\(path): \(group)/\(layer)/\(stray) is not in epoch 0"
                }
            }
            if let stray = found.keys.sorted().first(where: { expected[$0] == nil }) {
                return "\(path): \(group)/\(stray) is not in epoch 0"
            }
        }
        return nil
    }

    /// Whether a built-in plugin that is on by default is still on in a configuration (not
    /// `{"name": NAME, "enabled": false}`).
    static func isEnabled(_ name: String, in configuration: JSONValue) -> Bool {
        let entries = configuration[path: "plugins"]?.arrayValue ?? []
        return !entries.contains { $0[path: "name"]?.stringValue == name && $0[path: "enabled"]?.boolValue == false }
    }
}
