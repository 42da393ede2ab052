import Layers
import Tensor
import TestSupport
import XCTest

/// The fused inference blocks (ReLU / BN / 2×2 max pooling, CKernels pool_inference.c; ReLU → BN,
/// bn_inference.c) against the layers run one after the other in `.inference` mode: the same
/// bits, on every instruction set, 1 and 2 threads, with negative, zero and non-finite BN
/// constants, signed zeros and NaNs.
final class InferenceBlockTests: XCTestCase {
    override func tearDown() {
        DirectConvolution.instructionSetLevel = 2
        ElementwiseKernels.isEnabled = true
        Parallel.setThreads(nil)
    }

    /// Philox values in [−2, 2] rounded to 1/8 (ties, exact zeros), every zero given a random
    /// sign, and `nans` NaNs with distinct payloads.
    func input(_ shape: [Int], seed: UInt64, nans: Int = 0) -> Tensor<Float> {
        let raw: Tensor<Double> = randomTensor(shape, seed: seed, stream: 1, low: -2, high: 2)
        let signs: Tensor<Double> = randomTensor(shape, seed: seed, stream: 2)
        var values = zip(raw.scalars, signs.scalars).map { v, s -> Float in
            let r = Float((v * 8).rounded() / 8)
            return r == 0 ? (s < 0 ? -0.0 : 0.0) : r
        }
        for k in 0..<nans {
            values[(k * 7_919 + 13) % values.count] = Float(bitPattern: 0x7FC0_0000 | UInt32(k + 1) | (k % 2 == 0 ? 0 : 0x8000_0000))
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// A BN over d channels whose constants cycle through positive, negative, ±0 scales, ±0
    /// shifts and means, and (with `nonFinite`) running_var = ∞ (invStd = 0) or a NaN scale.
    func batchNorm(_ d: Int, epsilon: Double = 1e-5, nonFinite: Bool = false) -> BatchNorm<Float> {
        var bn = BatchNorm<Float>(featureCount: d, epsilon: epsilon)
        let scales: [Float] = [1.25, -0.75, 0, -0.0, 2, -1.5, 0.5, 3]
        let shifts: [Float] = [0.125, -0.0, 0, -0.25, -0.0, 0.5, 0, -1]
        let means: [Float] = [0.25, 0, -0.0, 0.5, 0, -0.375, 1, 0]
        let variances: [Float] = [0.5, 1, 2, 0.25, 1, 4, 0.75, 1]
        for c in 0..<d {
            bn.parameters[0][c] = scales[c % 8]
            bn.parameters[1][c] = shifts[(c / 2) % 8]
            bn.buffers[0][c] = means[(c + 3) % 8]
            bn.buffers[1][c] = variances[c % 8]
        }
        if nonFinite, d >= 3 {
            bn.buffers[1][0] = .infinity
            bn.parameters[0][1] = .nan
            bn.buffers[1][2] = 0   // with ε = 0: invStd = ∞
        }
        return bn
    }

    /// The three orders of layers the block fuses, with `bn`.
    func orders(_ bn: BatchNorm<Float>) -> [(String, [any Layer<Float>])] {
        let relu = Activation<Float>(.relu), pool = MaxPool<Float>(kernelSize: 2, stride: 2)
        return [("relu, BN, pool", [relu, bn, pool]), ("BN, relu, pool", [bn, relu, pool]), ("relu, pool", [relu, pool])]
    }

    func layerByLayer(_ layers: [any Layer<Float>], _ x: Tensor<Float>) throws -> Tensor<Float> {
        var a = x
        for var layer in layers { a = try layer.forwardErased(a, mode: .inference).0 }
        return a
    }

    func fused(_ layers: [any Layer<Float>], _ x: Tensor<Float>) throws -> Tensor<Float> {
        if layers.last is MaxPool<Float> {
            let block = try XCTUnwrap(PooledActivation(layers[...]), "no fused block for \(layers.map(\.type))")
            XCTAssertEqual(block.layerCount, layers.count)
            return try XCTUnwrap(block.forward(x), "the block refused \(x.shape)")
        }
        let block = try XCTUnwrap(NormalizedActivation(layers[...]), "no fused block for \(layers.map(\.type))")
        XCTAssertEqual(block.layerCount, layers.count)
        return try XCTUnwrap(block.forward(x), "the block refused \(x.shape)")
    }

    /// Every instruction set × 1, 2 threads: fused bits == the layer kernels' bits == the Swift
    /// reference layers' bits.
    func checkBits(_ layers: [any Layer<Float>], _ x: Tensor<Float>, _ label: String,
                   file: StaticString = #filePath, line: UInt = #line) throws {
        ElementwiseKernels.isEnabled = false
        let swift = try layerByLayer(layers, x).scalars.map(\.bitPattern)
        ElementwiseKernels.isEnabled = true
        for level in [2, 1, 0] {
            DirectConvolution.instructionSetLevel = level
            for threads in [1, 2] {
                Parallel.setThreads(threads)
                let reference = try layerByLayer(layers, x).scalars.map(\.bitPattern)
                let out = try fused(layers, x).scalars.map(\.bitPattern)
                XCTAssertEqual(reference, swift, "\(label): layer kernels vs Swift, level \(level)", file: file, line: line)
                let bad = zip(out, reference).enumerated().filter { $0.element.0 != $0.element.1 }
                XCTAssertTrue(bad.isEmpty, "\(label), level \(level), \(threads) threads: \(bad.count) cells differ, first "
                              + "\(bad.prefix(3).map { "#\($0.offset): \(Float(bitPattern: $0.element.0)) vs \(Float(bitPattern: $0.element.1))" })",
                              file: file, line: line)
            }
        }
    }

    /// LeNet-5's two pooled shapes and odd widths (blocks of 8 and 4 outputs, scalar tails).
    func testSameBitsAsTheLayers() throws {
        for (k, shape) in [[5, 6, 24, 24], [4, 16, 8, 8], [3, 7, 6, 30], [2, 3, 2, 2], [1, 9, 4, 18]].enumerated() {
            let x = input(shape, seed: 40 + UInt64(k))
            for (name, layers) in orders(batchNorm(shape[1])) { try checkBits(layers, x, "\(name) \(shape)") }
        }
    }

    /// NaN inputs (the last NaN of a window wins, payload and sign kept) and channels that are
    /// not monotone (running_var = ∞, a NaN scale, invStd = ∞ with ε = 0) go cell by cell.
    func testNaNsAndNonFiniteConstants() throws {
        let x = input([3, 8, 12, 20], seed: 7, nans: 60)
        for (name, layers) in orders(batchNorm(8, epsilon: 0, nonFinite: true)) { try checkBits(layers, x, "\(name), NaNs") }
    }

    /// The data exercise what the fusion must get right: pooling before BN with a plain maximum
    /// (ignoring the negative scales) gives other values, and the layers' output holds −0s that
    /// BN's +0/−0 shifts and ReLU(−0) produce. Without these, the tests above could not fail.
    func testTheDataDistinguishWrongFusions() throws {
        let shape = [5, 6, 24, 24], x = input(shape, seed: 40)
        let bn = batchNorm(6)
        let relu = Activation<Float>(.relu), pool = MaxPool<Float>(kernelSize: 2, stride: 2)
        let reference = try layerByLayer([relu, bn, pool], x)
        let naive = try layerByLayer([pool, relu, bn], x)   // right only for w > 0
        XCTAssertNotEqual(reference.scalars.map(\.bitPattern), naive.scalars.map(\.bitPattern))
        XCTAssertTrue(reference.scalars.contains { $0 == 0 && $0.sign == .minus }, "no −0 in the reference output")
        XCTAssertTrue(reference.scalars.contains { $0 == 0 && $0.sign == .plus }, "no +0 in the reference output")
        // Zero windows after ReLU → pool: the first cell's sign decides (ReLU keeps −0).
        let plain = try layerByLayer([relu, pool], x)
        XCTAssertTrue(plain.scalars.contains { $0 == 0 && $0.sign == .minus })
    }

    /// A direct-kernel convolution with the pooled block after it (sample blocks kept in cache):
    /// the bits of the convolution's forward followed by the block; nil where no direct kernel.
    func testConvolutionWithThePooledBlock() throws {
        var state = PhiloxStream(seed: 11, stream: 3)
        for (c, o, r, n) in [(1, 6, 28, 13), (6, 16, 12, 70)] {   // LeNet-5's layers; 70 samples: several blocks
            var conv = Convolution<Float>(inputChannels: c, outputChannels: o, kernelSize: 5)
            for t in 0..<2 { conv.parameters[t] = Tensor(shape: conv.parameters[t].shape, scalars: conv.parameters[t].scalars.map { _ in
                Float((state.nextUniform(-0.4, 0.4) * 64).rounded() / 64) }) }
            let x = input([n, c, r, r], seed: UInt64(c + o))
            for (name, layers) in orders(batchNorm(o)) {
                let block = try XCTUnwrap(PooledActivation(layers[...]))
                for level in [2, 1, 0] {
                    DirectConvolution.instructionSetLevel = level
                    for threads in [1, 2] {
                        Parallel.setThreads(threads)
                        let reference = try layerByLayer([conv] + layers, x).scalars.map(\.bitPattern)
                        let out = try XCTUnwrap(block.forward(after: conv, x), "\(name): no direct kernel for \(c)→\(o)")
                        XCTAssertEqual(out.scalars.map(\.bitPattern), reference, "conv \(c)→\(o), \(name), level \(level), \(threads) threads")
                    }
                }
            }
        }
        let padded = Convolution<Float>(inputChannels: 1, outputChannels: 2, kernelSize: 3, padding: 1)
        let block = PooledActivation<Float>([Activation<Float>(.relu), MaxPool<Float>(kernelSize: 2, stride: 2)][...])!
        XCTAssertNil(block.forward(after: padded, Tensor(shape: [2, 1, 8, 8])))
    }

    /// ReLU → BN and BN → ReLU without pooling: vectors (the fully connected layers) and images
    /// (residual blocks; r·r < 8 is where BN's own kernel does not run), NaNs and signed zeros.
    func testReLUAndBatchNormWithoutPooling() throws {
        let relu = Activation<Float>(.relu)
        for (k, shape) in [[37, 120], [9, 84], [5, 6, 12, 12], [3, 5, 2, 3], [4, 3]].enumerated() {
            let x = input(shape, seed: 60 + UInt64(k), nans: 5)
            let bn = batchNorm(shape[1], epsilon: k % 2 == 0 ? 1e-5 : 0, nonFinite: true)
            try checkBits([relu, bn], x, "relu, BN \(shape)")
            try checkBits([bn, relu], x, "BN, relu \(shape)")
        }
        XCTAssertNil(NormalizedActivation<Float>([relu, relu][...]))
        XCTAssertNil(NormalizedActivation<Float>([Activation<Float>(.leakyReLU()), BatchNorm<Float>(featureCount: 2)][...]))
        XCTAssertNil(NormalizedActivation<Float>([relu, BatchNorm<Float>(featureCount: 2)][...])?.forward(Tensor(shape: [3, 4])))
    }

    /// Only the fused patterns match; Double, other activations and other pooling do not.
    func testMatchesOnlyTheFusedPatterns() {
        let relu = Activation<Float>(.relu), bn = BatchNorm<Float>(featureCount: 2), pool = MaxPool<Float>(kernelSize: 2, stride: 2)
        XCTAssertNil(PooledActivation<Float>([Activation<Float>(.tanh), bn, pool][...]))
        XCTAssertNil(PooledActivation<Float>([relu, bn, MaxPool<Float>(kernelSize: 3, stride: 2)][...]))
        XCTAssertNil(PooledActivation<Float>([relu, bn][...]))
        XCTAssertNil(PooledActivation<Float>([bn, pool][...]))
        XCTAssertNil(PooledActivation<Double>([Activation<Double>(.relu), MaxPool<Double>(kernelSize: 2, stride: 2)][...]))
        XCTAssertEqual(PooledActivation<Float>([relu, pool, bn][...])?.layerCount, 2)
        ElementwiseKernels.isEnabled = false
        XCTAssertNil(PooledActivation<Float>([relu, pool][...]))
        ElementwiseKernels.isEnabled = true
        // Inputs the kernel does not take are left to the layers (which report the error).
        let block = PooledActivation<Float>([relu, bn, pool][...])!
        XCTAssertNil(block.forward(Tensor(shape: [1, 2, 5, 4])))
        XCTAssertNil(block.forward(Tensor(shape: [1, 3, 4, 4])))
        XCTAssertNil(block.forward(Tensor(shape: [0, 2, 4, 4])))
    }
}
