// Turns a LayerSpec into a layer for a given input shape.

import Layers
import Tensor

/// Errors in a network's description, reported before anything trains.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A layer's input shape does not fit (e.g. a 5×5 kernel on a 3×3 image).
    case invalidLayer(index: Int, message: String)
    /// A shortcut that reaches before the input or spans no layer.
    case invalidShortcut(index: Int, span: Int)
    /// An unknown parameter or buffer name, or a tensor of the wrong shape.
    case unknownTensor(name: String)
    case shapeMismatch(name: String, expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case let .invalidLayer(index, message): return "layer \(index): \(message)"
        case let .invalidShortcut(index, span):
            return "layer \(index): a shortcut's span (\(span)) must be between 1 and \(max(index - 1, 0)), the number of layers before it"
        case let .unknownTensor(name): return "no parameter or buffer named \(name)"
        case let .shapeMismatch(name, expected, actual):
            return "\(name): expected shape \(expected), got \(actual)"
        }
    }
}

/// Upper bounds on layer sizes, so that a typo in a layer list is an error, not an allocation of
/// terabytes (documented in docs/SWEEPS.md).
public enum LayerLimits {
    /// Channels of a convolution.
    public static let channels = 4096
    /// Kernel size, stride and padding.
    public static let kernel = 64
    /// Features of a fully connected layer.
    public static let features = 65_536
    /// Weights of one layer.
    public static let parameters = 50_000_000
    /// Parameters of the whole network (layers and shortcut projections): 400 MB of Float32,
    /// about 1.2 GB with the gradients and momentum. Checked layer by layer as the network is
    /// built (a shortcut's projection before it is allocated), so at most one layer of ≤
    /// `parameters` weights more than this is ever allocated.
    public static let networkParameters = 100_000_000
    /// Values of one sample's A_i.
    public static let activations = 16_000_000
    /// Layers of a network (blocks_per_stage included).
    public static let layers = 10_000
}

/// Builds the layer for `spec` whose input (without n) has shape `input`.
func makeLayer<Scalar: TensorScalar>(
    _ spec: LayerSpec, input: [Int], configuration: ModelConfiguration, index: Int
) throws -> any Layer<Scalar> {
    func requireImage() throws {
        guard input.count == 3 else {
            throw ModelError.invalidLayer(index: index, message: "\(spec) needs image data d×r×r, got \(input)")
        }
    }
    func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw ModelError.invalidLayer(index: index, message: message()) }
    }
    switch spec {
    case let .conv(outputChannels, kernelSize, stride, padding):
        try requireImage()
        try require((1...LayerLimits.channels).contains(outputChannels),
                    "conv out = \(outputChannels) must be in 1…\(LayerLimits.channels)")
        try require((1...LayerLimits.kernel).contains(kernelSize) && (1...LayerLimits.kernel).contains(stride),
                    "conv k = \(kernelSize), s = \(stride) must be in 1…\(LayerLimits.kernel)")
        try require((0...LayerLimits.kernel).contains(padding), "conv p = \(padding) must be in 0…\(LayerLimits.kernel)")
        try require(input[0] * outputChannels * kernelSize * kernelSize <= LayerLimits.parameters,
                    "conv \(input[0])→\(outputChannels) with k = \(kernelSize) has more than \(LayerLimits.parameters) weights")
        return Convolution<Scalar>(inputChannels: input[0], outputChannels: outputChannels,
                                   kernelSize: kernelSize, stride: stride, padding: padding)
    case let .activation(kind):
        return Activation<Scalar>(kind ?? configuration.activation)
    case .batchNorm:
        return BatchNorm<Scalar>(featureCount: input[0], momentum: configuration.batchNormMomentum,
                                 epsilon: configuration.batchNormEpsilon, label: "layer \(index) (batch_norm)")
    case let .maxPool(kernelSize, stride, padding):
        try requireImage()
        try require((1...LayerLimits.kernel).contains(kernelSize) && (1...LayerLimits.kernel).contains(stride),
                    "maxpool k = \(kernelSize), s = \(stride) must be in 1…\(LayerLimits.kernel)")
        try require(padding >= 0 && 2 * padding <= kernelSize,
                    "maxpool p = \(padding) must be at most k / 2 = \(kernelSize / 2) (a window must not be all padding)")
        return MaxPool<Scalar>(kernelSize: kernelSize, stride: stride, padding: padding)
    case .flatten:
        return Flatten<Scalar>()
    case let .fullyConnected(outputFeatures):
        guard input.count == 1 else {
            throw ModelError.invalidLayer(index: index, message: "fully connected needs vector data f, got \(input); add a flatten layer first")
        }
        try require((1...LayerLimits.features).contains(outputFeatures),
                    "fc out = \(outputFeatures) must be in 1…\(LayerLimits.features)")
        try require(input[0] * outputFeatures <= LayerLimits.parameters,
                    "fc \(input[0])→\(outputFeatures) has more than \(LayerLimits.parameters) weights")
        return FullyConnected<Scalar>(inputFeatures: input[0], outputFeatures: outputFeatures)
    case let .shortcut(span):
        return ShortcutLayer<Scalar>(source: index - 1 - span)
    }
}

/// The projection S for a shortcut from data of shape `from` to shape `to` (nil: identity).
func makeProjection<Scalar: TensorScalar>(from: [Int], to: [Int], index: Int, budget: Int) throws -> (any Layer<Scalar>)? {
    if from == to { return nil }
    // Its size is checked before anything is allocated: the per-layer limit and what is left of
    // the network's (`budget`).
    func checkSize(inputs: Int) throws {
        let (weights, overflow) = inputs.multipliedReportingOverflow(by: to[0])
        guard !overflow, weights <= LayerLimits.parameters else {
            throw ModelError.invalidLayer(index: index, message: "the projection shortcut \(from) → \(to) has more than "
                                          + "\(LayerLimits.parameters) weights")
        }
        guard weights + to[0] <= budget else {
            throw ModelError.invalidLayer(index: index, message: "the network holds more than \(LayerLimits.networkParameters) "
                                          + "parameters in total up to this layer")
        }
    }
    if from.count == 3, to.count == 3 {
        try checkSize(inputs: from[0])
        // 1×1 convolution; the stride maps r_j to r_i when r_j is a multiple of r_i.
        let stride = max(1, from[1] / to[1])
        let conv = Convolution<Scalar>(inputChannels: from[0], outputChannels: to[0],
                                       kernelSize: 1, stride: stride, padding: 0)
        if (try? conv.outputShape(for: [1] + from)) == [1] + to { return conv }
    } else if to.count == 1 {
        let f = from.reduce(1, *)
        if from.count == 1 {
            try checkSize(inputs: f)
            return FullyConnected<Scalar>(inputFeatures: f, outputFeatures: to[0])
        }
    }
    throw ModelError.invalidLayer(index: index, message: "no projection shortcut maps shape \(from) to \(to)")
}
