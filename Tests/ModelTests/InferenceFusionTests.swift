import Layers
import Model
import Tensor
import TestSupport
import XCTest

/// `Network.infer` (fused ReLU / BN / max pooling blocks) against `forward(_:mode: .inference)`
/// layer by layer: the same logits, bit for bit, for BN after / before / none and the residual
/// preset, with BN scales that are negative or ±0, on every instruction set and thread count.
/// (A −0 where +0 belongs inside the network rarely reaches the logits: PooledActivationTests
/// check the signed zeros of the fused blocks themselves.)
final class InferenceFusionTests: XCTestCase {
    override func tearDown() {
        DirectConvolution.instructionSetLevel = 2
        ElementwiseKernels.isEnabled = true
        Parallel.setThreads(nil)
    }

    /// A seeded network whose BN layers get scales cycling through positive, negative and ±0,
    /// shifts with ±0, and running statistics away from (0, 1).
    func network(_ configure: (inout ModelConfiguration) -> Void, inputShape: [Int] = [1, 28, 28]) throws -> Network<Float> {
        var c = ModelConfiguration()
        configure(&c)
        var net = try Network<Float>(c, inputShape: inputShape)
        net.initialize(seed: 3)
        let scales: [Float] = [1.5, -0.5, 0, 0.75, -0.0, -2, 1, 0.25, -1.25]
        let shifts: [Float] = [0.125, -0.0, 0, -0.25, 0.5, -0.0, 0.0625]
        var k = 0
        for name in net.parameterNames + net.bufferNames {
            let layer = Int(name.dropFirst().prefix { $0 != "." })!
            guard name.hasPrefix("P"), net.layers[layer].type == .batch_norm else { continue }
            var t = try net.tensor(named: name)
            for c in 0..<t.count {
                k += 1
                switch name.split(separator: ".")[1] {
                case "w": t[c] = scales[k % scales.count]
                case "b": t[c] = shifts[k % shifts.count]
                case "running_mean": t[c] = Float(k % 5) * 0.125 - 0.25
                default: t[c] = 0.5 + Float(k % 3) * 0.5
                }
            }
            try net.setTensor(t, named: name)
        }
        return net
    }

    /// n images with a third of the pixels exactly 0 (some −0), the rest in [−1, 2].
    func images(_ n: Int, shape: [Int] = [1, 28, 28], seed: UInt64 = 9) -> Tensor<Float> {
        let raw: Tensor<Double> = randomTensor([n] + shape, seed: seed, stream: 4, low: -1, high: 2)
        return Tensor(shape: [n] + shape, scalars: raw.scalars.enumerated().map { i, v in
            v < 0 ? (i % 2 == 0 ? 0 : -0.0) : Float((v * 16).rounded() / 16)
        })
    }

    func check(_ net: Network<Float>, _ x: Tensor<Float>, plan: [Int]?, _ label: String,
               file: StaticString = #filePath, line: UInt = #line) throws {
        if let plan { XCTAssertEqual(net.inferencePlan, plan, "\(label): inference steps", file: file, line: line) }
        var copy = net
        ElementwiseKernels.isEnabled = false
        let swift = try copy.forward(x, mode: .inference).output.scalars.map(\.bitPattern)
        ElementwiseKernels.isEnabled = true
        for level in [2, 1, 0] {
            DirectConvolution.instructionSetLevel = level
            for threads in [1, 2] {
                Parallel.setThreads(threads)
                let reference = try copy.forward(x, mode: .inference).output.scalars.map(\.bitPattern)
                let fused = try net.infer(x).scalars.map(\.bitPattern)
                XCTAssertEqual(fused, reference, "\(label): level \(level), \(threads) threads", file: file, line: line)
                XCTAssertEqual(reference, swift, "\(label): layer kernels vs Swift layers", file: file, line: line)
            }
        }
    }

    func testLeNetVariantsGiveTheLayersBits() throws {
        let x = images(37)
        let fused = [4, 4, 1, 1, 2, 1, 2, 1]   // conv + ReLU/BN/pool twice, flatten, fc, ReLU → BN, …
        for (bn, plan) in [(ModelConfiguration.BatchNormPlacement.after, fused), (.before, fused), (.none, [3, 3, 1, 1, 1, 1, 1, 1])] {
            try check(try network { $0.batchNorm = bn }, x, plan: plan, "lenet5 bn \(bn)")
        }
    }

