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
    func run(_ dIn: Int, _ dOut: Int, side: Int, n: Int, direct: Bool, threads: Int) throws -> Outputs {
        let saved = (DirectConvolution.isEnabled, Parallel.threads)
        defer { DirectConvolution.isEnabled = saved.0; Parallel.setThreads(saved.1) }
        DirectConvolution.isEnabled = direct
        Parallel.setThreads(threads)
        var conv = Convolution<Float>(inputChannels: dIn, outputChannels: dOut, kernelSize: 5)
        conv.parameters[0] = randomTensor([dOut, dIn, 5, 5], seed: 3, stream: 1).converted()
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
    /// every output within Float32 rounding of the reference (relative 2e-6).
    func testMatchesBLASReference() throws {
        for (dIn, dOut, side, n) in [(1, 6, 28, 7), (6, 16, 12, 7), (6, 16, 12, 64), (3, 5, 20, 3)] {
            let direct = try run(dIn, dOut, side: side, n: n, direct: true, threads: 1)
            let reference = try run(dIn, dOut, side: side, n: n, direct: false, threads: 1)
            let label = "\(dIn)→\(dOut) on \(side)×\(side), n = \(n)"
            XCTAssertLessThan(relative(direct.a, reference.a), 2e-6, label)
            XCTAssertLessThan(relative(direct.dw, reference.dw), 2e-6, label)
            XCTAssertLessThan(relative(direct.db, reference.db), 2e-6, label)
            XCTAssertLessThan(relative(direct.deltaPrev, reference.deltaPrev), 2e-6, label)
        }
    }

    /// One and two engine threads give the same bits (fixed partition, fixed reduction order).
    func testBitIdenticalAcrossThreadCounts() throws {
        for (dIn, dOut, side, n) in [(1, 6, 28, 9), (6, 16, 12, 64)] {
            let one = try run(dIn, dOut, side: side, n: n, direct: true, threads: 1)
            let two = try run(dIn, dOut, side: side, n: n, direct: true, threads: 2)
            XCTAssertEqual(one.a.map(\.bitPattern), two.a.map(\.bitPattern))
            XCTAssertEqual(one.dw.map(\.bitPattern), two.dw.map(\.bitPattern))
            XCTAssertEqual(one.db.map(\.bitPattern), two.db.map(\.bitPattern))
            XCTAssertEqual(one.deltaPrev.map(\.bitPattern), two.deltaPrev.map(\.bitPattern))
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
