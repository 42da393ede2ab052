// Direct convolution (CKernels) for Float: forward, weight/bias gradients and input error,
// parallel over the minibatch in `Parallel.partitions` fixed parts.
//
// Implementation goals, in order of priority:
// 1. Bit-identical for any thread count: parts are fixed by `Parallel.partitions`; each part
//    writes its own samples (forward, input error) or its own Double partial gradient; the
//    parts are added in part order after all parts finish.
// 2. Within Float32 rounding of the reference (im2col + BLAS GEMM, Convolution.swift), which
//    stays selectable with `DirectConvolution.isEnabled = false` (or EXP_CONV=blas).
// 3. Fast: no im2col (the forward cache is the input itself), every plane in L1.
// Source: L. Boué, "Deep learning for pedestrians" (arXiv:1811.11987), convolution layer.

import CKernels
import Foundation

/// Stride-1, unpadded convolutions n×C×H×W → n×O×(H−K+1)×(W−K+1) by direct loops.
public enum DirectConvolution {
    nonisolated(unsafe) private static var enabled = ProcessInfo.processInfo.environment["EXP_CONV"] != "blas"

    /// Whether layers use these kernels where they apply (default true; false selects the
    /// im2col + BLAS reference; the environment variable EXP_CONV=blas sets false at start).
    public static var isEnabled: Bool {
        get { enabled }
        set { enabled = newValue }
    }

    /// Whether the kernels handle this layer: stride 1, padding 0, output width a multiple of
    /// 8 (at most 64), and the switch is on.
    public static func applies(width: Int, kernel: Int, stride: Int, padding: Int) -> Bool {
        enabled && stride == 1 && padding == 0 && exp_conv_supported(Int32(width), Int32(kernel)) != 0
    }

    /// The instruction set every CKernels kernel runs (convolution, SmallGEMM, ElementwiseKernels
    /// share the setting): 2 AVX-512, 1 AVX2 + FMA, 0 generic C (all three give the same bits).
    /// Setting it caps the level at what the CPU supports (tests compare the paths); not while
    /// kernels run.
    public static var instructionSetLevel: Int {
        get { Int(exp_conv_simd_level()) }
        set { exp_conv_limit_simd(Int32(newValue)) }
    }

    /// out = w ⋆ in + b. in: n×C×H×W, w: O×C×K×K, b: O, out: n×O×H′×W′.
    public static func forward(input: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>,
                               n: Int, channels: Int, height: Int, width: Int, outputChannels: Int, kernel: Int) {
        Parallel.forEachPart { part in
            let r = Parallel.range(of: part, count: n)
            exp_conv_forward(input, weights, bias, output, Int32(r.lowerBound), Int32(r.upperBound),
                             Int32(channels), Int32(height), Int32(width), Int32(outputChannels), Int32(kernel))
        }
    }

    /// ∂w += Σ Δ ⋆ in, ∂b += Σ Δ, and, when `inputError` is given, Δ_{i−1} = rot180(w)ᵗ ⋆ Δ (full).
    /// delta: n×O×H′×W′; weightGradient: O×C×K×K; biasGradient: O; inputError: n×C×H×W (overwritten).
    public static func backward(input: UnsafePointer<Float>, delta: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                                weightGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>,
                                inputError: UnsafeMutablePointer<Float>?,
                                n: Int, channels: Int, height: Int, width: Int, outputChannels: Int, kernel: Int) {
        let weightCount = outputChannels * channels * kernel * kernel
        let (c, h, w, o, k) = (Int32(channels), Int32(height), Int32(width), Int32(outputChannels), Int32(kernel))
        let partialCount = weightCount + outputChannels
        let gradientScratch = exp_conv_weight_gradient_scratch(c, h, w, o, k)
        let inputScratch = inputError == nil ? 0 : exp_conv_input_error_scratch(h, w, o, k)
        let perPart = (2 * partialCount + gradientScratch + inputScratch + 15) / 16 * 16   // floats, 64-byte parts
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: perPart * Parallel.partitions * 4, alignment: 64)
        defer { buffer.deallocate() }
        Parallel.forEachPart { part in
            let r = Parallel.range(of: part, count: n)
            let (n0, n1) = (Int32(r.lowerBound), Int32(r.upperBound))
            let base = buffer + part * perPart * 4
            let partial = base.bindMemory(to: Double.self, capacity: partialCount)
            partial.initialize(repeating: 0, count: partialCount)
            let scratch = (base + 8 * partialCount).bindMemory(to: Float.self, capacity: gradientScratch + inputScratch)
            exp_conv_weight_gradient(input, delta, partial, scratch, n0, n1, c, h, w, o, k)
            if let inputError {
                exp_conv_input_error(delta, weights, inputError, scratch + gradientScratch, n0, n1, c, h, w, o, k)
            }
        }
        for i in 0..<partialCount {       // fixed order: part by part
            var sum = 0.0
            for part in 0..<Parallel.partitions {
                sum += (buffer + part * perPart * 4).assumingMemoryBound(to: Double.self)[i]
            }
            if i < weightCount { weightGradient[i] += Float(sum) } else { biasGradient[i - weightCount] += Float(sum) }
        }
    }
}
