import Layers
import Tensor
import TestSupport
import XCTest

/// The convolution against the naive oracle, a col2im formulation, central differences and
/// hand-computed values (CONVENTIONS.md #15a–c, f).
final class ConvolutionTests: XCTestCase {
    /// A conv layer with random weights and biases from Philox streams.
    func makeConv(_ dIn: Int, _ dOut: Int, k: Int, s: Int, p: Int, seed: UInt64) -> Convolution<Double> {
        var conv = Convolution<Double>(inputChannels: dIn, outputChannels: dOut, kernelSize: k, stride: s, padding: p)
        conv.parameters[0] = randomTensor([dOut, dIn, k, k], seed: seed, stream: 1)
        conv.parameters[1] = randomTensor([dOut], seed: seed, stream: 2)
        return conv
    }

    /// Δ_{i−1} the other way: per sample wᵗ (d_{i−1}·k·k×d_i) · Δ_i (d_i×r′·r′), then col2im.
    func col2imDeltaPrev(_ delta: Tensor<Double>, w: Tensor<Double>, geometry g: WindowGeometry) -> Tensor<Double> {
        let n = delta.shape[0], dOut = w.shape[0], cells = g.columnCount
        let wMatrix = w.reshaped([dOut, g.columnRows])
        var columns: [Double] = []
        for sample in 0..<n {
            let slice = Array(delta.scalars[(sample * dOut * cells)..<((sample + 1) * dOut * cells)])
            columns += wMatrix.matmul(Tensor(shape: [dOut, cells], scalars: slice), transposeSelf: true).scalars
        }
        return Tensor(shape: [n, g.columnRows, cells], scalars: columns).col2im(g)
    }

    /// Every k ∈ {1,3,5}, s ∈ {1,2,3}, p ∈ {0,1,2} on n=2, d 2→3, h×w ∈ {5×5, 6×6, 7×7, 6×8}:
    /// forward, ∂w, ∂b and the fractionally strided Δ_{i−1} equal the naive oracle, and
    /// Δ_{i−1} equals wᵗΔ + col2im, to 1e-12. No combination is skipped: p ≥ k (k = 1, p = 1, 2)
    /// gives border outputs that see only padding (= b) and a negative p′ = k − p − 1 (a crop).
    func testGridMatchesNaiveOracleAndCol2Im() throws {
        var combos = 0, withRemainder = 0, withCrop = 0
        for k in [1, 3, 5] {
            for s in [1, 2, 3] {
                for p in [0, 1, 2] {
                    for (h, w) in [(5, 5), (6, 6), (7, 7), (6, 8)] {
                        let label = "k\(k) s\(s) p\(p) input 2×2×\(h)×\(w)"
                        let seed = UInt64(combos + 1)
                        combos += 1
                        if (h + 2 * p - k) % s != 0 || (w + 2 * p - k) % s != 0 { withRemainder += 1 }
                        if p >= k { withCrop += 1 }
                        var conv = makeConv(2, 3, k: k, s: s, p: p, seed: seed)
                        let x = randomTensor([2, 2, h, w], seed: seed, stream: 3)
                        let (a, cache) = try conv.forward(x, mode: .training)
                        let expected = NaiveConvolution.forward(x, w: conv.parameters[0], b: conv.parameters[1],
                                                                stride: s, padding: p)
                        assertClose(a, expected, relativeTolerance: 1e-12, "forward, \(label)")
                        XCTAssertEqual(try conv.outputShape(for: x.shape), a.shape, label)

                        let delta = randomTensor(a.shape, seed: seed, stream: 4)
                        var grads = conv.zeroGradients()
                        let deltaPrev = conv.backward(delta, cache: cache, gradients: &grads, needsDeltaPrev: true)
                        let naive = NaiveConvolution.backward(delta, aPrev: x, w: conv.parameters[0], stride: s, padding: p)
                        assertClose(grads[0], naive.w, relativeTolerance: 1e-12, "∂w, \(label)")
                        assertClose(grads[1], naive.b, relativeTolerance: 1e-12, "∂b, \(label)")
                        assertClose(deltaPrev, naive.deltaPrev, relativeTolerance: 1e-12, "Δ_{i−1} vs naive, \(label)")
                        let viaCol2Im = col2imDeltaPrev(delta, w: conv.parameters[0], geometry: cache.geometry)
                        assertClose(deltaPrev, viaCol2Im, relativeTolerance: 1e-12, "Δ_{i−1} vs col2im, \(label)")
                    }
                }
            }
        }
        XCTAssertEqual(combos, 108)
        XCTAssertGreaterThan(withRemainder, 30, "the grid must exercise (r + 2p − k) mod s ≠ 0")
        XCTAssertEqual(withCrop, 24)
    }

