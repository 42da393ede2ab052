// Holds the writers to docs/FORMAT.md: the tables marked `<!-- format-table: NAME -->` list
// every group, dataset and attribute with kind, type and shape; written files must contain
// exactly what they list.

import Foundation
@testable import Experiments
import HDF5
import Training
import XCTest

/// One row of a format table.
struct FormatRow {
    var pattern: NSRegularExpression
    var object: String
    var kind: String
    var type: String
    /// Allowed ranks; nil for groups.
    var ranks: [Int]?
    var required: Bool
}

/// One object found in a written file.
struct FileEntry: CustomStringConvertible {
    var path: String
    var kind: String
    var type: String
    var rank: Int?
    var description: String { "\(kind) \(path) \(type) rank \(rank.map(String.init) ?? "-")" }
}

enum FormatDocument {
    static let placeholders = ["{NNNN}": "[0-9]{4,}", "{layer}": "[PS][0-9]+", "{quantity}": "[A-Za-z0-9_.-]+",
                               "{counter}": "[A-Za-z0-9_.-]+"]

    /// The rows of the table marked `<!-- format-table: name -->` in docs/FORMAT.md.
    static func table(_ name: String) throws -> [FormatRow] {
        let text = try String(contentsOf: ResultsFixtures.root.appendingPathComponent("docs/FORMAT.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let marker = lines.firstIndex(of: "<!-- format-table: \(name) -->") else { throw XCTSkip("no table \(name)") }
        var rows: [FormatRow] = []
        for line in lines[(marker + 3)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            let object = cells[0].replacingOccurrences(of: "`", with: "")
            var regex = NSRegularExpression.escapedPattern(for: object)
            for (placeholder, replacement) in placeholders {
                regex = regex.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: placeholder), with: replacement)
            }
            let ranks: [Int]? = cells[3] == "—" ? nil : cells[3].components(separatedBy: " or ").map { shape in
                let inner = shape.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
                return inner.isEmpty ? 0 : inner.split(separator: ",").count
            }
            rows.append(FormatRow(pattern: try NSRegularExpression(pattern: "^" + regex + "$"), object: object, kind: cells[1],
                                  type: cells[2], ranks: ranks, required: cells[4] == "yes"))
        }
        return rows
    }

    /// Every group, dataset and attribute of the file at `path`.
    static func entries(_ path: String) throws -> [FileEntry] {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        var entries: [FileEntry] = []
        func visit(_ location: HDF5Location) throws {
            try attributes(of: location, into: &entries)
            for name in try location.children() {
                let child = location.objectPath == "/" ? "/" + name : location.objectPath + "/" + name
                if try location.kind(of: name) == .group {
                    entries.append(FileEntry(path: child, kind: "group", type: "—", rank: nil))
                    try visit(location.openGroup(name))
                } else {
                    let dataset = try location.openDataset(name)
                    let info = try dataset.info()
                    entries.append(FileEntry(path: child, kind: "dataset", type: info.dataType?.rawValue ?? "?", rank: info.shape.count))
                    try attributes(of: dataset, into: &entries)
                }
            }
        }
        try visit(file)
        return entries
    }

    private static func attributes(of object: HDF5Object, into entries: inout [FileEntry]) throws {
        for name in try object.attributeNames() {
            let (type, rank): (String, Int)
            switch try object.attribute(name) {
            case .string: (type, rank) = ("string", 0)
            case .int64: (type, rank) = ("int64", 0)
            case .double: (type, rank) = ("float64", 0)
            case .int64Array: (type, rank) = ("int64", 1)
            case .doubleArray: (type, rank) = ("float64", 1)
            }
            entries.append(FileEntry(path: ResultsReader.attributePath(object.objectPath, name), kind: "attribute", type: type, rank: rank))
        }
    }

