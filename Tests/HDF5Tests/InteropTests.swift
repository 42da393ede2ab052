import Foundation
import HDF5
import TestSupport
import XCTest

/// Writes a sample file with every dtype, rank and attribute kind, then lets h5py check it
/// (scripts/check_interop.py, which re-derives every value from the same formulas).
final class InteropTests: XCTestCase {
    func testH5pyReadsWhatWeWrite() throws {
        let directory = try makeTemporaryDirectory(self)
        let config = #"{"name":"Boué","lr":0.1,"layers":[6,16],"note":"μ ≥ 0 🧠"}"#
        try HDF5File.writeAtomically(to: directory + "/interop.h5") { file in
            try file.setAttribute("format", .string("exp-interop"))
            try file.setAttribute("config_json", .string(config))
            try file.setAttribute("format_version", .int64(1))
            try file.setAttribute("learning_rate", .double(0.05))
            try file.setAttribute("shape", .int64Array([6, 1, 5, 5]))
            try file.setAttribute("curve", .doubleArray([0.5, 0.25]))
            try file.writeDataset("f32/scalar", values: [Float(3.5)], shape: [])
            try file.writeDataset("f32/vector", values: (0..<7).map { Float($0) * 0.5 }, shape: [7])
            try file.writeDataset("f64/matrix", values: (0..<12).map { Double($0) / 8 }, shape: [3, 4])
            try file.writeDataset("i32/tensor4", values: (0..<120).map { Int32($0) - 60 }, shape: [2, 3, 4, 5])
            try file.writeDataset("i64/big", values: (0..<3).map { Int64(1) << 40 + Int64($0) }, shape: [3])
            try file.writeDataset("u8/image", values: (0..<784).map { UInt8(($0 * 7) % 256) }, shape: [28, 28])
            try file.writeDataset("empty", values: [Float](), shape: [0])
            try file.writeDataset("f32/large", values: (0..<4096).map { Float($0 % 97) * 0.125 }, shape: [64, 64])
            let w = try file.writeDataset("epoch_0001/P0/w", values: (0..<150).map { Float($0) / 150 }, shape: [6, 1, 5, 5])
            try w.setAttribute("layer", .string("conv"))
            try w.setAttribute("index", .int64(0))
            try file.openGroup("epoch_0001").setAttribute("größe", .string("ä"))
        }
        let result = try runInteropScript(on: directory)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("ok interop.h5"), result.output)
    }

    /// The other direction: h5py writes, this module reads (attribute conversions, fixed-length
    /// strings, h5py's own compression settings).
    func testWeReadWhatH5pyWrites() throws {
        let directory = try makeTemporaryDirectory(self)
        try requireInteropPython()
        let path = directory + "/from_h5py.h5"
        let script = """
        import h5py, numpy as np, sys
        with h5py.File(sys.argv[1], "w") as f:
            f.attrs["vlen"] = "Boué"
            f.attrs["fixed"] = np.bytes_(b"ascii")
            f.attrs["i32"] = np.int32(-7)
            f.attrs["f32"] = np.float32(0.5)
            f.attrs["arr"] = np.array([1, 2, 3], dtype=np.int16)
            f.create_dataset("g/w", data=np.arange(2000, dtype=np.float32).reshape(40, 50),
                             compression="gzip", shuffle=True)
            f.create_dataset("i16", data=np.arange(3, dtype=np.int16))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        let file = try HDF5File.open(path)
        defer { try? file.close() }
        XCTAssertEqual(try file.stringAttribute("vlen"), "Boué")
        XCTAssertEqual(try file.stringAttribute("fixed"), "ascii")
        XCTAssertEqual(try file.int64Attribute("i32"), -7)
        XCTAssertEqual(try file.doubleAttribute("f32"), 0.5)
        XCTAssertEqual(try file.attribute("arr"), .int64Array([1, 2, 3]))
        let w = try file.readDataset("g/w", as: Float.self)
        XCTAssertEqual(w.shape, [40, 50])
        XCTAssertEqual(w.values, (0..<2000).map(Float.init))
        XCTAssertEqual(try file.openDataset("g/w").info().filters.first, .shuffle)
        XCTAssertNil(try file.openDataset("i16").info().dataType, "int16 is not a supported element type")
        XCTAssertThrowsError(try file.readDataset("i16", as: Int32.self))
    }
}
