// Convolution through the direct Float kernels (Tensor's DirectConvolution, C in CKernels),
// used instead of im2col + BLAS where they apply (stride 1, no padding, output width a
// multiple of 8: both convolutions of the paper's LeNet-5). The BLAS path stays the reference
// (`DirectConvolution.isEnabled = false`); ConvolutionDirectTests compare the two.
//
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987), convolution layer:
// A_i = w ⋆ A_{i−1} + b; ∂w = Σ Δ_i ⋆ A_{i−1}; ∂b = Σ Δ_i; Δ_{i−1} = rot180(w)ᵗ ⋆ Δ̃_i.

import Tensor

extension Convolution {
    /// A_i (n×d_i×h′×w′) by the direct kernel. - Precondition: `usesDirectKernels(g)`.
    @inlinable
    func directForward(_ aPrev: Tensor<Scalar>, geometry g: WindowGeometry) -> Tensor<Scalar> {
        let n = aPrev.shape[0]
        guard n > 0 else { return Tensor(shape: [n, outputChannels, g.outputHeight, g.outputWidth]) }
        var a = Tensor<Scalar>(shape: [n, outputChannels, g.outputHeight, g.outputWidth]) { _ in }   // the kernel writes every cell
        aPrev.withUnsafeBufferPointer { x in
            parameters[0].withUnsafeBufferPointer { w in
                parameters[1].withUnsafeBufferPointer { b in
                    a.withUnsafeMutableBufferPointer { out in
                        DirectConvolution.forward(input: Self.floats(x), weights: Self.floats(w), bias: Self.floats(b),
                                                  output: Self.mutableFloats(out), n: n, channels: inputChannels,
                                                  height: g.height, width: g.width, outputChannels: outputChannels,
                                                  kernel: kernelSize)
                    }
                }
            }
        }
        return a
    }

    /// Adds ∂w, ∂b and returns Δ_{i−1} (or an empty tensor) by the direct kernels.
    @inlinable
    func directBackward(_ delta: Tensor<Scalar>, input: Tensor<Scalar>, geometry g: WindowGeometry,
                        gradients: inout [Tensor<Scalar>], needsDeltaPrev: Bool) -> Tensor<Scalar> {
        let n = input.shape[0]
        var deltaPrev = Tensor<Scalar>(shape: needsDeltaPrev ? [n, inputChannels, g.height, g.width] : [0]) { _ in }   // overwritten
        var gw = gradients[0], gb = gradients[1]
        gradients = []
        input.withUnsafeBufferPointer { x in
            delta.withUnsafeBufferPointer { dl in
                parameters[0].withUnsafeBufferPointer { w in
                    gw.withUnsafeMutableBufferPointer { gwp in
                        gb.withUnsafeMutableBufferPointer { gbp in
                            deltaPrev.withUnsafeMutableBufferPointer { dp in
                                DirectConvolution.backward(
                                    input: Self.floats(x), delta: Self.floats(dl), weights: Self.floats(w),
                                    weightGradient: Self.mutableFloats(gwp), biasGradient: Self.mutableFloats(gbp),
                                    inputError: needsDeltaPrev ? Self.mutableFloats(dp) : nil,
                                    n: n, channels: inputChannels, height: g.height, width: g.width,
                                    outputChannels: outputChannels, kernel: kernelSize)
                            }
                        }
                    }
                }
            }
        }
        gradients = [gw, gb]
        return deltaPrev
    }

    /// The buffer's base as Float (only called when Scalar is Float).
    @inlinable
    static func floats(_ p: UnsafeBufferPointer<Scalar>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: Float.self)
    }

    @inlinable
    static func mutableFloats(_ p: UnsafeMutableBufferPointer<Scalar>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p.baseAddress!).assumingMemoryBound(to: Float.self)
    }
}