    /// Problems: entries matching no row (or a row of another kind/type/rank), required rows never matched.
    static func check(_ path: String, against table: String) throws -> [String] {
        let rows = try self.table(table)
        var problems: [String] = [], used = Set<String>()
        for entry in try entries(path) {
            let range = NSRange(entry.path.startIndex..., in: entry.path)
            let matches = rows.filter { $0.kind == entry.kind && $0.pattern.firstMatch(in: entry.path, range: range) != nil }
            guard let row = matches.first, matches.count == 1 else {
                problems.append("\(entry) matches \(matches.count) \(entry.kind) rows of \(table)")
                continue
            }
            used.insert(row.object)
            if row.type != entry.type || (row.ranks != nil && !row.ranks!.contains(entry.rank ?? -1)) {
                problems.append("\(entry) but \(table) says \(row.kind) \(row.type) ranks \(row.ranks ?? [])")
            }
        }
        problems += rows.filter { $0.required && !used.contains($0.object) }.map { "\(table): required \($0.object) not in the file" }
        return problems
    }
}

final class ResultsFormatDocumentTests: XCTestCase {
    func testMetricsFilesMatchTheDocument() throws {
        let directory = try ResultsFixtures.directory(self)
        let provenance = try ResultsFixtures.provenance(configJSON: "{}")
        try MetricsFile.write(ResultsFixtures.record(), to: directory + "/full.h5", provenance: provenance)
        try MetricsFile.write(ResultsFixtures.record(validation: false, diagnostics: false), to: directory + "/plain.h5", provenance: provenance)
        XCTAssertEqual(try FormatDocument.check(directory + "/full.h5", against: "metrics.h5"), [])
        XCTAssertEqual(try FormatDocument.check(directory + "/plain.h5", against: "metrics.h5"), [])
    }

    func testWeightsFilesMatchTheDocument() throws {
        let directory = try ResultsFixtures.directory(self)
        for residual in [false, true] {
            var history = WeightsHistory(configJSON: "{}")
            history.record(epoch: 0, network: try ResultsFixtures.network(residual: residual))
            history.record(epoch: 1, network: try ResultsFixtures.network(residual: residual, seed: 1))
            try WeightsFile.write(history, to: directory + "/w.h5")
            XCTAssertEqual(try FormatDocument.check(directory + "/w.h5", against: "weights.h5"), [], "residual \(residual)")
        }
    }

    func testCheckpointFilesMatchTheDocument() throws {
        let directory = try ResultsFixtures.directory(self)
        let network = try ResultsFixtures.network()
        var sgd = SGD<Float>(momentum: 0.9)
        for momentum in [false, true] {
            sgd.momentumBuffers = momentum ? network.parameters : []
            // With momentum: a mid-epoch checkpoint (batch 2), which keeps /epoch_start_network.
            let state = CheckpointState(runID: "12345678", configJSON: "{}", epoch: 1, step: 5, batch: momentum ? 2 : 0,
                                        network: network, optimizer: sgd,
                                        metrics: ResultsFixtures.record(epochs: 1),
                                        counters: momentum ? ["loss_sum": 1] : [:],
                                        epochStartNetwork: try ResultsFixtures.network(seed: 1))
            XCTAssertEqual(state.epochStartNetwork != nil, momentum)
            try CheckpointFile.write(state, to: directory + "/c.h5")
            XCTAssertEqual(try FormatDocument.check(directory + "/c.h5", against: "checkpoint.h5"), [], "momentum \(momentum)")
            XCTAssertEqual(try CheckpointFile.read(from: directory + "/c.h5", as: Float.self), state)
        }
    }

    /// The checker itself catches an undocumented dataset and a missing required one.
    func testTheCheckerCatchesDeviations() throws {
        let directory = try ResultsFixtures.directory(self)
        try HDF5File.writeAtomically(to: directory + "/x.h5") { file in
            try file.setAttribute("format", .string("exp-metrics"))
            try file.writeDataset("epoch/bogus", values: [1.0], shape: [1])
            try file.writeDataset("epoch/epoch", values: [1.0], shape: [1])
        }
        let problems = try FormatDocument.check(directory + "/x.h5", against: "metrics.h5")
        XCTAssertTrue(problems.contains { $0.contains("/epoch/bogus") && $0.contains("matches 0 dataset rows") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("/epoch/epoch float64") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("required @run_id") }, "\(problems)")
    }
}
