import ArgumentParser
@testable import ExpCLI
import Foundation
import XCTest

/// `exp data info|verify|fetch`: parsing, and the exit codes of the library entry points' errors.
final class DataCommandTests: XCTestCase {
    func testInfoParsesAndRuns() throws {
        let command = try Exp.parseAsRoot(["data", "info", "mnist"])
        let info = try XCTUnwrap(command as? DataCommand.Info)
        XCTAssertEqual(info.name, "mnist")
        XCTAssertNil(info.path)
        try info.run()  // finds data/mnist of this checkout from any working directory
        XCTAssertEqual((try Exp.parseAsRoot(["data", "info"]) as? DataCommand.Info)?.name, "mnist")
    }

    func testVerifyAndFetchParse() throws {
        let verify = try XCTUnwrap(try Exp.parseAsRoot(["data", "verify", "fashion-mnist", "--path", "/tmp/x"]) as? DataCommand.Verify)
        XCTAssertEqual(verify.name, "fashion-mnist")
        XCTAssertEqual(verify.path, "/tmp/x")
        let fetch = try XCTUnwrap(try Exp.parseAsRoot(["data", "fetch", "mnist", "--to", "d"]) as? DataCommand.Fetch)
        XCTAssertEqual(fetch.name, "mnist")
        XCTAssertEqual(fetch.to, "d")
        XCTAssertThrowsError(try Exp.parseAsRoot(["data", "fetch"]))  // NAME is required
    }

    func testExitCodes() throws {
        // Bad input (an unknown dataset name): 64.
        XCTAssertEqual(exitCode { try (Exp.parseAsRoot(["data", "info", "cifar"]) as! DataCommand.Info).run() }, 64)
        // Files that are not the published MNIST: verification failure, 1.
        let dir = NSTemporaryDirectory() + "exp-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 1, 3]
        let images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9]
        for (name, bytes) in [("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels),
                              ("t10k-images-idx3-ubyte", images), ("t10k-labels-idx1-ubyte", labels)] {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        XCTAssertEqual(exitCode { try (Exp.parseAsRoot(["data", "verify", "mnist", "--path", dir]) as! DataCommand.Verify).run() }, 1)
        // info still reports them (verified: no) and succeeds.
        XCTAssertEqual(exitCode { try (Exp.parseAsRoot(["data", "info", "mnist", "--path", dir]) as! DataCommand.Info).run() }, 0)
    }

    private func exitCode(_ body: () throws -> Void) -> Int32? {
        do { try body(); return 0 } catch let e as ExitCode { return e.rawValue } catch { return nil }
    }
}
