// Matrix products on tensors, through BLAS (TensorScalar.gemm).

extension Tensor {
    /// The matrix product op(self)·op(other) of two rank-2 tensors, through BLAS GEMM.
    ///
    /// - Parameters:
    ///   - other: the right factor.
    ///   - transposeSelf, transposeOther: use the transpose of that factor.
    /// - Returns: an m×n tensor where op(self) is m×k and op(other) is k×n.
    /// - Precondition: both are rank 2 and the inner extents agree.
    @inlinable
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(rank == 2 && other.rank == 2, "matmul needs rank-2 tensors, got \(shape) and \(other.shape)")
        let m = transposeSelf ? shape[1] : shape[0]
        let k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0]
        let n = transposeOther ? other.shape[0] : other.shape[1]
        precondition(k == k2, "inner extents differ: \(shape)\(transposeSelf ? "ᵗ" : "") · \(other.shape)\(transposeOther ? "ᵗ" : "")")
        var c = Tensor(shape: [m, n])
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { cp in
                    Scalar.gemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
                                alpha: 1, a: a.baseAddress!, lda: shape[1],
                                b: b.baseAddress!, ldb: other.shape[1],
                                beta: 0, c: cp.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }
}
