@testable import Experiments
import XCTest

final class SweepExpansionTests: XCTestCase {
    let batchsize = """
        {"name": "batchsize", "description": "n with fixed λ",
         "base": {"training": {"epochs": 1}},
         "seeds": [0, 1],
         "grid": {"training.batch_size": [16, 64], "model.bn": ["after", "none"]}}
        """

    func expand(_ text: String, overrides: [Override] = [], maximumRuns: Int = Sweep.defaultMaximumRuns) throws -> [PlannedRun] {
        try Sweep.parse(text, file: "s.json").expand(overrides: overrides, maximumRuns: maximumRuns, file: "s.json")
    }

    /// The message of the error that parsing and expanding `text` throws.
    func message(_ text: String, overrides: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let runs = try expand(text, overrides: overrides.map { try Override.parse($0) })
            XCTFail("accepted \(runs.count) runs", file: file, line: line)
            return ""
        } catch { return "\(error)" }
    }

    /// Golden ids and names from `/usr/bin/python3 scripts/config-golden.py` (SPEC.md's
    /// defaults by hand, RFC 8785 canonical JSON, hashlib.sha256).
    /// (Also: the default configuration's id 1faca9f5, its identity JSON, the early-stopping
    /// id 07de6606, and 1a647489 for training.momentum = 0.9 via `run_id(config(0, training__momentum=0.9))`.)
    func testNumberingIdsAndDirectoryNames() throws {
        let runs = try expand(batchsize)
        XCTAssertEqual(runs.map(\.number), Array(0..<8))
        XCTAssertEqual(runs.map(\.directoryName), [
            "bn=after,batch_size=16,seed=0-b5ae0a2f", "bn=after,batch_size=16,seed=1-b5197421",
            "bn=none,batch_size=16,seed=0-e86eb435", "bn=none,batch_size=16,seed=1-02ea8f0a",
            "bn=after,batch_size=64,seed=0-12e7795c", "bn=after,batch_size=64,seed=1-740c11f0",
            "bn=none,batch_size=64,seed=0-c7c5a539", "bn=none,batch_size=64,seed=1-7a4630a0",
        ])
        XCTAssertEqual(runs[2].overrides, JSONObject([("training.batch_size", 16), ("model.bn", "none")]))
        XCTAssertEqual(runs[2].sweepEntry.canonicalJSON,
                       #"{"dir":"bn=none,batch_size=16,seed=0-e86eb435","id":"e86eb435","overrides":{"model.bn":"none","training.batch_size":16},"seed":0}"#)
        XCTAssertEqual(runs[7].configuration["training.epochs"], 1)
    }

    func testDefaultRunIdAndWhatDoesNotCount() throws {
        let plain = try ConfigurationResolver(file: "s").resolve(base: [:], seed: 0)
        XCTAssertEqual(RunIdentity.id(of: plain, catalog: .builtins), "1faca9f5")
        XCTAssertEqual(RunIdentity.identityJSON(of: plain, catalog: .builtins).canonicalJSON, """
            {"dataset":{"name":"mnist","normalize":"standardize","test_images":null,"test_labels":null,"test_limit":null,\
            "train_images":null,"train_labels":null,"train_limit":null,"validation":0},"model":{"activation":"relu",\
            "architecture":"lenet5","blocks_per_stage":1,"bn":"after","bn_epsilon":0.00001,"bn_inference":"running",\
            "bn_momentum":0.1,"init":"pytorch","layers":null,"residual":false},"plugins":[],"seed":0,"training":\
            {"batch_size":64,"drop_last":false,"epochs":5,"learning_rate":0.1,"learning_rate_scaling":null,\
            "loss_reduction":"mean","momentum":0,"schedule":{"type":"constant"},"shuffle":true,"warmup_epochs":0,\
            "weight_decay":0}}
            """)
        let busy = try ConfigurationResolver(file: "s").resolve(base: [
            "plugins": [["name": "progress", "enabled": false], ["name": "early-stopping", "patience": 2]],
            "dataset": ["path": "/data/mnist"], "training": ["threads": 4],
            "exports": ["weights_every": 0, "kernels_every": 2, "activations_every": 3, "activation_images": [5]],
        ], seed: 0)
        XCTAssertEqual(RunIdentity.id(of: busy, catalog: .builtins), "07de6606")
        let plainEarlyStopping = try ConfigurationResolver(file: "s").resolve(
            base: ["plugins": [["name": "early-stopping", "patience": 2]]], seed: 0)
        XCTAssertEqual(RunIdentity.id(of: plainEarlyStopping, catalog: .builtins), "07de6606")
    }

    func testOnlySeedVariesAndZipCrossesGrid() throws {
        XCTAssertEqual(try expand(#"{"name": "one", "seeds": [0]}"#).map(\.directoryName), ["seed=0-1faca9f5"])
        let runs = try expand("""
            {"name": "lr", "seeds": [7, 8], "grid": {"model.bn": ["after", "none"]},
             "zip": [{"training.learning_rate": 0.05, "training.momentum": 0.9}, {"training.learning_rate": 1e-5}]}
            """)
        XCTAssertEqual(runs.count, 8)
        XCTAssertEqual(runs.map { "\($0.configuration["model.bn"].stringValue!) \($0.configuration["training.learning_rate"].canonicalJSON) \($0.seed)" }, [
            "after 0.05 7", "after 0.05 8", "after 0.00001 7", "after 0.00001 8",
            "none 0.05 7", "none 0.05 8", "none 0.00001 7", "none 0.00001 8",
        ])
        XCTAssertTrue(runs[0].directoryName.hasPrefix("bn=after,learning_rate=0.05,momentum=0.9,seed=7-"), runs[0].directoryName)
        XCTAssertTrue(runs[2].directoryName.hasPrefix("bn=after,learning_rate=0.00001,momentum=0,seed=7-"), runs[2].directoryName)
    }

    func testStructuredValuesInDirectoryNames() throws {
        let runs = try expand(#"{"name": "s", "grid": {"training.schedule": [{"type": "constant"}, {"type": "cosine", "min_lr": 0.001}]}}"#)
        XCTAssertTrue(runs[1].directoryName.hasPrefix("schedule=_min_lr_0.001_type_cosine_,seed=0-"), runs[1].directoryName)
        XCTAssertEqual(RunIdentity.sanitized("a b/c:é+1e-7"), "a_b_c__+1e-7")
        let configuration = try ConfigurationResolver(file: "s").resolve(base: [:], seed: 2)
        XCTAssertEqual(RunIdentity.directoryName(varyingKeys: ["a.momentum", "b.momentum", "model.bn"], configuration: configuration, id: "x"),
                       "a.momentum=null,b.momentum=null,bn=after,seed=2-x")
    }

    func testSetReplacesAGridAxisAndZipValues() throws {
        let runs = try expand(batchsize, overrides: [try Override.parse("training.batch_size=32"), try Override.parse("model.activation=tanh")])
        XCTAssertEqual(runs.map(\.directoryName), ["bn=after,seed=0-", "bn=after,seed=1-", "bn=none,seed=0-", "bn=none,seed=1-"]
            .enumerated().map { $1 + runs[$0].id })
        XCTAssertEqual(Set(runs.map { $0.configuration["training.batch_size"] }), [32])
        XCTAssertEqual(Set(runs.map { $0.configuration["model.activation"] }), ["tanh"])
        XCTAssertEqual(runs[0].overrides, JSONObject([("model.bn", "after")]))
        let zipped = try expand(#"{"name": "z", "zip": [{"training.learning_rate": 0.05}, {"training.learning_rate": 0.5}]}"#,
                                overrides: [try Override.parse("training.learning_rate=0.2")])
        XCTAssertEqual(zipped.map(\.directoryName), zipped.map { "seed=0-\($0.id)" })
        XCTAssertEqual(zipped.count, 1)
        XCTAssertEqual(zipped[0].configuration["training.learning_rate"], 0.2)
    }

    func testOverrideParsing() throws {
        XCTAssertEqual(try Override.parse("training.batch_size=16"), Override(key: "training.batch_size", value: 16))
        XCTAssertEqual(try Override.parse("model.bn=before"), Override(key: "model.bn", value: "before"))
        XCTAssertEqual(try Override.parse(#"model.bn="none""#), Override(key: "model.bn", value: "none"))
        XCTAssertEqual(try Override.parse("training.learning_rate=1e-2"), Override(key: "training.learning_rate", value: 0.01))
        XCTAssertEqual(try Override.parse(#"training.schedule={"type":"cosine"}"#).value, ["type": "cosine", "min_lr": 0.0])
        XCTAssertEqual(try Override.parse("dataset.path=/tmp/a=b").value, "/tmp/a=b")
        XCTAssertThrowsError(try Override.parse("training.batchsize=16")) { error in
            XCTAssertEqual("\(error)", "--set: training.batchsize: unknown key; did you mean training.batch_size?")
        }
        XCTAssertThrowsError(try Override.parse("training.batch_size=0")) { error in
            XCTAssertEqual("\(error)", "--set: training.batch_size = 0: must be an integer ≥ 1")
        }
        XCTAssertThrowsError(try Override.parse("training.epochs")) { error in
            XCTAssertEqual("\(error)", "--set: training.epochs: expected KEY=VALUE, e.g. --set training.batch_size=16")
        }
    }

    func testBadSweeps() {
        XCTAssertEqual(message(#"{"name": "../x"}"#),
                       #"s.json: name = "../x": must be a plain directory name: a letter or digit, then letters, digits, '_', '.' or '-'"#)
        XCTAssertEqual(message(#"{"base": {}}"#), "s.json: name: required key is missing")
        XCTAssertEqual(message(#"{"name": "a", "sedes": [1]}"#), "s.json: sedes: unknown key; did you mean seeds?")
        XCTAssertEqual(message(#"{"name": "a", "seeds": [-1]}"#), "s.json: seeds[0] = -1: must be an integer ≥ 0")
        XCTAssertEqual(message(#"{"name": "a", "seeds": [1, 1]}"#), "s.json: seeds[1] = 1: appears twice; list each seed once")
        XCTAssertEqual(message(#"{"name": "a", "grid": {"training.batch_size": []}}"#),
                       "s.json: grid.training.batch_size = []: expected a non-empty array of values, got array")
        XCTAssertEqual(message(#"{"name": "a", "grid": {"training.batchsize": [1]}}"#),
                       "s.json: grid.training.batchsize: unknown key; did you mean training.batch_size?")
        XCTAssertEqual(message(#"{"name": "a", "grid": {"training.batch_size": [16, 0]}}"#),
                       "s.json: grid.training.batch_size[1] = 0: must be an integer ≥ 1")
        XCTAssertEqual(message(#"{"name": "a", "grid": {"model.bn": ["after", "after"]}}"#),
                       #"s.json: grid.model.bn[1] = "after": appears twice in this axis; list each value once"#)
        XCTAssertEqual(message(#"{"name": "a", "zip": [{"training.lr": 0.1}]}"#),
                       "s.json: zip[0].training.lr: unknown key; known keys: " + ConfigurationKeys.paths.joined(separator: ", "))
        XCTAssertEqual(message(#"{"name": "a", "zip": [{"training.momentum": 0.9}, {"training.momentum": 0.9}]}"#),
                       "s.json: runs 0 and 1 have the same configuration and seed (directory seed=0-1a647489); remove the duplicate zip entry or grid value")
        XCTAssertEqual(message(#"{"name": "a", "base": {"training": {"epochs": 0}}}"#),
                       "s.json: base.training.epochs = 0: must be an integer from 1 to 100000")
        XCTAssertEqual(message("{\"name\": \"a\",}"), "s.json:1:13: trailing comma before '}'")
    }

    func testMaximumRunCount() throws {
        let big = #"{"name": "big", "seeds": [0, 1, 2], "grid": {"training.epochs": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "training.batch_size": [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 60000, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37]}}"#
        XCTAssertThrowsError(try expand(big)) { error in
            XCTAssertEqual("\(error)", "s.json: the sweep expands to 1020 runs, more than the limit of 1000; shrink the grid or raise the limit with --max-runs 1020")
        }
        XCTAssertEqual(try expand(big, maximumRuns: 1020).count, 1020)
    }
}
