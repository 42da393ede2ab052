@testable import Datasets
import Foundation
import XCTest

/// Every case of Tests/Fixtures/malformed-idx/expected.json (files written by make.py there) is
/// refused with a `DatasetError` whose message is exactly the expected one (FILE and DIR
/// replaced by the paths), never a crash and never a large allocation.
final class MalformedIDXCorpusTests: XCTestCase {
    struct Case: Decodable {
        /// One file read as "images", "labels" or "any" unsigned-byte IDX …
        var read: String?
        /// … or four files (train images, train labels, test images, test labels) loaded as a dataset.
        var dataset: [String]?
        var message: String
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/malformed-idx").path

    func outcome(of test: Case, named name: String) -> String {
        let dir = Self.directory
        do {
            if let files = test.dataset {
                let configuration = DatasetConfiguration(name: "idx", path: dir, trainImages: files[0], trainLabels: files[1],
                                                         testImages: files[2], testLabels: files[3])
                _ = try Dataset.load(configuration)
            } else {
                let magic: UInt32? = test.read == "images" ? IDXFile.imagesMagic : test.read == "labels" ? IDXFile.labelsMagic : nil
                _ = try IDXFile.read(path: dir + "/" + name, expectedMagic: magic)
            }
            return "no error"
        } catch let error as DatasetError {
            return error.description.replacingOccurrences(of: dir + "/" + name, with: "FILE")
                .replacingOccurrences(of: dir, with: "DIR")
        } catch {
            return "not a DatasetError: \(error)"
        }
    }

    func testEveryMalformedIDXInputIsRefusedWithItsMessage() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/expected.json"))
        let cases = try JSONDecoder().decode([String: Case].self, from: data)
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        var failures: [String] = []
        for name in cases.keys.sorted() {
            let got = outcome(of: cases[name]!, named: name)
            if got != cases[name]!.message { failures.append("\(name):\n  got:      \(got)\n  expected: \(cases[name]!.message)") }
        }
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(cases.count) malformed IDX inputs:\n" + failures.joined(separator: "\n"))
    }
}
