// The fully connected layer through Tensor's SmallGEMM (CKernels) for Float: the same products
// as FullyConnected.swift's BLAS path (the reference), without BLAS. Tests compare the two.
//
// Source: Boué (arXiv:1811.11987) §6: A_i = A_{i−1} w + b̃; Δ_{i−1} = Δ_i wᵗ; ∂w = A_{i−1}ᵗ Δ_i.

import Tensor

extension FullyConnected {
    /// Whether SmallGEMM computes this layer.
    @inlinable
    func usesKernels(n: Int) -> Bool { Scalar.self == Float.self && SmallGEMM.isEnabled && n > 0 }

    /// A_i = A_{i−1} w + b (n×f_i).
    @usableFromInline
    func kernelForward(_ aPrev: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = aPrev.shape[0], fIn = inputFeatures, fOut = outputFeatures
        return aPrev.withUnsafeBufferPointer { x in
            parameters[0].withUnsafeBufferPointer { w in
                parameters[1].withUnsafeBufferPointer { b in
                    Tensor<Scalar>(shape: [n, fOut]) { out in
                        SmallGEMM.multiply(a: Float.pointer(x), rowStride: fIn, columnStride: 1, b: Float.pointer(w), ldb: fOut,
                                           c: Float.mutablePointer(out), ldc: fOut, m: n, n: fOut, k: fIn, bias: Float.pointer(b))
                    }
                }
            }
        }
    }

    /// ∂w += A_{i−1}ᵗ Δ_i (f_{i−1}×f_i) and, when needed, Δ_{i−1} = Δ_i wᵗ (n×f_{i−1}).
    @usableFromInline
    func kernelBackward(_ delta: Tensor<Scalar>, aPrev: Tensor<Scalar>, weightGradient: inout Tensor<Scalar>,
                        needsDeltaPrev: Bool) -> Tensor<Scalar> {
        let n = delta.shape[0], fIn = inputFeatures, fOut = outputFeatures
        aPrev.withUnsafeBufferPointer { x in
            delta.withUnsafeBufferPointer { dl in
                weightGradient.withUnsafeMutableBufferPointer { gw in
                    SmallGEMM.multiply(a: Float.pointer(x), rowStride: 1, columnStride: fIn, b: Float.pointer(dl), ldb: fOut,
                                       c: Float.mutablePointer(gw), ldc: fOut, m: fIn, n: fOut, k: n, accumulate: true)
                }
            }
        }
        guard needsDeltaPrev else { return Tensor(shape: [0]) }
        let wT = parameters[0].withUnsafeBufferPointer { w in        // f_i×f_{i−1}, so B rows are contiguous
            Tensor<Scalar>(shape: [fOut, fIn]) { t in
                SmallGEMM.transpose(Float.pointer(w), into: Float.mutablePointer(t), rows: fIn, cols: fOut)
            }
        }
        return delta.withUnsafeBufferPointer { dl in
            wT.withUnsafeBufferPointer { wt in
                Tensor<Scalar>(shape: [n, fIn]) { out in
                    SmallGEMM.multiply(a: Float.pointer(dl), rowStride: fOut, columnStride: 1, b: Float.pointer(wt), ldb: fIn,
                                       c: Float.mutablePointer(out), ldc: fIn, m: n, n: fIn, k: fOut)
                }
            }
        }
    }
}
