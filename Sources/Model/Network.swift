// A network: a sequence of layers, layer i mapping A_{i−1} to A_i, with shortcut connections.
//
// Source: Boué (arXiv:1811.11987) §2 (the network as a composition of layers, A_0 the input)
// and Table 1. Parameters are named after the data their layer reads: the layer whose input is
// A_j owns P{j}.w, P{j}.b; a shortcut projection whose input is A_j owns S{j}.w, S{j}.b (SPEC.md).

import Layers
import Tensor

/// A feed-forward network with optional shortcut connections, generic over the scalar type.
///
/// `layers[i − 1]` maps A_{i−1} to A_i for i = 1…L; A_0 is the n×d×r×r input and A_L the n×m
/// logits. A shortcut layer at index i adds S(A_j) to A_{i−1} (S the identity or a projection).
public struct Network<Scalar: TensorScalar>: Sendable {
    /// A shortcut at layer index i: the bypassed data A_j and its projection, if any.
    public struct Shortcut: Sendable {
        /// j: the index of the bypassed data A_j.
        public let source: Int
        /// The index into `projections`, nil for the identity.
        public let projection: Int?
    }

    /// Where a named tensor lives.
    enum Owner: Sendable, Equatable {
        case layer(Int)        // index into `layers`
        case projection(Int)   // index into `projections`
    }

    /// The configuration the network was built from.
    public let configuration: ModelConfiguration
    /// `layers[i − 1]` maps A_{i−1} to A_i.
    public internal(set) var layers: [any Layer<Scalar>]
    /// Shortcut projections S (1×1 convolutions or fully connected), in layer order.
    public internal(set) var projections: [any Layer<Scalar>]
    /// Shortcuts by layer index i.
    public let shortcuts: [Int: Shortcut]
    /// The shape of A_i without n, for i = 0…L (A_0 = the input d×r×r).
    public let shapes: [[Int]]
    /// "P0.w", "P0.b", "P2.w", … in layer order (projections at their shortcut's position).
    public let parameterNames: [String]
    /// "P2.running_mean", "P2.running_var", … in layer order.
    public let bufferNames: [String]
    let parameterSlots: [(owner: Owner, index: Int)]
    let bufferSlots: [(owner: Owner, index: Int)]

    /// Builds the configured network with zero parameters (call `initialize`).
    ///
    /// - Parameters:
    ///   - configuration: architecture, BN placement, activation, …
    ///   - inputShape: A_0 without n, d×r×r (MNIST: 1×28×28).
    ///   - classCount: m, the width of the last layer's output for the presets.
    /// - Throws: `ModelError` when a layer does not fit its input shape.
    public init(_ configuration: ModelConfiguration, inputShape: [Int] = [1, 28, 28], classCount: Int = 10) throws {
        self.configuration = configuration
        guard configuration.blocksPerStage >= 1, configuration.blocksPerStage <= LayerLimits.layers / 8 else {
            throw ModelError.invalidLayer(index: 0, message: "blocks_per_stage = \(configuration.blocksPerStage) must be in 1…\(LayerLimits.layers / 8)")
        }
        var specs = layerSpecs(for: configuration)
        guard specs.count <= LayerLimits.layers else {
            throw ModelError.invalidLayer(index: 0, message: "\(specs.count) layers; at most \(LayerLimits.layers)")
        }
        if configuration.architecture != .layers, classCount != 10, case .fullyConnected = specs.last {
            specs[specs.count - 1] = .fullyConnected(outputFeatures: classCount)
        }
        var layers: [any Layer<Scalar>] = []
        var projections: [any Layer<Scalar>] = []
        var shortcuts: [Int: Shortcut] = [:]
        var shapes = [inputShape]
        var parameterTotal = 0
        func count(_ layer: any Layer<Scalar>, index: Int) throws {
            parameterTotal += layer.parameterCount
            guard parameterTotal <= LayerLimits.networkParameters else {
                throw ModelError.invalidLayer(index: index, message: "the network holds more than \(LayerLimits.networkParameters) "
                                              + "parameters in total up to this layer")
            }
        }
        for (offset, spec) in specs.enumerated() {
            let i = offset + 1
            let layer: any Layer<Scalar> = try makeLayer(spec, input: shapes[i - 1], configuration: configuration, index: i)
            try count(layer, index: i)
            let output: [Int]
            do {
                output = Array(try layer.outputShape(for: [1] + shapes[i - 1]).dropFirst())
            } catch {
                throw ModelError.invalidLayer(index: i, message: "\(error)")
            }
            if case let .shortcut(span) = spec {
                let j = i - 1 - span
                guard span >= 1, j >= 0 else { throw ModelError.invalidShortcut(index: i, span: span) }
                var projectionIndex: Int? = nil
                if let projection: any Layer<Scalar> = try makeProjection(from: shapes[j], to: output, index: i,
                                                                          budget: LayerLimits.networkParameters - parameterTotal) {
                    try count(projection, index: i)
                    projectionIndex = projections.count
                    projections.append(projection)
                }
                shortcuts[i] = Shortcut(source: j, projection: projectionIndex)
            }
            guard output.reduce(1, *) <= LayerLimits.activations else {
                throw ModelError.invalidLayer(index: i, message: "its output \(output) holds more than \(LayerLimits.activations) values per sample")
            }
            layers.append(layer)
            shapes.append(output)
        }
        self.layers = layers
        self.projections = projections
        self.shortcuts = shortcuts
        self.shapes = shapes

        var names: [String] = [], slots: [(Owner, Int)] = []
        var bufferNames: [String] = [], bufferSlots: [(Owner, Int)] = []
        for (offset, layer) in layers.enumerated() {
            for (k, name) in layer.parameterNames.enumerated() {
                names.append("P\(offset).\(name)"); slots.append((.layer(offset), k))
            }
            for (k, name) in layer.bufferNames.enumerated() {
                bufferNames.append("P\(offset).\(name)"); bufferSlots.append((.layer(offset), k))
            }
            if let shortcut = shortcuts[offset + 1], let p = shortcut.projection {
                for (k, name) in projections[p].parameterNames.enumerated() {
                    names.append("S\(shortcut.source).\(name)"); slots.append((.projection(p), k))
                }
            }
        }
        self.parameterNames = names
        self.parameterSlots = slots
        self.bufferNames = bufferNames
        self.bufferSlots = bufferSlots
    }

