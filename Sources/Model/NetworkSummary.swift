// The paper's Table 1 (layers and shapes) and Table 2 (parameters) for a configured network.

import Layers
import Tensor

/// A description of a network's layers and parameters, as `exp model summary` prints it.
public struct NetworkSummary: Sendable, Equatable {
    /// A named parameter tensor.
    public struct Parameter: Sendable, Equatable {
        /// "P0.w", "S4.b", …
        public let name: String
        public let shape: [Int]
        public var count: Int { shape.reduce(1, *) }
    }

    /// One row of Table 1: layer i with its output A_i.
    public struct Row: Sendable, Equatable {
        /// i (0 for the input A_0).
        public let index: Int
        public let type: LayerType
        /// A short description, e.g. "conv k5 s1 p0, 1→6" or "shortcut + A4".
        public let detail: String
        /// The shape of A_i without n.
        public let outputShape: [Int]
        public let parameters: [Parameter]
        public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    }

    public let architecture: ModelConfiguration.Architecture
    public let batchNorm: ModelConfiguration.BatchNormPlacement
    public let rows: [Row]
    public var totalParameters: Int { rows.reduce(0) { $0 + $1.parameterCount } }

    /// The summary of `network`.
    public init<Scalar: TensorScalar>(_ network: Network<Scalar>) {
        architecture = network.configuration.architecture
        batchNorm = network.configuration.batchNorm
        var rows = [Row(index: 0, type: .input, detail: "input", outputShape: network.shapes[0], parameters: [])]
        for (offset, layer) in network.layers.enumerated() {
            let i = offset + 1
            var params = layer.parameterNames.enumerated().map {
                Parameter(name: "P\(offset).\($0.element)", shape: layer.parameters[$0.offset].shape)
            }
            var detail = Self.detail(layer, input: network.shapes[offset], output: network.shapes[i])
            if let shortcut = network.shortcuts[i] {
                detail = "shortcut + A\(shortcut.source)"
                if let p = shortcut.projection {
                    let projection = network.projections[p]
                    detail += " (projection \(projection.type.rawValue))"
                    params += projection.parameterNames.enumerated().map {
                        Parameter(name: "S\(shortcut.source).\($0.element)", shape: projection.parameters[$0.offset].shape)
                    }
                }
            }
            rows.append(Row(index: i, type: layer.type, detail: detail, outputShape: network.shapes[i], parameters: params))
        }
        self.rows = rows
    }

    static func detail<Scalar: TensorScalar>(_ layer: any Layer<Scalar>, input: [Int], output: [Int]) -> String {
        if let c = layer as? Convolution<Scalar> {
            return "conv k\(c.kernelSize) s\(c.stride) p\(c.padding), \(c.inputChannels)→\(c.outputChannels)"
        }
        if let m = layer as? MaxPool<Scalar> {
            return "maxpool k\(m.kernelSize) s\(m.stride) p\(m.padding)"
        }
        if let f = layer as? FullyConnected<Scalar> {
            return "fully connected \(f.inputFeatures)→\(f.outputFeatures)"
        }
        switch layer.type {
        case .batch_norm: return "batch norm"
        case .leaky_relu: return "leaky relu"
        default: return layer.type.rawValue
        }
    }
}
