// The part of a run's metrics.h5 that `exp report` reads (SPEC.md "HDF5 files"), read with
// HDF5File directly. One type, so that it can be replaced by the shared results reader.

import HDF5

/// The per-epoch and per-step metrics and the provenance attributes of one run.
public struct RunMetrics: Sendable, Equatable {
    /// Root attribute `run_id`.
    public var runID: String?
    /// Root attribute `engine_version`.
    public var engineVersion: String?
    /// Root attribute `git_commit`.
    public var gitCommit: String?
    /// Root attribute `git_dirty` (0/1).
    public var gitDirty: Bool?
    /// `/epoch/epoch`: 0 (initial weights), 1, 2, …
    public var epochs: [Int]
    /// `/epoch/train_loss` (nats).
    public var trainLoss: [Double]
    /// `/epoch/train_accuracy` (fraction).
    public var trainAccuracy: [Double]
    /// `/epoch/test_loss` (nats).
    public var testLoss: [Double]
    /// `/epoch/test_accuracy` (fraction).
    public var testAccuracy: [Double]
    /// `/epoch/seconds`: training wall time of each epoch.
    public var seconds: [Double]
    /// `/step/train_loss`, one value per SGD step.
    public var stepLoss: [Double]
    /// `/step/samples_seen`.
    public var samplesSeen: [Double]
    /// `/diagnostics/<layer>/<metric>` for 1-D datasets: layer → metric → values per epoch.
    public var diagnostics: [String: [String: [Double]]]

    /// Reads `path`.
    /// - Throws: `HDF5Error` when the file or a required dataset is unreadable; `ReportError`
    ///   when it is not an exp-metrics file or its arrays disagree in length.
    public static func read(path: String) throws -> RunMetrics {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        if let format = try optionalString(file, "format"), format != "exp-metrics" {
            throw ReportError(path: path, "format is \"\(format)\", expected \"exp-metrics\"")
        }
        let epochGroup = try file.openGroup("epoch")
        let epochs = try integers(epochGroup, "epoch")
        var metrics = RunMetrics(
            runID: try optionalString(file, "run_id"), engineVersion: try optionalString(file, "engine_version"),
            gitCommit: try optionalString(file, "git_commit"),
            gitDirty: try file.hasAttribute("git_dirty") ? try file.int64Attribute("git_dirty") != 0 : nil,
            epochs: epochs.map { Int($0) },
            trainLoss: try reals(epochGroup, "train_loss"), trainAccuracy: try reals(epochGroup, "train_accuracy"),
            testLoss: try reals(epochGroup, "test_loss"), testAccuracy: try reals(epochGroup, "test_accuracy"),
            seconds: try reals(epochGroup, "seconds"), stepLoss: [], samplesSeen: [], diagnostics: [:])
        let rows = metrics.epochs.count
        for (name, column) in [("train_loss", metrics.trainLoss), ("train_accuracy", metrics.trainAccuracy),
                               ("test_loss", metrics.testLoss), ("test_accuracy", metrics.testAccuracy), ("seconds", metrics.seconds)]
            where column.count != rows {
            throw ReportError(path: path, "/epoch/\(name) has \(column.count) rows, /epoch/epoch has \(rows)")
        }
        if try file.exists("step") {
            let step = try file.openGroup("step")
            metrics.stepLoss = try reals(step, "train_loss")
            metrics.samplesSeen = try integers(step, "samples_seen").map(Double.init)
            guard metrics.stepLoss.count == metrics.samplesSeen.count else {
                throw ReportError(path: path, "/step/train_loss has \(metrics.stepLoss.count) rows, /step/samples_seen has \(metrics.samplesSeen.count)")
            }
        }
        if try file.exists("diagnostics") {
            let group = try file.openGroup("diagnostics")
            for layer in try group.children() where try group.kind(of: layer) == .group {
                let layerGroup = try group.openGroup(layer)
                for name in try layerGroup.children() where try layerGroup.kind(of: name) == .dataset {
                    guard try layerGroup.openDataset(name).shape().count == 1,
                          let values = try? reals(layerGroup, name) else { continue }
                    metrics.diagnostics[layer, default: [:]][name] = values
                }
            }
        }
        return metrics
    }

    /// A string attribute of the root, or nil when absent.
    static func optionalString(_ file: HDF5File, _ name: String) throws -> String? {
        try file.hasAttribute(name) ? try file.stringAttribute(name) : nil
    }

    /// A 1-D float64 or float32 dataset as doubles.
    static func reals(_ group: HDF5Location, _ name: String) throws -> [Double] {
        let dataset = try group.openDataset(name)
        if try dataset.info().dataType == .float32 { return try dataset.read(as: Float.self).values.map(Double.init) }
        return try dataset.read(as: Double.self).values
    }

    /// A 1-D int32 or int64 dataset as Int64.
    static func integers(_ group: HDF5Location, _ name: String) throws -> [Int64] {
        let dataset = try group.openDataset(name)
        if try dataset.info().dataType == .int32 { return try dataset.read(as: Int32.self).values.map(Int64.init) }
        return try dataset.read(as: Int64.self).values
    }
}
