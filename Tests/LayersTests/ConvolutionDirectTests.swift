import Layers
import Tensor
import TestSupport
import XCTest

/// The direct Float kernels (DirectConvolution, CKernels) against the im2col + BLAS reference
/// and against themselves under 1 and 2 engine threads (DESIGN.md: a kernel of our own only
/// where tests show it exactly as reproducible, the BLAS path kept as the reference).
final class ConvolutionDirectTests: XCTestCase {
    struct Outputs: Equatable {
        var a: [Float], dw: [Float], db: [Float], deltaPrev: [Float]
    }

    /// Forward + backward of a conv layer with Philox weights, input and Δ.
    func run(_ dIn: Int, _ dOut: Int, side: Int, n: Int, kernel: Int = 5, direct: Bool, threads: Int,
             instructionSet: Int = 2) throws -> Outputs {
        let saved = (DirectConvolution.isEnabled, Parallel.threads)
        defer {
            DirectConvolution.isEnabled = saved.0
            Parallel.setThreads(saved.1)
            DirectConvolution.instructionSetLevel = 2
        }
        DirectConvolution.isEnabled = direct
        Parallel.setThreads(threads)
        DirectConvolution.instructionSetLevel = instructionSet
        var conv = Convolution<Float>(inputChannels: dIn, outputChannels: dOut, kernelSize: kernel)
        conv.parameters[0] = randomTensor([dOut, dIn, kernel, kernel], seed: 3, stream: 1).converted()
        conv.parameters[1] = randomTensor([dOut], seed: 3, stream: 2).converted()
        let x: Tensor<Float> = randomTensor([n, dIn, side, side], seed: 3, stream: 3).converted()
        let (a, cache) = try conv.forward(x, mode: .training)
        XCTAssertEqual(cache.input != nil, direct, "direct path taken iff enabled")
        let delta: Tensor<Float> = randomTensor(a.shape, seed: 3, stream: 4).converted()
        var grads = conv.zeroGradients()
        let deltaPrev = conv.backward(delta, cache: cache, gradients: &grads, needsDeltaPrev: true)
        return Outputs(a: a.scalars, dw: grads[0].scalars, db: grads[1].scalars, deltaPrev: deltaPrev.scalars)
    }

    /// max |a − b| / max |b|.
    func relative(_ a: [Float], _ b: [Float]) -> Float {
        let scale = b.map(abs).max() ?? 1
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    /// The paper's two convolutions (1→6 on 28×28, 6→16 on 12×12), and an odd batch size:
    /// every output within Float32 rounding of the reference (relative 2e-6). Also the other
    /// kernels' shapes: 32 output channels (two 16-channel blocks), k = 3 (16-channel forward,
    /// 8-lane gradient), 3→5 (8-wide kernels; flattened input error with a partial last chunk),
    /// rows of 16 and 32 (16-wide rows without an 8-wide chunk), 3→5 on 12×12 (the 12×12 input
    /// error with channel counts that are not multiples of 16).
    func testMatchesBLASReference() throws {
        let shapes = [(1, 6, 28, 7, 5), (6, 16, 12, 7, 5), (6, 16, 12, 64, 5), (3, 5, 20, 3, 5),
                      (6, 32, 12, 5, 5), (2, 16, 10, 3, 3), (5, 16, 13, 2, 6), (2, 4, 20, 3, 5),
                      (2, 6, 36, 2, 5), (3, 5, 12, 4, 5)]
        for (dIn, dOut, side, n, k) in shapes {
            let direct = try run(dIn, dOut, side: side, n: n, kernel: k, direct: true, threads: 1)
            let reference = try run(dIn, dOut, side: side, n: n, kernel: k, direct: false, threads: 1)
            let label = "\(dIn)→\(dOut) on \(side)×\(side), k = \(k), n = \(n)"
            XCTAssertLessThan(relative(direct.a, reference.a), 2e-6, label)
            XCTAssertLessThan(relative(direct.dw, reference.dw), 2e-6, label)
            XCTAssertLessThan(relative(direct.db, reference.db), 2e-6, label)
            XCTAssertLessThan(relative(direct.deltaPrev, reference.deltaPrev), 2e-6, label)
        }
    }

    /// One and two engine threads give the same bits (fixed partition, fixed reduction order).
    func testBitIdenticalAcrossThreadCounts() throws {
        for (dIn, dOut, side, n) in [(1, 6, 28, 9), (6, 16, 12, 64), (6, 32, 12, 5)] {
            let one = try run(dIn, dOut, side: side, n: n, direct: true, threads: 1)
            let two = try run(dIn, dOut, side: side, n: n, direct: true, threads: 2)
            XCTAssertEqual(one.a.map(\.bitPattern), two.a.map(\.bitPattern))
            XCTAssertEqual(one.dw.map(\.bitPattern), two.dw.map(\.bitPattern))
            XCTAssertEqual(one.db.map(\.bitPattern), two.db.map(\.bitPattern))
            XCTAssertEqual(one.deltaPrev.map(\.bitPattern), two.deltaPrev.map(\.bitPattern))
        }
    }

    /// The AVX-512, AVX2 and generic C paths give the same bits (explicit fused multiply-adds,
    /// the same order of sums); levels above the CPU's run its best path.
    func testBitIdenticalAcrossInstructionSets() throws {
        for (dIn, dOut, side, n, k) in [(1, 6, 28, 3, 5), (6, 16, 12, 5, 5), (3, 5, 20, 2, 5), (2, 16, 10, 3, 3),
                                        (2, 4, 20, 3, 5)] {
            let best = try run(dIn, dOut, side: side, n: n, kernel: k, direct: true, threads: 2)
            for level in [1, 0] {
                let other = try run(dIn, dOut, side: side, n: n, kernel: k, direct: true, threads: 2, instructionSet: level)
                let label = "\(dIn)→\(dOut) on \(side)×\(side), level \(level)"
                XCTAssertEqual(best.a.map(\.bitPattern), other.a.map(\.bitPattern), label)
                XCTAssertEqual(best.dw.map(\.bitPattern), other.dw.map(\.bitPattern), label)
                XCTAssertEqual(best.db.map(\.bitPattern), other.db.map(\.bitPattern), label)
                XCTAssertEqual(best.deltaPrev.map(\.bitPattern), other.deltaPrev.map(\.bitPattern), label)
            }
        }
    }

    /// Layers the kernels do not handle (padding, stride, odd output widths) use the reference.
    func testOtherGeometriesFallBack() {
        XCTAssertFalse(DirectConvolution.applies(width: 12, kernel: 3, stride: 1, padding: 1))
        XCTAssertFalse(DirectConvolution.applies(width: 28, kernel: 5, stride: 2, padding: 0))
        XCTAssertFalse(DirectConvolution.applies(width: 14, kernel: 5, stride: 1, padding: 0))
        XCTAssertTrue(DirectConvolution.applies(width: 28, kernel: 5, stride: 1, padding: 0))
    }
}
