import Experiments
import Foundation
import XCTest

/// experiments/schema.json (for editors) agrees with the validator's key table, and the shipped
/// sweeps pass the validator.
final class SchemaTests: XCTestCase {
    static let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("experiments").path

    func testSchemaKeysAndDefaultsMatchTheKeyTable() throws {
        let text = try String(contentsOfFile: Self.experiments + "/schema.json", encoding: .utf8)
        let schema = try JSONParser.parse(text, file: "schema.json")
        let base = try XCTUnwrap(schema[path: "properties"]?[path: "base"]?[path: "properties"]?.objectValue)
        var paths: [String] = []
        var defaults: [String: JSONValue] = [:]
        for (section, value) in base {
            if section == "plugins" {
                paths.append("plugins")
                defaults["plugins"] = value[path: "default"]
                continue
            }
            for (key, rule) in value[path: "properties"]?.objectValue ?? JSONObject() {
                paths.append("\(section).\(key)")
                defaults["\(section).\(key)"] = rule[path: "default"]
            }
        }
        XCTAssertEqual(Set(paths), Set(ConfigurationKeys.paths))
        for key in ConfigurationKeys.all {
            XCTAssertEqual(defaults[key.path]?.canonicalJSON, key.defaultValue.canonicalJSON, key.path)
            if case let .oneOf(values) = key.rule {
                let section = String(key.path.split(separator: ".")[0]), leaf = String(key.path.split(separator: ".")[1])
                let schemaEnum = base[section]?[path: "properties"]?[path: leaf]?[path: "enum"]?.arrayValue?.compactMap(\.stringValue)
                XCTAssertEqual(schemaEnum, values, key.path)
            }
            if case let .integer(minimum, maximum, _) = key.rule {
                let section = String(key.path.split(separator: ".")[0]), leaf = String(key.path.split(separator: ".")[1])
                let rule = base[section]?[path: "properties"]?[path: leaf]
                XCTAssertEqual(rule?[path: "minimum"]?.integerValue, minimum, key.path)
                XCTAssertEqual(rule?[path: "maximum"]?.integerValue, maximum, key.path)
            }
        }
    }

    func testShippedSweepsAreValid() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.experiments)
            .filter { $0.hasSuffix(".json") && $0 != "schema.json" }.sorted()
        XCTAssertEqual(files, ["batchsize.json", "bn_placement.json", "learningrate.json", "residual.json"])
        for file in files {
            let path = Self.experiments + "/" + file
            let sweep = try Sweep.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
            XCTAssertEqual(sweep.name + ".json", file)
            XCTAssertFalse(sweep.description.isEmpty, file)
            let runs = try sweep.expand(file: path)
            XCTAssertGreaterThan(runs.count, 1, file)
        }
    }
}
