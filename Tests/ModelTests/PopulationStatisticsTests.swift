import Layers
import Model
import Tensor
import TestSupport
import XCTest

/// `bn_inference = population` (paper §9): the BN buffers become the exact training-set
/// mean and unbiased variance of each BN layer's input.
final class PopulationStatisticsTests: XCTestCase {
    func testBuffersEqualTheMomentsOfEachBatchNormInput() throws {
        var net = try Network<Double>(ModelConfiguration())
        net.initialize(seed: 3)
        let chunks = (0..<3).map { randomTensor([5, 1, 28, 28], seed: UInt64(10 + $0)) }
        try net.setPopulationStatistics { AnySequence(chunks) }
        // Layer 3 (P2) normalises A2 (6 channels): its input does not depend on other BN layers.
        var probe = net
        let inputs = try chunks.map { try probe.forward($0, mode: .inference, keepActivations: true).activations[2] }
        for channel in [0, 5] {
            var values: [Double] = []
            for a in inputs { for i in 0..<5 { values += a.scalars[((i * 6 + channel) * 576)..<((i * 6 + channel + 1) * 576)] } }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
            XCTAssertEqual(try net.tensor(named: "P2.running_mean")[channel], mean, accuracy: 1e-12)
            XCTAssertEqual(try net.tensor(named: "P2.running_var")[channel], variance, accuracy: 1e-12)
        }
        // The last BN layer (P14) is set after the earlier ones: its statistics are those of its
        // input in inference mode with the population statistics in place.
        let a14 = try chunks.map { try probe.forward($0, mode: .inference, keepActivations: true).activations[14] }
        let values = a14.flatMap { a in (0..<5).map { a.scalars[$0 * 84 + 7] } }
        let mean = values.reduce(0, +) / Double(values.count)
        XCTAssertEqual(try net.tensor(named: "P14.running_mean")[7], mean, accuracy: 1e-12)
    }
}
