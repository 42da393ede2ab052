import Datasets
@testable import Experiments
import XCTest

final class RunIdentityTests: XCTestCase {
    /// The SHA-256 run ids use by default: FIPS 180-2 known answers (the two-block one also
    /// checked with `printf … | sha256sum`).
    func testDefaultSHA256KnownAnswers() {
        XCTAssertEqual(datasetsSHA256(Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(datasetsSHA256([]),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(datasetsSHA256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testIdIsTheHashOfTheCanonicalIdentityJSON() throws {
        let configuration = try ConfigurationResolver(file: "s").resolve(base: ["model": ["bn": "none"]], seed: 4)
        let canonical = RunIdentity.identityJSON(of: configuration, catalog: .builtins).canonicalJSON
        XCTAssertEqual(RunIdentity.id(of: configuration), String(SHA256Hasher.hash(Array(canonical.utf8)).prefix(8)))
        XCTAssertEqual(RunIdentity.id(of: configuration, sha256: { _ in "0123456789abcdef" }), "01234567")
    }

    func testAUserPluginThatObservesDoesNotCount() throws {
        let catalog = PluginCatalog.builtins.adding([.init(name: "confusion-matrix", observes: true),
                                                     .init(name: "mixup", observes: false)])
        let resolver = ConfigurationResolver(file: "s", catalog: catalog)
        let plain = RunIdentity.id(of: try resolver.resolve(base: [:], seed: 0), catalog: catalog)
        let observed = RunIdentity.id(of: try resolver.resolve(base: ["plugins": [["name": "confusion-matrix", "every": 2]]], seed: 0), catalog: catalog)
        let changed = RunIdentity.id(of: try resolver.resolve(base: ["plugins": [["name": "mixup"]]], seed: 0), catalog: catalog)
        XCTAssertEqual(plain, "1faca9f5")
        XCTAssertEqual(observed, plain)
        XCTAssertNotEqual(changed, plain)
    }
}
