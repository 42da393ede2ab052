// The configuration of a network: which architecture, where batch norm goes, which activation,
// how parameters are initialised. Plain Swift values; JSON lives in Experiments.

import Layers

/// What SPEC.md's `model.*` keys describe.
public struct ModelConfiguration: Sendable, Equatable {
    /// Network families (`model.architecture`).
    public enum Architecture: String, Sendable, CaseIterable {
        /// The paper's Table 1 network.
        case lenet5
        /// lenet5 with `blocksPerStage` [3×3 conv → activation → BN] blocks after each stage's maxpool.
        case lenet5Residual = "lenet5-residual"
        /// An explicit layer list (`model.layers`).
        case layers
    }

    /// Where batch normalisation sits relative to the activation (`model.bn`).
    public enum BatchNormPlacement: String, Sendable, CaseIterable {
        /// linear → activation → BN, as the paper's Table 1.
        case after
        /// linear → BN → activation (Ioffe & Szegedy).
        case before
        /// No batch normalisation.
        case none
    }

    /// Parameter initialisation schemes (`model.init`).
    public enum Initialization: String, Sendable, CaseIterable {
        /// PyTorch's default for Conv2d/Linear: w, b ~ U(−1/√fan_in, 1/√fan_in).
        case pytorch
        /// He et al. 2015: w ~ N(0, 2/fan_in), b = 0.
        case heNormal = "he-normal"
        /// Glorot & Bengio 2010: w ~ U(±√(6/(fan_in + fan_out))), b = 0.
        case xavierUniform = "xavier-uniform"
    }

    public var architecture: Architecture = .lenet5
    public var batchNorm: BatchNormPlacement = .after
    /// Identity shortcuts around the blocks of lenet5-residual.
    public var residual: Bool = false
    /// Blocks per convolution stage in lenet5-residual (≥ 1).
    public var blocksPerStage: Int = 1
    public var activation: ActivationKind = .relu
    public var initialization: Initialization = .pytorch
    /// PyTorch convention: running ← (1 − momentum)·running + momentum·batch.
    public var batchNormMomentum: Double = 0.1
    /// ε in 1/√(σ² + ε).
    public var batchNormEpsilon: Double = 1e-5
    /// The layer list for `.layers`.
    public var layers: [LayerSpec] = []

    /// The defaults of SPEC.md: lenet5, bn after, relu, pytorch init.
    public init() {}
}

/// One entry of a layer list: what the network builder turns into a layer.
public enum LayerSpec: Sendable, Equatable {
    /// Convolution d_{i−1} → `outputChannels` with p = (k, s, p).
    case conv(outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0)
    /// The configured activation (or an explicit kind).
    case activation(ActivationKind? = nil)
    /// Batch normalisation over the channel (or feature) axis.
    case batchNorm
    /// Max pooling with p = (k, s, p).
    case maxPool(kernelSize: Int, stride: Int, padding: Int = 0)
    /// n×d×r×r → n×(d·r·r).
    case flatten
    /// Fully connected f_{i−1} → `outputFeatures`.
    case fullyConnected(outputFeatures: Int)
    /// A_i = A_{i−1} + S(A_{i−1−span}): adds the input of the block of the `span` preceding
    /// layers. S is the identity when shapes match, else a 1×1 convolution (images, stride chosen
    /// to match the resolution) or a fully connected projection (vectors).
    case shortcut(span: Int)
}