    /// L, the number of layers (the paper's lenet5: 16).
    public var depth: Int { layers.count }

    /// The total number of trainable scalars (lenet5: 44,878).
    public var parameterCount: Int {
        layers.reduce(0) { $0 + $1.parameterCount } + projections.reduce(0) { $0 + $1.parameterCount }
    }

    /// Whether any layer is batch normalisation (a minibatch of one is then refused in training).
    public var hasBatchNorm: Bool { layers.contains { $0.type == .batch_norm } }

    func layer(_ owner: Owner) -> any Layer<Scalar> {
        switch owner {
        case let .layer(i): return layers[i]
        case let .projection(p): return projections[p]
        }
    }

    /// Every parameter, in `parameterNames` order.
    public var parameters: [Tensor<Scalar>] {
        get { parameterSlots.map { layer($0.owner).parameters[$0.index] } }
        set {
            precondition(newValue.count == parameterSlots.count, "expected \(parameterSlots.count) tensors")
            for (t, slot) in parameterSlots.enumerated() {
                precondition(newValue[t].shape == layer(slot.owner).parameters[slot.index].shape,
                             "\(parameterNames[t]): shape \(newValue[t].shape)")
                switch slot.owner {
                case let .layer(i): layers[i].parameters[slot.index] = newValue[t]
                case let .projection(p): projections[p].parameters[slot.index] = newValue[t]
                }
            }
        }
    }

    /// Mutates every parameter in place, in `parameterNames` order: body(t, &P_t).
    public mutating func updateParameters(_ body: (Int, inout Tensor<Scalar>) -> Void) {
        for (t, slot) in parameterSlots.enumerated() {
            switch slot.owner {
            case let .layer(i): layers[i].updateParameter(slot.index) { body(t, &$0) }
            case let .projection(p): projections[p].updateParameter(slot.index) { body(t, &$0) }
            }
        }
    }

    /// Every buffer (BN running statistics), in `bufferNames` order.
    public var buffers: [Tensor<Scalar>] {
        get { bufferSlots.map { layer($0.owner).buffers[$0.index] } }
        set {
            precondition(newValue.count == bufferSlots.count, "expected \(bufferSlots.count) tensors")
            for (t, slot) in bufferSlots.enumerated() {
                guard case let .layer(i) = slot.owner else { continue }
                layers[i].buffers[slot.index] = newValue[t]
            }
        }
    }

    /// The parameter or buffer named `name` ("P0.w", "P2.running_mean").
    /// - Throws: `ModelError.unknownTensor`.
    public func tensor(named name: String) throws -> Tensor<Scalar> {
        if let t = parameterNames.firstIndex(of: name) { return parameters[t] }
        if let t = bufferNames.firstIndex(of: name) { return buffers[t] }
        throw ModelError.unknownTensor(name: name)
    }

    /// Replaces the parameter or buffer named `name`.
    /// - Throws: `ModelError.unknownTensor` or `.shapeMismatch`.
    public mutating func setTensor(_ value: Tensor<Scalar>, named name: String) throws {
        if let t = parameterNames.firstIndex(of: name) {
            var all = parameters
            guard all[t].shape == value.shape else {
                throw ModelError.shapeMismatch(name: name, expected: all[t].shape, actual: value.shape)
            }
            all[t] = value
            parameters = all
        } else if let t = bufferNames.firstIndex(of: name) {
            var all = buffers
            guard all[t].shape == value.shape else {
                throw ModelError.shapeMismatch(name: name, expected: all[t].shape, actual: value.shape)
            }
            all[t] = value
            buffers = all
        } else {
            throw ModelError.unknownTensor(name: name)
        }
    }
}
