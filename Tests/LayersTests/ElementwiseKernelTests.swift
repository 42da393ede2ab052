import Layers
import Tensor
import TestSupport
import XCTest

/// ReLU, 2×2 max pooling and batch norm through CKernels (ElementwiseKernels) against the Swift
/// reference code, and against themselves under 1 and 2 engine threads.
final class ElementwiseKernelTests: XCTestCase {
    /// Forward + backward of `layer` on Philox data (with ties and zeros for ReLU/pooling),
    /// outputs concatenated: A_i, Δ_{i−1}, parameter gradients, buffers.
    func run<L: Layer>(_ layer: L, shape: [Int], kernels: Bool, threads: Int, mode: ForwardMode = .training) throws -> [Float]
    where L.Scalar == Float {
        let saved = (ElementwiseKernels.isEnabled, Parallel.threads)
        defer { ElementwiseKernels.isEnabled = saved.0; Parallel.setThreads(saved.1) }
        ElementwiseKernels.isEnabled = kernels
        Parallel.setThreads(threads)
        var layer = layer
        // Values rounded to 1/8 so that equal values (max-pool ties) and exact zeros occur.
        let raw: Tensor<Double> = randomTensor(shape, seed: 5, stream: 1, low: -2, high: 2)
        let x = Tensor<Float>(shape: shape, scalars: raw.scalars.map { Float(($0 * 8).rounded() / 8) })
        let (a, cache) = try layer.forward(x, mode: mode)
        let delta: Tensor<Float> = randomTensor(a.shape, seed: 5, stream: 2).converted()
        var grads = layer.zeroGradients()
        let dPrev = layer.backward(delta, cache: cache, gradients: &grads, needsDeltaPrev: true)
        return a.scalars + dPrev.scalars + grads.flatMap(\.scalars) + layer.buffers.flatMap(\.scalars)
    }

