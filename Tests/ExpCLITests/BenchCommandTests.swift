import Foundation
import XCTest

@testable import ExpCLI

/// `exp bench`'s options: malformed lists, counts out of range, nothing to measure and batch
/// sizes larger than the loaded splits are bad input (exit 64, a message naming the option and
/// the value), with and without `--profile`; none of them crashes.
final class BenchCommandTests: XCTestCase {
    static let mnist = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/mnist").path

    /// The committed MNIST, cut to 100 training and 50 test samples.
    static let small = ["--set", "dataset.path=\(mnist)", "--set", "dataset.train_limit=100", "--set", "dataset.test_limit=50"]

    /// Runs `exp bench` with `arguments` and asserts exit 64, `message` on stderr, nothing on stdout.
    private func assertRefused(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runExp(["bench"] + arguments)
        XCTAssertEqual(result.code, 64, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains("exp: \(message)\n"), "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("Fatal error"), file: file, line: line)
        XCTAssertEqual(result.stdout, "", "\(arguments)", file: file, line: line)
    }

    func testMalformedBatchSizeListsAreRefused() throws {
        for (list, item) in [("16,,64", "''"), ("64,", "''"), ("16,x", "'x'"), ("0", "'0'")] {
            let result = try runExp(["bench", "--batch-sizes", list, "--steps", "1", "--repetitions", "1"])
            XCTAssertEqual(result.code, 64, list)
            XCTAssertTrue(result.stderr.contains("--batch-sizes: \(item) in '\(list)' is not a positive integer"),
                          "\(list): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", list)
        }
    }

    /// Checked before any data is loaded, on both paths (--steps 0 and -3 crashed --profile).
    func testCountsOutOfRangeAreRefusedWithAndWithoutProfile() throws {
        for profile in [[], ["--profile"]] {
            try assertRefused(profile + ["--steps", "0"], "--steps 0: must be in 1…100000, e.g. --steps 50")
            try assertRefused(profile + ["--steps=-3"], "--steps -3: must be in 1…100000, e.g. --steps 50")
            try assertRefused(profile + ["--steps", "100001"], "--steps 100001: must be in 1…100000, e.g. --steps 50")
            try assertRefused(profile + ["--repetitions", "0"], "--repetitions 0: must be in 1…1000, e.g. --repetitions 5")
            try assertRefused(profile + ["--batch-sizes", "60001"],
                              "--batch-sizes 60001: 60001 is out of range; each batch size must be in 1…60000 (at most the training set), e.g. --batch-sizes 16,64,256")
            try assertRefused(profile + ["--inference-batch-sizes", "1000,70000"],
                              "--inference-batch-sizes 1000,70000: 70000 is out of range; each batch size must be in 1…60000 (at most the training set), e.g. --inference-batch-sizes 16,64,256")
            try assertRefused(profile + ["--threads", "1000000"],
                              "--threads 1000000: 1000000 is out of range; each thread count must be in 1…256, e.g. --threads 1,2")
            try assertRefused(profile + ["--threads", "1,257"],
                              "--threads 1,257: 257 is out of range; each thread count must be in 1…256, e.g. --threads 1,2")
        }
    }

    func testNothingToMeasureIsRefused() throws {
        try assertRefused(["--threads", "none"], "exp bench --threads none: nothing to measure; give at least one thread count, e.g. --threads 1")
        try assertRefused(["--profile", "--threads", "none"],
                          "exp bench --profile --threads none: nothing to measure; give at least one thread count, e.g. --threads 1")
        try assertRefused(["--batch-sizes", "none", "--inference-batch-sizes", "none"],
                          "exp bench --batch-sizes none --inference-batch-sizes none: nothing to measure; give training or inference batch sizes, e.g. --batch-sizes 64")
        try assertRefused(["--profile", "--batch-sizes", "none"],
                          "exp bench --profile --batch-sizes none: the profile times training steps at the first training batch size; give one, e.g. --batch-sizes 64")
    }

    /// Batch sizes are checked against the splits after train_limit / validation / test_limit:
    /// a training batch larger than the training set divided by zero; an inference batch larger
    /// than the test set was clamped but reported at the size asked for. Both are refused.
    func testBatchSizesLargerThanTheLoadedSplitsAreRefused() throws {
        let trainMessage = "--batch-sizes 200: 200 is larger than the training set, which holds 100 samples (dataset.train_limit = 100); "
            + "use batch sizes of at most 100, or raise dataset.train_limit"
        try assertRefused(Self.small + ["--batch-sizes", "200", "--inference-batch-sizes", "none", "--threads", "1"], trainMessage)
        try assertRefused(Self.small + ["--profile", "--batch-sizes", "200", "--threads", "1"], trainMessage)
        try assertRefused(Self.small + ["--batch-sizes", "100", "--inference-batch-sizes", "51", "--threads", "1"],
                          "--inference-batch-sizes 51: 51 is larger than the test set, which holds 50 images (dataset.test_limit = 50); "
                          + "use batch sizes of at most 50, or none")
        try assertRefused(["--set", "dataset.path=\(Self.mnist)", "--batch-sizes", "none", "--inference-batch-sizes", "60000", "--threads", "1"],
                          "--inference-batch-sizes 60000: 60000 is larger than the test set, which holds 10000 images; use batch sizes of at most 10000, or none")
        try assertRefused(["--set", "dataset.path=\(Self.mnist)", "--set", "dataset.validation=59900",
                           "--batch-sizes", "16,101", "--inference-batch-sizes", "none", "--threads", "1"],
                          "--batch-sizes 16,101: 101 is larger than the training set, which holds 100 samples (dataset.validation = 59900 held out); "
                          + "use batch sizes of at most 100, or lower dataset.validation")
    }

    func testNetworksWithShortcutsAreNotProfiled() throws {
        try assertRefused(Self.small + ["--profile", "--set", "model.architecture=lenet5-residual", "--set", "model.residual=true",
                                        "--batch-sizes", "16", "--threads", "1", "--steps", "1"],
                          "exp bench --profile: networks with shortcuts are not profiled (model.architecture = lenet5-residual); "
                          + "profile a network without them, e.g. --set model.architecture=lenet5, or drop --profile")
    }

    /// A batch as large as the whole (limited) training set and the test set is accepted and
    /// measured at that size; the profile reports the batch size and thread count used.
    func testBatchesOfTheWholeSplitAreMeasured() throws {
        let result = try runExp(["bench"] + Self.small + ["--batch-sizes", "100", "--inference-batch-sizes", "50", "--threads", "1",
                                                          "--steps", "1", "--repetitions", "1", "--format", "json"])
        XCTAssertEqual(result.code, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let train = try XCTUnwrap(json?["train"] as? [[String: Any]]), inference = try XCTUnwrap(json?["inference"] as? [[String: Any]])
        XCTAssertEqual(train.map { $0["batch_size"] as? Int }, [100])
        XCTAssertEqual(inference.map { $0["batch_size"] as? Int }, [50])
        XCTAssertEqual(inference.map { $0["threads"] as? Int }, [1])
        let profile = try runExp(["bench"] + Self.small + ["--profile", "--batch-sizes", "100,16", "--threads", "2,1", "--steps", "1"])
        XCTAssertEqual(profile.code, 0, profile.stderr)
        XCTAssertTrue(profile.stdout.hasPrefix("per-layer median ms at n = 100 (training mode, engine threads 2)\n"), profile.stdout)
        XCTAssertEqual(profile.stdout.split(separator: "\n").count, 2 + 16 + 1, profile.stdout)   // title, header, 16 layers, sum
        // Only the batch size profiled must fit the training set: the default 16,64,256 profiles n = 16.
        let defaults = try runExp(["bench"] + Self.small + ["--profile", "--threads", "1", "--steps", "1"])
        XCTAssertEqual(defaults.code, 0, defaults.stderr)
        XCTAssertTrue(defaults.stdout.hasPrefix("per-layer median ms at n = 16 (training mode, engine threads 1)\n"), defaults.stdout)
    }

    /// The bench times --batch-sizes only: training.batch_size's default (64) is not checked
    /// against a training set of 20 (it was refused, blaming a --set the user never gave).
    func testTrainingBatchSizeDefaultIsNotCheckedAgainstASmallTrainLimit() throws {
        let result = try runExp(["bench", "--set", "dataset.path=\(Self.mnist)", "--set", "dataset.train_limit=20",
                                 "--batch-sizes", "16", "--inference-batch-sizes", "none", "--threads", "1",
                                 "--steps", "1", "--repetitions", "1", "--format", "json"])
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("training.batch_size"), result.stderr)
        try assertRefused(Self.small + ["--profile", "--format", "json"],
                          "exp bench --profile prints a text table only; drop --format json (or --profile)")
    }
}
