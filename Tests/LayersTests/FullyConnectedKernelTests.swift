import Layers
import Tensor
import TestSupport
import XCTest

/// The fully connected layer through SmallGEMM (CKernels) against the BLAS reference, and
/// against itself under 1 and 2 engine threads.
final class FullyConnectedKernelTests: XCTestCase {
    func run(fIn: Int, fOut: Int, n: Int, kernels: Bool, threads: Int) throws -> [Float] {
        let saved = (SmallGEMM.isEnabled, Parallel.threads)
        defer { SmallGEMM.isEnabled = saved.0; Parallel.setThreads(saved.1) }
        SmallGEMM.isEnabled = kernels
        Parallel.setThreads(threads)
        var fc = FullyConnected<Float>(inputFeatures: fIn, outputFeatures: fOut)
        fc.parameters[0] = randomTensor([fIn, fOut], seed: 11, stream: 1).converted()
        fc.parameters[1] = randomTensor([fOut], seed: 11, stream: 2).converted()
        let x: Tensor<Float> = randomTensor([n, fIn], seed: 11, stream: 3).converted()
        let (a, cache) = try fc.forward(x, mode: .training)
        let delta: Tensor<Float> = randomTensor(a.shape, seed: 11, stream: 4).converted()
        var grads = fc.zeroGradients()
        grads[0] = randomTensor([fIn, fOut], seed: 11, stream: 5).converted()   // backward adds into it
        let dPrev = fc.backward(delta, cache: cache, gradients: &grads, needsDeltaPrev: true)
        return a.scalars + dPrev.scalars + grads[0].scalars + grads[1].scalars
    }

    /// The network's shapes and ragged ones (tails of 1–15 columns, 1–3 rows): within Float32
    /// rounding of BLAS, and the same bits with 1 and 2 threads.
    func testMatchesBLASAndIsThreadIndependent() throws {
        for (fIn, fOut, n) in [(256, 120, 64), (120, 84, 64), (84, 10, 16), (37, 23, 7), (5, 3, 1), (256, 120, 257)] {
            let reference = try run(fIn: fIn, fOut: fOut, n: n, kernels: false, threads: 1)
            let one = try run(fIn: fIn, fOut: fOut, n: n, kernels: true, threads: 1)
            let two = try run(fIn: fIn, fOut: fOut, n: n, kernels: true, threads: 2)
            XCTAssertEqual(one.map(\.bitPattern), two.map(\.bitPattern), "\(fIn)→\(fOut), n = \(n)")
            let scale = reference.map(abs).max()!
            let worst = zip(one, reference).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst / scale, 2e-6, "\(fIn)→\(fOut), n = \(n)")
        }
    }

    /// The AVX-512 (8 × 32 tiles), AVX2 (4 × 16) and generic paths give the same bits: every
    /// output is the same FMA chain whatever the tile.
    func testBitIdenticalAcrossInstructionSets() throws {
        defer { DirectConvolution.instructionSetLevel = 2 }
        for (fIn, fOut, n) in [(256, 120, 19), (120, 84, 13), (37, 23, 7)] {
            DirectConvolution.instructionSetLevel = 2
            let best = try run(fIn: fIn, fOut: fOut, n: n, kernels: true, threads: 2)
            for level in [1, 0] {
                DirectConvolution.instructionSetLevel = level
                let other = try run(fIn: fIn, fOut: fOut, n: n, kernels: true, threads: 2)
                XCTAssertEqual(best.map(\.bitPattern), other.map(\.bitPattern), "\(fIn)→\(fOut), level \(level)")
            }
        }
    }
}