    /// Backward adds into the gradients (+=) and skips Δ_{i−1} on request.
    func testBackwardAccumulatesAndSkipsDeltaPrev() throws {
        var conv = makeConv(2, 3, k: 3, s: 2, p: 1, seed: 11)
        let x = randomTensor([2, 2, 6, 6], seed: 12)
        let (a, cache) = try conv.forward(x, mode: .training)
        let delta = randomTensor(a.shape, seed: 13)
        var once = conv.zeroGradients()
        _ = conv.backward(delta, cache: cache, gradients: &once, needsDeltaPrev: true)
        var twice = conv.zeroGradients()
        _ = conv.backward(delta, cache: cache, gradients: &twice, needsDeltaPrev: false)
        let skipped = conv.backward(delta, cache: cache, gradients: &twice, needsDeltaPrev: false)
        XCTAssertEqual(skipped.count, 0)
        for i in 0..<2 {
            assertClose(twice[i], Tensor(shape: once[i].shape, scalars: once[i].scalars.map { 2 * $0 }),
                        relativeTolerance: 1e-14, "parameter \(i)")
        }
    }

    /// Central differences (L = Σ R ⊙ A_i) for Δ_{i−1}, ∂w and ∂b, relative error < 1e-6.
    /// L is linear in A_{i−1}, w and b, so central differences have no truncation error and the
    /// step h only sets the roundoff (≈ 1e-16·|L|/h); with h = 1e-6 that roundoff, divided by
    /// near-zero entries, reached 2.5e-6 for some seeds, with h = 1e-4 the worst over 40 seeded
    /// configurations was 6e-8.
    func testGradientsMatchCentralDifferences() throws {
        for (k, s, p, r) in [(3, 1, 1, 5), (3, 2, 0, 6), (5, 3, 2, 7), (1, 2, 0, 5), (2, 2, 1, 5)] {
            let conv = makeConv(2, 3, k: k, s: s, p: p, seed: UInt64(20 + k * 9 + s * 3 + p))
            let report = try checkGradients(of: conv, input: randomTensor([2, 2, r, r], seed: 5), epsilon: 1e-4)
            XCTAssertLessThan(report.worst, 1e-6, "k\(k) s\(s) p\(p) r\(r): \(report)")
            XCTAssertEqual(Set(report.maxRelativeError.keys), ["deltaPrev", "w", "b"])
        }
    }

