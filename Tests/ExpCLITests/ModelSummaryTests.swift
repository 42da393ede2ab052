import Experiments
import Foundation
import XCTest

@testable import ExpCLI

/// `exp model summary` against SPEC.md's JSON shape and the paper's tables.
final class ModelSummaryTests: XCTestCase {
    func summary(_ overrides: [String]) throws -> [String: Any] {
        let text = try ModelSummaryEntry.render(overrides: overrides, configPath: nil, format: .json)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testTotalsForEveryPlacement() throws {
        XCTAssertEqual(try summary([])["total_parameters"] as? Int, 44_878)
        XCTAssertEqual(try summary(["model.bn=before"])["total_parameters"] as? Int, 44_878)
        XCTAssertEqual(try summary(["model.bn=none"])["total_parameters"] as? Int, 44_426)
        XCTAssertEqual(try summary(["model.bn=before"])["bn"] as? String, "before")
    }

    func testTableOneShapesAndParameters() throws {
        let layers = try XCTUnwrap(try summary([])["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 17)
        let shapes = layers.map { ($0["output_shape"] as? [Any])?.map { "\($0)" }.joined(separator: "×") ?? "" }
        XCTAssertEqual(shapes, [
            "n×1×28×28", "n×6×24×24", "n×6×24×24", "n×6×24×24", "n×6×12×12", "n×16×8×8", "n×16×8×8",
            "n×16×8×8", "n×16×4×4", "n×256", "n×120", "n×120", "n×120", "n×84", "n×84", "n×84", "n×10"])
        XCTAssertEqual(layers.map { $0["type"] as? String }, [
            "input", "conv", "relu", "batch_norm", "maxpool", "conv", "relu", "batch_norm", "maxpool",
            "flatten", "fc", "relu", "batch_norm", "fc", "relu", "batch_norm", "fc"])
        let conv1 = try XCTUnwrap(layers[1]["parameters"] as? [[String: Any]])
        XCTAssertEqual(conv1.first?["name"] as? String, "P0.w")
        XCTAssertEqual(conv1.first?["shape"] as? [Int], [6, 1, 5, 5])
        XCTAssertEqual(layers[10]["parameter_count"] as? Int, 30_840)
    }

    func testTextFormPrintsBothTables() throws {
        let text = try ModelSummaryEntry.render(overrides: [], configPath: nil, format: .text)
        XCTAssertTrue(text.contains("Table 1"))
        XCTAssertTrue(text.contains("Table 2"))
        XCTAssertTrue(text.contains("conv k5 s1 p0, 6→16"))
        XCTAssertTrue(text.contains("44,878"))
    }

    /// Table 1 names each layer's parameters P_{i−1} (the names of weights.h5 and kernels/).
    func testTableOneNamesTheParameters() throws {
        let after = try ModelSummaryEntry.render(overrides: [], configPath: nil, format: .text)
        XCTAssertTrue(after.contains("1   conv k5 s1 p0, 1→6                n×6×24×24           P0   156\n"), after)
        XCTAssertTrue(after.contains("16  fully connected 84→10             n×10                P15  850\n"), after)
        let before = try ModelSummaryEntry.render(overrides: ["model.bn=before"], configPath: nil, format: .text)
        XCTAssertTrue(before.contains("2   batch norm                        n×6×24×24           P1   12\n"), before)
    }

    func testBadOverridesNameTheKey() {
        XCTAssertThrowsError(try summary(["model.bnn=none"])) { error in
            XCTAssertTrue("\(error)".contains("did you mean model.bn?"), "\(error)")
        }
        XCTAssertThrowsError(try summary(["model.bn=sideways"])) { error in
            XCTAssertTrue("\(error)".contains("sideways"), "\(error)")
        }
    }

    func testCommandParsesSpecFlags() throws {
        let command = try Exp.parseAsRoot(["model", "summary", "--set", "model.bn=none", "--format", "json"])
        XCTAssertTrue(command is ModelCommand.Summary)
    }
}