    /// Residual blocks (conv → ReLU → BN → shortcut) fuse ReLU → BN; the stage heads pool.
    func testResidualPresetGivesTheLayersBits() throws {
        let net = try network { $0.architecture = .lenet5Residual; $0.residual = true; $0.blocksPerStage = 2 }
        let block = [1, 2, 1]   // conv3 p1, ReLU → BN, shortcut
        let stage = [4] + block + block
        try check(net, images(21, seed: 4), plan: stage + stage + [1, 1, 2, 1, 2, 1], "lenet5-residual")
    }

    /// Small layer lists: a shortcut reading data inside a ReLU → BN → pool run keeps that run
    /// unfused, one reading the convolution's output keeps the convolution apart; a padded
    /// convolution (no direct kernel) runs alone before its block; a direct one with it.
    func testShortcutsAndConvolutionKinds() throws {
        func layers(_ conv: LayerSpec, shortcut span: Int?) -> (inout ModelConfiguration) -> Void {
            { c in
                c.architecture = .layers
                c.layers = [conv, .activation(nil), .batchNorm, .maxPool(kernelSize: 2, stride: 2)]
                    + (span.map { [LayerSpec.shortcut(span: $0)] } ?? []) + [.flatten, .fullyConnected(outputFeatures: 10)]
            }
        }
        let padded = LayerSpec.conv(outputChannels: 4, kernelSize: 3, stride: 1, padding: 1)
        let x = images(5, shape: [1, 8, 8])
        try check(try network(layers(padded, shortcut: 2), inputShape: [1, 8, 8]), x, plan: [1, 1, 1, 1, 1, 1, 1],
                  "shortcut from A2 (ReLU output)")
        try check(try network(layers(padded, shortcut: 3), inputShape: [1, 8, 8]), x, plan: [1, 3, 1, 1, 1],
                  "shortcut from A1 (conv output)")
        try check(try network(layers(padded, shortcut: nil), inputShape: [1, 8, 8]), x, plan: [4, 1, 1], "padded conv")
        let direct = LayerSpec.conv(outputChannels: 16, kernelSize: 5)   // 12×12 → 8×8: the direct kernels
        try check(try network(layers(direct, shortcut: nil), inputShape: [1, 12, 12]), images(7, shape: [1, 12, 12]),
                  plan: [4, 1, 1], "direct conv")
    }

    /// BN parameters or statistics that are NaN or ±∞ (a diverged network): `infer` gives the
    /// layers' values and NaN exactly where they give NaN, but not always the same NaN — a
    /// fuzz test found the sign of NaN logits differing — which is what the doc comments and
    /// docs/PERFORMANCE.md now say (they claimed identical NaN bits, payloads included).
    func testNonFiniteBatchNormParametersGiveTheLayersValuesAndNaNs() throws {
        let specials: [Float] = [.nan, .infinity, -.infinity, -Float.nan, 0]
        var checked = 0
        for (case_, key) in ["P2.w", "P2.b", "P2.running_mean", "P2.running_var", "P6.w", "P11.b", "P14.running_var"].enumerated() {
            var net = try network { $0.batchNorm = .after }
            var t = try net.tensor(named: key)
            for c in 0..<t.count where c % 2 == case_ % 2 { t[c] = specials[(c + case_) % specials.count] }
            try net.setTensor(t, named: key)
            let x = images(9, seed: UInt64(20 + case_))
            for threads in [1, 2] {
                Parallel.setThreads(threads)
                var copy = net
                let reference = try copy.forward(x, mode: .inference).output.scalars
                let fused = try net.infer(x).scalars
                XCTAssertEqual(fused.count, reference.count)
                for (i, (a, b)) in zip(fused, reference).enumerated() {
                    if b.isNaN {
                        XCTAssertTrue(a.isNaN, "\(key) logit \(i): \(a), layers NaN")
                    } else {
                        XCTAssertEqual(a.bitPattern, b.bitPattern, "\(key) logit \(i): \(a) vs \(b)")
                    }
                }
                checked += reference.filter(\.isNaN).count
            }
        }
        XCTAssertGreaterThan(checked, 0, "no NaN logit: the cases test nothing")
    }

    /// Inputs the layers refuse, `infer` refuses too (odd sizes leave the fused blocks to the layers).
    func testInferRefusesWhatTheLayersRefuse() throws {
        let net = try network { _ in }
        XCTAssertThrowsError(try net.infer(images(2, shape: [1, 27, 27])))
        XCTAssertThrowsError(try net.infer(images(2, shape: [2, 28, 28])))
    }
}