    func check<L: Layer>(_ layer: L, shape: [Int], tolerance: Float, mode: ForwardMode = .training,
                         file: StaticString = #filePath, line: UInt = #line) throws where L.Scalar == Float {
        let reference = try run(layer, shape: shape, kernels: false, threads: 1, mode: mode)
        let one = try run(layer, shape: shape, kernels: true, threads: 1, mode: mode)
        let two = try run(layer, shape: shape, kernels: true, threads: 2, mode: mode)
        XCTAssertEqual(one.map(\.bitPattern), two.map(\.bitPattern), "1 vs 2 threads", file: file, line: line)
        let scale = reference.map(abs).max() ?? 1
        let worst = zip(one, reference).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance * scale, "kernels vs reference", file: file, line: line)
    }

    /// ReLU and max pooling: the same bits as the reference (no arithmetic beyond comparisons).
    func testReLUAndMaxPoolAreExact() throws {
        try check(Activation<Float>(.relu), shape: [9, 6, 24, 24], tolerance: 0)
        try check(MaxPool<Float>(kernelSize: 2, stride: 2), shape: [9, 6, 24, 24], tolerance: 0)
        try check(MaxPool<Float>(kernelSize: 2, stride: 2), shape: [3, 16, 8, 8], tolerance: 0)
    }

    /// Max pooling with NaNs (a NaN wins; the last NaN scanned) and ties: the reference's bits,
    /// including the argmax.
    func testMaxPoolWithNaNMatchesReferenceBits() throws {
        var values: [Float] = (0..<(2 * 3 * 8 * 20)).map { (i: Int) -> Float in Float((i * 7) % 5) - 2 }
        for i in stride(from: 3, to: values.count, by: 37) { values[i] = .nan }
        let x = Tensor<Float>(shape: [2, 3, 8, 20], scalars: values)
        func run(_ kernels: Bool) throws -> ([UInt32], [Int]) {
            let saved = ElementwiseKernels.isEnabled
            defer { ElementwiseKernels.isEnabled = saved }
            ElementwiseKernels.isEnabled = kernels
            var pool = MaxPool<Float>(kernelSize: 2, stride: 2)
            let (a, cache) = try pool.forward(x, mode: .training)
            return (a.scalars.map { $0.bitPattern }, cache.argmax)
        }
        let (kernel, reference) = (try run(true), try run(false))
        XCTAssertEqual(kernel.0, reference.0)
        XCTAssertEqual(kernel.1, reference.1)
    }

    /// Inference pooling keeps no argmax: the training forward's output bits (with NaNs, ties,
    /// 8- and 4-wide blocks and a scalar tail) on every instruction set, 1 and 2 threads, kernels
    /// and reference; an empty cache that refuses a backward.
    func testMaxPoolInferenceKeepsNoArgmaxAndTheSameBits() throws {
        defer { DirectConvolution.instructionSetLevel = 2; Parallel.setThreads(nil); ElementwiseKernels.isEnabled = true }
        for shape in [[9, 6, 24, 24], [2, 3, 6, 26], [3, 16, 8, 8]] {
            var values = (randomTensor(shape, seed: 9, stream: 1, low: -2, high: 2) as Tensor<Double>).scalars
                .map { Float(($0 * 8).rounded() / 8) }
            for i in stride(from: 3, to: values.count, by: 41) { values[i] = .nan }
            let x = Tensor<Float>(shape: shape, scalars: values)
            var pool = MaxPool<Float>(kernelSize: 2, stride: 2)
            let (expected, _) = try pool.forward(x, mode: .training)
            for kernels in [true, false] {
                for level in [2, 1, 0] {
                    for threads in [1, 2] {
                        ElementwiseKernels.isEnabled = kernels
                        DirectConvolution.instructionSetLevel = level
                        Parallel.setThreads(threads)
                        let (a, cache) = try pool.forward(x, mode: .inference)
                        XCTAssertEqual(a.shape, expected.shape)
                        XCTAssertEqual(a.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern),
                                       "\(shape), kernels \(kernels), level \(level), \(threads) threads")
                        XCTAssertTrue(cache.argmax.isEmpty)
                        XCTAssertFalse(cache.supportsBackward)
                        XCTAssertEqual(cache.inputShape, shape)
                    }
                }
            }
            XCTAssertTrue(try pool.forward(x, mode: .training).1.supportsBackward)
        }
    }

    /// Batch norm: the same Float64 formulas, sums in another (fixed) order: within 1e-6.
    func testBatchNormMatchesReference() throws {
        var bn = BatchNorm<Float>(featureCount: 6)
        bn.parameters[0] = randomTensor([6], seed: 7, stream: 1, low: 0.5, high: 1.5).converted()
        bn.parameters[1] = randomTensor([6], seed: 7, stream: 2).converted()
        try check(bn, shape: [9, 6, 24, 24], tolerance: 1e-6)
        try check(BatchNorm<Float>(featureCount: 16), shape: [5, 16, 8, 8], tolerance: 1e-6)
        bn.buffers[0] = randomTensor([6], seed: 7, stream: 3).converted()
        bn.buffers[1] = randomTensor([6], seed: 7, stream: 4, low: 0.5, high: 2).converted()
        try check(bn, shape: [9, 6, 24, 24], tolerance: 1e-6, mode: .inference)
    }

    /// Batch norm of vectors (n×f: channels side by side, 8 per vector, and a scalar tail):
    /// within 1e-6 of the reference in training and inference, the same bits with 1 and 2
    /// threads.
    func testVectorBatchNormMatchesReference() throws {
        for (f, n) in [(120, 257), (84, 16), (5, 7)] {
            var bn = BatchNorm<Float>(featureCount: f)
            bn.parameters[0] = randomTensor([f], seed: 8, stream: 1, low: 0.5, high: 1.5).converted()
            bn.parameters[1] = randomTensor([f], seed: 8, stream: 2).converted()
            try check(bn, shape: [n, f], tolerance: 1e-6)
            bn.buffers[0] = randomTensor([f], seed: 8, stream: 3).converted()
            bn.buffers[1] = randomTensor([f], seed: 8, stream: 4, low: 0.5, high: 2).converted()
            try check(bn, shape: [n, f], tolerance: 1e-6, mode: .inference)
        }
    }

    /// The AVX-512, AVX2 and generic C paths give the same bits (ReLU, pooling with 8- and
    /// 4-wide blocks and a scalar tail, batch norm of images and vectors).
    func testBitIdenticalAcrossInstructionSets() throws {
        defer { DirectConvolution.instructionSetLevel = 2 }
        func all(_ level: Int) throws -> [[Float]] {
            DirectConvolution.instructionSetLevel = level
            return [try run(Activation<Float>(.relu), shape: [3, 6, 24, 24], kernels: true, threads: 2),
                    try run(MaxPool<Float>(kernelSize: 2, stride: 2), shape: [3, 6, 24, 24], kernels: true, threads: 2),
                    try run(MaxPool<Float>(kernelSize: 2, stride: 2), shape: [2, 3, 6, 26], kernels: true, threads: 2),
                    try run(BatchNorm<Float>(featureCount: 6), shape: [3, 6, 24, 24], kernels: true, threads: 2),
                    try run(BatchNorm<Float>(featureCount: 84), shape: [13, 84], kernels: true, threads: 2)]
        }
        let best = try all(2)
        for level in [1, 0] {
            for (a, b) in zip(best, try all(level)) {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "level \(level)")
            }
        }
    }
}
