import HDF5
import XCTest

final class AttributeTests: XCTestCase {
    func testStringAndNumericAttributesRoundTrip() throws {
        let path = try makeTemporaryDirectory(self) + "/attrs.h5"
        let json = #"{"name":"Bou\u00e9","μ":0.1,"emoji":"🧠"}"#
        let file = try HDF5File.create(path)
        try file.setAttribute("config_json", .string(json))
        try file.setAttribute("format", .string("exp-metrics"))
        try file.setAttribute("empty", .string(""))
        try file.setAttribute("format_version", .int64(1))
        try file.setAttribute("seed", .int64(-9_000_000_000_000))
        try file.setAttribute("lr", .double(0.1))
        try file.setAttribute("shape", .int64Array([16, 6, 5, 5]))
        try file.setAttribute("none", .int64Array([]))
        try file.setAttribute("curve", .doubleArray([0.5, -1e-300, .infinity]))
        try file.setAttribute("größe", .string("ä"))
        let dataset = try file.writeDataset("g/w", values: [Float(1), 2], shape: [2])
        try dataset.setAttribute("layer", .string("conv"))
        try dataset.setAttribute("index", .int64(4))
        try file.openGroup("g").setAttribute("note", .string("gruppe"))
        try file.setAttribute("lr", .double(0.05)) // replaces
        try file.close()

        let reader = try HDF5File.open(path)
        defer { try? reader.close() }
        XCTAssertEqual(try reader.attributeNames(),
                       ["config_json", "curve", "empty", "format", "format_version", "größe", "lr", "none", "seed", "shape"])
        XCTAssertEqual(try reader.stringAttribute("config_json"), json)
        XCTAssertEqual(try reader.stringAttribute("format"), "exp-metrics")
        XCTAssertEqual(try reader.stringAttribute("empty"), "")
        XCTAssertEqual(try reader.stringAttribute("größe"), "ä")
        XCTAssertEqual(try reader.int64Attribute("format_version"), 1)
        XCTAssertEqual(try reader.int64Attribute("seed"), -9_000_000_000_000)
        XCTAssertEqual(try reader.doubleAttribute("lr"), 0.05)
        XCTAssertEqual(try reader.attribute("shape"), .int64Array([16, 6, 5, 5]))
        XCTAssertEqual(try reader.attribute("none"), .int64Array([]))
        XCTAssertEqual(try reader.attribute("curve"), .doubleArray([0.5, -1e-300, .infinity]))
        let w = try reader.openDataset("g/w")
        XCTAssertEqual(try w.attributeNames(), ["index", "layer"])
        XCTAssertEqual(try w.stringAttribute("layer"), "conv")
        XCTAssertEqual(try w.int64Attribute("index"), 4)
        XCTAssertEqual(try reader.openGroup("g").stringAttribute("note"), "gruppe")
        XCTAssertTrue(try reader.hasAttribute("seed"))
        XCTAssertFalse(try reader.hasAttribute("missing"))
    }

    func testWrongKindOrMissingAttributeThrows() throws {
        let path = try makeTemporaryDirectory(self) + "/attrs.h5"
        let file = try HDF5File.create(path)
        try file.setAttribute("n", .int64(3))
        XCTAssertThrowsError(try file.stringAttribute("n")) { error in
            XCTAssertTrue(String(describing: error).contains("not a string"), "\(error)")
        }
        XCTAssertThrowsError(try file.doubleAttribute("n"))
        XCTAssertThrowsError(try file.int64Attribute("missing")) { error in
            let hdf5 = error as? HDF5Error
            XCTAssertEqual(hdf5?.object, "/")
            XCTAssertFalse(hdf5?.messages.isEmpty ?? true, "HDF5's own stack is reported")
        }
        try file.close()
    }
}
