import Tensor
import TestSupport
import XCTest

/// im2col (φᵗ) and col2im on hand-computed values and as adjoints of each other.
final class Im2ColTests: XCTestCase {
    /// 3×3 input 1…9, k2 s1 p0: one row per kernel offset (ky, kx), one column per window.
    func testKnownAnswer() {
        let x = Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Double.init))
        let g = WindowGeometry(channels: 1, height: 3, width: 3, kernel: 2, stride: 1, padding: 0)
        let columns = x.im2col(g)
        XCTAssertEqual(columns.shape, [1, 4, 4])
        XCTAssertEqual(columns.scalars, [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9])
        // col2im of all ones counts how many windows read each cell.
        XCTAssertEqual(Tensor(shape: [1, 4, 4], repeating: 1.0).col2im(g).scalars, [1, 2, 1, 2, 4, 2, 1, 2, 1])
    }

    /// 2×2 input [1 2; 3 4] dilated by 2 (one zero between cells), padded by 1, k3, output 3×3:
    /// the centre window sees the dilated 3×3 [1 0 2; 0 0 0; 3 0 4].
    func testInputDilation() {
        let x = Tensor(shape: [1, 1, 2, 2], scalars: [1.0, 2, 3, 4])
        let g = WindowGeometry(channels: 1, height: 2, width: 2, kernel: 3, stride: 1, padding: 1,
                               inputDilation: 2, outputHeight: 3, outputWidth: 3)
        let columns = x.im2col(g)
        XCTAssertEqual((0..<9).map { columns[$0 * 9 + 4] }, [1, 0, 2, 0, 0, 0, 3, 0, 4])
    }

    /// ⟨φ(x), c⟩ = ⟨x, col2im(c)⟩ for strides, paddings (also negative), dilations and
    /// non-square inputs.
    func testCol2ImIsTheAdjointOfIm2Col() {
        let geometries = [
            WindowGeometry(channels: 2, height: 6, width: 7, kernel: 3, stride: 2, padding: 1),
            WindowGeometry(channels: 2, height: 5, width: 5, kernel: 1, stride: 3, padding: 2),
            WindowGeometry(channels: 3, height: 4, width: 4, kernel: 5, stride: 1, padding: 2),
            WindowGeometry(channels: 2, height: 3, width: 4, kernel: 3, stride: 1, padding: -1,
                           inputDilation: 1, outputHeight: 3, outputWidth: 4),
            WindowGeometry(channels: 2, height: 3, width: 2, kernel: 3, stride: 1, padding: 2,
                           inputDilation: 3, outputHeight: 10, outputWidth: 7),
        ]
        for (i, g) in geometries.enumerated() {
            let x = randomTensor([2, g.channels, g.height, g.width], seed: UInt64(i))
            let c = randomTensor([2, g.columnRows, g.columnCount], seed: UInt64(i), stream: 1)
            let lhs = zip(x.im2col(g).scalars, c.scalars).reduce(0) { $0 + $1.0 * $1.1 }
            let rhs = zip(x.scalars, c.col2im(g).scalars).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(lhs, rhs, accuracy: 1e-12 * max(1, abs(lhs)), "\(g)")
        }
    }
}
