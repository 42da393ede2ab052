// Swift entry point of CKernels' small GEMM (gemm.c), used by the fully connected layers for
// Float instead of BLAS (Debian's OpenBLAS runs its Prescott kernels on this CPU, and these
// GEMMs are small: n × 256 × 120 at most). Rows are split into `Parallel`'s fixed parts; each
// output is one FMA chain over k whatever the split, so the bits do not depend on threads.
//
// Implementation goals, in order of priority:
// 1. Deterministic and within Float32 rounding of BLAS (the reference, kept selectable with
//    `SmallGEMM.isEnabled = false` or EXP_FC=blas); tests compare.
// 2. Fast for the network's shapes; parallel over fixed row parts.

import CKernels
import Foundation

/// C = (accumulate ? C : 0) + op(A)·B (+ bias) for row-major Float matrices.
public enum SmallGEMM {
    nonisolated(unsafe) private static var enabled = ProcessInfo.processInfo.environment["EXP_FC"] != "blas"

    /// Whether the fully connected layers use this kernel for Float (default true).
    public static var isEnabled: Bool {
        get { enabled }
        set { enabled = newValue }
    }

    /// dst (cols×rows) = srcᵗ (8×8 blocks).
    public static func transpose(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        exp_transpose(src, dst, Int32(rows), Int32(cols))
    }

    /// C[m×n] = (accumulate ? C : 0) + A·B (+ bias[n]) with A(i, j) = a[i·rowStride + j·columnStride]
    /// (m×k; columnStride = m-stride gives Aᵗ for free), B k×n with row stride ldb, C row stride ldc.
    public static func multiply(a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                m: Int, n: Int, k: Int, bias: UnsafePointer<Float>? = nil, accumulate: Bool = false) {
        Parallel.forEachPart(work: m * n * k / 8) { part in
            let r = Parallel.range(of: part, count: m)
            exp_gemm(a, rowStride, columnStride, b, ldb, c, ldc, Int32(r.lowerBound), Int32(r.upperBound),
                     Int32(n), Int32(k), bias, accumulate ? 1 : 0)
        }
    }
}
