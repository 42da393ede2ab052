// A worked example of a user plugin: the test-set confusion matrix of every epoch, written as
// results/<sweep>/<run>/confusion/epoch_NNNN.csv (rows = true class, columns = predicted).

import ExpCLI
import Experiments
import Foundation
import Layers

/// Writes the confusion matrix of the test set at every epoch end (inference mode).
final class ConfusionMatrixPlugin: ExperimentPlugin {
    static let name = "confusion-matrix"
    /// Only observes: adding it to a sweep does not change the run ids.
    static let observesOnly = true
    static let optionKeys: [String]? = ["every"]

    /// Write every `every` epochs (default 1).
    let every: Int

    init(options: JSONObject) throws {
        every = Int(options["every"]?.integerValue ?? 1)
        guard every >= 1 else {
            throw PluginOptionError(plugin: Self.name, option: "every", message: "\(every) must be ≥ 1")
        }
    }

    func handle(_ event: TrainingEvent, context: RunContext) throws -> PluginDecision {
        guard case .epochEnd = event, context.epoch % every == 0 || context.isLastEpoch else { return .proceed }
        let m = context.dataset.classCount
        var counts = [[Int]](repeating: [Int](repeating: 0, count: m), count: m)
        let test = context.dataset.test
        for start in stride(from: 0, to: test.count, by: 1000) {
            let indices = Array(start..<min(start + 1000, test.count))
            let logits = try context.activations(context.testImages(indices)).last!
            let score = SoftmaxCrossEntropy<Float>.score(logits: logits, labels: indices.map { Int(test.labels[$0]) })
            for (k, i) in indices.enumerated() { counts[Int(test.labels[i])][score.predictions[k]] += 1 }
        }
        let directory = context.path("confusion")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let csv = counts.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "\n") + "\n"
        try csv.write(toFile: directory + String(format: "/epoch_%04d.csv", context.epoch), atomically: true, encoding: .utf8)
        return .proceed
    }
}