    /// 3×3 input 1…9, kernel of ones 2×2, s2 p1 (windows tile the padded 4×4 exactly):
    /// A = [1 5; 11 28]; with Δ = 1: Δ_{i−1} = 1 everywhere, ∂w = [5 10; 10 20], ∂b = 4.
    func testStridedPaddedKnownAnswer() throws {
        var conv = Convolution<Double>(inputChannels: 1, outputChannels: 1, kernelSize: 2, stride: 2, padding: 1)
        conv.parameters[0] = Tensor(shape: [1, 1, 2, 2], repeating: 1)
        let (a, cache) = try conv.forward(Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Double.init)), mode: .training)
        XCTAssertEqual(a.shape, [1, 1, 2, 2])
        XCTAssertEqual(a.scalars, [1, 5, 11, 28])
        var grads = conv.zeroGradients()
        let deltaPrev = conv.backward(Tensor(shape: [1, 1, 2, 2], repeating: 1), cache: cache,
                                      gradients: &grads, needsDeltaPrev: true)
        XCTAssertEqual(deltaPrev.scalars, Array(repeating: 1, count: 9))
        XCTAssertEqual(grads[0].scalars, [5, 10, 10, 20])
        XCTAssertEqual(grads[1].scalars, [4])
    }

    /// 3×3 input 1…9, kernel [1 0; 0 −1], b = 0.5: every output is x[y,x] − x[y+1,x+1] + 0.5 = −3.5.
    func testForwardKnownAnswer() throws {
        var conv = Convolution<Double>(inputChannels: 1, outputChannels: 1, kernelSize: 2)
        conv.parameters[0] = Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, -1])
        conv.parameters[1] = Tensor(shape: [1], scalars: [0.5])
        let (a, _) = try conv.forward(Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Double.init)), mode: .training)
        XCTAssertEqual(a.scalars, [-3.5, -3.5, -3.5, -3.5])
    }

    /// k3 s2 p0 on 4×4: (4 − 3) mod 2 = 1, so the last row and column are never read and get
    /// exactly zero error; the 3×3 corner gets Δ·w (one window).
    func testUntouchedRowsAndColumnsGetZeroError() throws {
        var conv = Convolution<Double>(inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: 2)
        conv.parameters[0] = Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Double.init))
        let (a, cache) = try conv.forward(randomTensor([1, 1, 4, 4], seed: 3), mode: .training)
        XCTAssertEqual(a.shape, [1, 1, 1, 1])
        var grads = conv.zeroGradients()
        let deltaPrev = conv.backward(Tensor(shape: [1, 1, 1, 1], scalars: [2]), cache: cache,
                                      gradients: &grads, needsDeltaPrev: true)
        XCTAssertEqual(deltaPrev.scalars, [2, 4, 6, 0, 8, 10, 12, 0, 14, 16, 18, 0, 0, 0, 0, 0])
    }

    /// The Float32 layer's forward agrees with the Float64 one within 1e-5 relative.
    func testFloatForwardAgreesWithDouble() throws {
        var conv = makeConv(3, 4, k: 5, s: 1, p: 2, seed: 31)
        var convF = Convolution<Float>(inputChannels: 3, outputChannels: 4, kernelSize: 5, stride: 1, padding: 2)
        convF.parameters = conv.parameters.map { $0.converted(to: Float.self) }
        let x = randomTensor([2, 3, 9, 9], seed: 32)
        let (a, _) = try conv.forward(x, mode: .training)
        let (aF, _) = try convF.forward(x.converted(to: Float.self), mode: .training)
        assertClose(aF.converted(to: Double.self), a, relativeTolerance: 1e-5)
    }

    /// Inputs that do not fit throw `shapeMismatch` naming the layer.
    func testShapeErrorsThrowNamingTheLayer() {
        var conv = Convolution<Double>(inputChannels: 1, outputChannels: 6, kernelSize: 5)
        for shape in [[1, 1, 3, 3], [1, 2, 8, 8], [1, 64], [1, 1, 8, 4]] {
            XCTAssertThrowsError(try conv.forward(Tensor(shape: shape), mode: .training), "\(shape)") { error in
                guard case let LayerError.shapeMismatch(layer, _, actual) = error else {
                    return XCTFail("unexpected error \(error)")
                }
                XCTAssertEqual(layer, "conv k5 s1 p0, 1→6")
                XCTAssertEqual(actual, shape)
                XCTAssertTrue("\(error)".hasPrefix("conv k5 s1 p0, 1→6: expected input"), "\(error)")
            }
        }
        var padded = Convolution<Double>(inputChannels: 1, outputChannels: 6, kernelSize: 5, padding: 1)
        XCTAssertNoThrow(try padded.forward(Tensor(shape: [1, 1, 3, 3]), mode: .training))
    }
}
