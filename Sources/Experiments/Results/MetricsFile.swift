// metrics.h5: writer and reader (SPEC.md "HDF5 files"; docs/FORMAT.md "metrics.h5").
// The file is written whole, atomically (tmp + fsync + rename), at every epoch end.

import HDF5

/// What `MetricsFile.read(from:)` returns.
public struct MetricsFileContents: Sendable, Equatable {
    /// The rows and diagnostics.
    public var record: MetricsRecord
    /// The root attributes.
    public var provenance: RunProvenance
}

/// Writes and reads metrics.h5.
public enum MetricsFile {
    /// `/epoch/` float64 columns in file order, with their accessors.
    static let epochColumns: [(name: String, value: (EpochMetrics) -> Double?)] = [
        ("train_loss", { $0.trainLoss }), ("train_accuracy", { $0.trainAccuracy }),
        ("test_loss", { $0.testLoss }), ("test_accuracy", { $0.testAccuracy }),
        ("val_loss", { $0.validationLoss }), ("val_accuracy", { $0.validationAccuracy }),
        ("learning_rate", { $0.learningRate }), ("seconds", { $0.seconds }),
    ]

    /// Writes the whole file atomically: root attributes `format` = "exp-metrics",
    /// `format_version` = 1 and the provenance; groups `/epoch/`, `/step/`, `/diagnostics/`.
    ///
    /// - Parameters:
    ///   - record: the rows so far; validation values in all rows or in none.
    ///   - path: usually `<run>/metrics.h5`; its directory must exist.
    ///   - provenance: the root attributes.
    ///   - commits: when given, the fsync and rename run later on it (`HDF5File.writeAtomically`).
    /// - Precondition: validation values are present in every row or in none.
    /// - Throws: `HDF5Error` from the file system or libhdf5; the previous file is then intact.
    public static func write(_ record: MetricsRecord, to path: String, provenance: RunProvenance,
                             commits: CommitQueue? = nil) throws {
        try HDF5File.writeAtomically(to: path, commits: commits) { file in
            try file.setAttribute("format", .string(ResultsFileKind.metrics.format))
            try file.setAttribute("format_version", .int64(ResultsFileKind.metrics.formatVersion))
            try provenance.write(to: file)
            try writeGroups(record, into: file)
        }
    }

    /// Reads the whole file.
    /// - Throws: `ResultsFileError` for a missing, damaged or foreign file, or a missing or
    ///   misshapen dataset or attribute.
    public static func read(from path: String) throws -> MetricsFileContents {
        let reader = try ResultsReader.open(path, kind: .metrics)
        defer { reader.close() }
        let provenance = try RunProvenance(reading: reader)
        return MetricsFileContents(record: try readGroups(reader), provenance: provenance)
    }

    /// Writes `/epoch/`, `/step/` and `/diagnostics/` into `file` (metrics.h5 and checkpoint.h5).
    static func writeGroups(_ record: MetricsRecord, into file: HDF5File) throws {
        let validation = record.hasValidation
        precondition(record.epochs.allSatisfy { ($0.validationLoss != nil) == validation && ($0.validationAccuracy != nil) == validation },
                     "MetricsRecord: validation metrics must be present in every epoch row or in none")
        let rows = [record.epochs.count]
        try file.createGroup("epoch")
        try file.writeDataset("epoch/epoch", values: record.epochs.map { Int32($0.epoch) }, shape: rows)
        for column in epochColumns where validation || !column.name.hasPrefix("val_") {
            try file.writeDataset("epoch/" + column.name, values: record.epochs.map { column.value($0)! }, shape: rows)
        }
        let steps = [record.steps.count]
        try file.createGroup("step")
        try file.writeDataset("step/train_loss", values: record.steps.map(\.trainLoss), shape: steps)
        try file.writeDataset("step/learning_rate", values: record.steps.map(\.learningRate), shape: steps)
        try file.writeDataset("step/samples_seen", values: record.steps.map(\.samplesSeen), shape: steps)
        try file.createGroup("diagnostics")
        for key in record.diagnostics.keys.sorted() {
            let series = record.diagnostics[key]!
            try file.writeDataset("diagnostics/" + key, values: series, shape: [series.count])
        }
    }

    /// Reads `/epoch/`, `/step/` and `/diagnostics/`.
    static func readGroups(_ reader: ResultsReader) throws -> MetricsRecord {
        _ = try reader.group("/epoch")
        let epochNumbers = try reader.column("/epoch/epoch", as: Int32.self, count: nil)
        let count = epochNumbers.count
        let validation = reader.exists("/epoch/val_loss") || reader.exists("/epoch/val_accuracy")
        var columns: [String: [Double]] = [:]
        for column in epochColumns where validation || !column.name.hasPrefix("val_") {
            columns[column.name] = try reader.column("/epoch/" + column.name, as: Double.self, count: count)
        }
        let epochs = (0..<count).map { row in
            EpochMetrics(epoch: Int(epochNumbers[row]), trainLoss: columns["train_loss"]![row],
                         trainAccuracy: columns["train_accuracy"]![row], testLoss: columns["test_loss"]![row],
                         testAccuracy: columns["test_accuracy"]![row], validationLoss: columns["val_loss"]?[row],
                         validationAccuracy: columns["val_accuracy"]?[row], learningRate: columns["learning_rate"]![row],
                         seconds: columns["seconds"]![row])
        }
        _ = try reader.group("/step")
        let losses = try reader.column("/step/train_loss", as: Float.self, count: nil)
        let rates = try reader.column("/step/learning_rate", as: Double.self, count: losses.count)
        let seen = try reader.column("/step/samples_seen", as: Int64.self, count: losses.count)
        let steps = losses.indices.map { StepMetrics(trainLoss: losses[$0], learningRate: rates[$0], samplesSeen: seen[$0]) }
        var diagnostics: [String: [Double]] = [:]
        if reader.exists("/diagnostics") {
            try collectDiagnostics(reader, group: reader.group("/diagnostics"), prefix: "", into: &diagnostics)
        }
        return MetricsRecord(epochs: epochs, steps: steps, diagnostics: diagnostics)
    }

    /// Walks `/diagnostics/` recursively, collecting every dataset as a float64 series.
    private static func collectDiagnostics(_ reader: ResultsReader, group: HDF5Group, prefix: String,
                                           into diagnostics: inout [String: [Double]]) throws {
        for name in try reader.children(of: group, groups: false) {
            diagnostics[prefix + name] = try reader.column(group.objectPath + "/" + name, as: Double.self, count: nil)
        }
        for name in try reader.children(of: group, groups: true) {
            try collectDiagnostics(reader, group: reader.group(group.objectPath + "/" + name),
                                   prefix: prefix + name + "/", into: &diagnostics)
        }
    }
}
