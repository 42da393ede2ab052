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
            return "layer \(index): a shortcut spanning \(span) layers must span at least 1 layer after the input"
        case let .unknownTensor(name): return "no parameter or buffer named \(name)"
        case let .shapeMismatch(name, expected, actual):
            return "\(name): expected shape \(expected), got \(actual)"
        }
    }
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
    switch spec {
    case let .conv(outputChannels, kernelSize, stride, padding):
        try requireImage()
        return Convolution<Scalar>(inputChannels: input[0], outputChannels: outputChannels,
                                   kernelSize: kernelSize, stride: stride, padding: padding)
    case let .activation(kind):
        return Activation<Scalar>(kind ?? configuration.activation)
    case .batchNorm:
        return BatchNorm<Scalar>(featureCount: input[0], momentum: configuration.batchNormMomentum,
                                 epsilon: configuration.batchNormEpsilon, label: "layer \(index) (batch_norm)")
    case let .maxPool(kernelSize, stride, padding):
        try requireImage()
        return MaxPool<Scalar>(kernelSize: kernelSize, stride: stride, padding: padding)
    case .flatten:
        return Flatten<Scalar>()
    case let .fullyConnected(outputFeatures):
        guard input.count == 1 else {
            throw ModelError.invalidLayer(index: index, message: "fully connected needs vector data f, got \(input); add a flatten layer first")
        }
        return FullyConnected<Scalar>(inputFeatures: input[0], outputFeatures: outputFeatures)
    case let .shortcut(span):
        return ShortcutLayer<Scalar>(source: index - 1 - span)
    }
}

/// The projection S for a shortcut from data of shape `from` to shape `to` (nil: identity).
func makeProjection<Scalar: TensorScalar>(from: [Int], to: [Int], index: Int) throws -> (any Layer<Scalar>)? {
    if from == to { return nil }
    if from.count == 3, to.count == 3 {
        // 1×1 convolution; the stride maps r_j to r_i when r_j is a multiple of r_i.
        let stride = max(1, from[1] / to[1])
        let conv = Convolution<Scalar>(inputChannels: from[0], outputChannels: to[0],
                                       kernelSize: 1, stride: stride, padding: 0)
        if (try? conv.outputShape(for: [1] + from)) == [1] + to { return conv }
    } else if to.count == 1 {
        let f = from.reduce(1, *)
        if from.count == 1 { return FullyConnected<Scalar>(inputFeatures: f, outputFeatures: to[0]) }
    }
    throw ModelError.invalidLayer(index: index, message: "no projection shortcut maps shape \(from) to \(to)")
}
