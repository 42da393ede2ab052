import HDF5
import XCTest

final class GroupTests: XCTestCase {
    func testNestedGroupsChildrenAndExists() throws {
        let path = try makeTemporaryDirectory(self) + "/groups.h5"
        let file = try HDF5File.create(path)
        let layer = try file.createGroup("epoch_0001/P0")
        XCTAssertEqual(layer.objectPath, "/epoch_0001/P0")
        try layer.writeDataset("w", values: [Float](repeating: 0, count: 6), shape: [6, 1])
        try layer.writeDataset("b", values: [Float](repeating: 0, count: 6), shape: [6])
        try file.createGroup("epoch_0000")
        try file.createGroup("/epoch_0001/P2")
        try file.close()

        let reader = try HDF5File.open(path)
        XCTAssertEqual(try reader.children(), ["epoch_0000", "epoch_0001"])
        let epoch = try reader.openGroup("epoch_0001")
        XCTAssertEqual(try epoch.children(), ["P0", "P2"])
        XCTAssertEqual(try epoch.openGroup("P0").children(), ["b", "w"])
        XCTAssertTrue(try reader.exists("epoch_0001/P0/w"))
        XCTAssertTrue(try reader.exists("/epoch_0001/P2"))
        XCTAssertTrue(try epoch.exists("P0/b"))
        XCTAssertFalse(try reader.exists("epoch_0002/P0/w"))
        XCTAssertFalse(try reader.exists("epoch_0001/P4"))
        XCTAssertFalse(try reader.exists("epoch_0001/P0/w/deeper"), "w is a dataset, not a group")
        XCTAssertEqual(try reader.kind(of: "epoch_0001/P0"), .group)
        XCTAssertEqual(try reader.kind(of: "epoch_0001/P0/w"), .dataset)
        XCTAssertThrowsError(try reader.openGroup("nope"))
        try reader.close()
        XCTAssertFalse(reader.isOpen)
        // The strong close degree closed the group too: using it now throws, it does not crash.
        XCTAssertThrowsError(try epoch.children())
    }

    func testReadWriteModeAddsToAnExistingFile() throws {
        let path = try makeTemporaryDirectory(self) + "/rw.h5"
        let file = try HDF5File.create(path)
        try file.writeDataset("a", values: [Int64(1)], shape: [1])
        try file.close()
        let writer = try HDF5File.open(path, mode: .readWrite)
        try writer.writeDataset("b", values: [Int64(2)], shape: [1])
        try writer.close()
        let reader = try HDF5File.open(path)
        XCTAssertEqual(try reader.children(), ["a", "b"])
        XCTAssertEqual(try reader.readDataset("b", as: Int64.self).values, [2])
        XCTAssertThrowsError(try reader.writeDataset("c", values: [Int64(3)], shape: [1]), "read-only file")
        try reader.close()
    }

    /// Every id opened by the wrapper is closed again, on success and on failure paths.
    func testNoHandlesLeak() throws {
        let path = try makeTemporaryDirectory(self) + "/leaks.h5"
        let file = try HDF5File.create(path)
        do {
            let group = try file.createGroup("a/b")
            let dataset = try group.writeDataset("w", values: [Float](repeating: 1, count: 2048), shape: [2, 1024])
            try dataset.setAttribute("layer", .string("conv"))
            try file.setAttribute("n", .doubleArray([1, 2]))
            _ = try dataset.info()
            _ = try dataset.read(as: Float.self)
            _ = try file.attributeNames()
            _ = try file.children()
            _ = try file.exists("a/b/w/c")
            _ = try dataset.stringAttribute("layer")
            XCTAssertEqual(try file.openObjectCount(), 3, "file, group and dataset while they are alive")
            XCTAssertThrowsError(try dataset.read(as: Double.self))
            XCTAssertThrowsError(try file.int64Attribute("n"))
            XCTAssertThrowsError(try file.openDataset("missing"))
            XCTAssertThrowsError(try group.writeDataset("w", values: [Float(1)], shape: [1]))
        }
        XCTAssertEqual(try file.openObjectCount(), 1, "only the file itself")
        try file.close()
        XCTAssertThrowsError(try file.openObjectCount())
    }
}
