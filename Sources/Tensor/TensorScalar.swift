// The scalar types a Tensor can hold: Float (training) and Double (gradient checks).
//
// Source: ../../docs/ARCHITECTURE.md, "Tensor". One conformance file per type
// (Float+TensorScalar.swift, Double+TensorScalar.swift), as swift-numerics does.

import RealModule

/// A floating-point type the engine computes in.
///
/// The same layer code runs in `Float` for training and in `Double` for finite-difference
/// gradient checks. Conforming types provide elementary functions (through `Real`) and the
/// matching BLAS GEMM (`cblas_sgemm` / `cblas_dgemm`).
public protocol TensorScalar: BinaryFloatingPoint, Real, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// Row-major GEMM through BLAS: C ← α·op(A)·op(B) + β·C, with op(A) m×k, op(B) k×n, C m×n.
    ///
    /// - Parameters:
    ///   - transA, transB: whether A (stored k×m) or B (stored n×k) is transposed.
    ///   - lda, ldb, ldc: leading dimensions (row strides) in elements.
    /// - Precondition: m, n, k ≥ 0 and the buffers hold what the strides imply.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// The HDF5/JSON name of the type: "float32" or "float64".
    static var typeName: String { get }
}

extension TensorScalar {
    /// The value converted to Double (exact for Float and Double).
    @inlinable public var doubleValue: Double { Double(self) }
}
