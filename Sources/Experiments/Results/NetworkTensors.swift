// A network's parameters and BN buffers grouped by trainable layer, as weights.h5 and
// checkpoint.h5 store them (SPEC.md "HDF5 files", weights.h5): the layer whose input is A_j
// is group P{j}, a shortcut projection whose input is A_j is S{j}; datasets w, b
// (+ running_mean, running_var for batch norm); attributes `layer` (type) and `index`.

import HDF5
import Model
import Tensor

/// The tensors of one trainable layer (group `P{j}` or `S{j}`).
public struct LayerTensors<Scalar: TensorScalar & HDF5Scalar>: Sendable, Equatable {
    /// "P0", "P2", …, or "S4" for a shortcut projection.
    public var name: String
    /// The layer's `type` (`LayerType` raw value: conv, fc, batch_norm; a projection: conv or fc).
    public var layer: String
    /// i, the layer's index (it outputs A_i, so P{j} has index j + 1); for S{j} the index of
    /// the shortcut layer that adds the projection.
    public var index: Int
    /// By dataset name: "w", "b", and for batch norm "running_mean", "running_var". Shapes as
    /// in the network: conv w d_i×d_{i−1}×k×k, fc w f_{i−1}×f_i, the rest 1-D.
    public var tensors: [String: Tensor<Scalar>]

    /// A layer's tensors from plain values.
    public init(name: String, layer: String, index: Int, tensors: [String: Tensor<Scalar>]) {
        self.name = name
        self.layer = layer
        self.index = index
        self.tensors = tensors
    }
}

/// One saved state of a network: every parameter and buffer, by trainable layer.
public struct NetworkTensors<Scalar: TensorScalar & HDF5Scalar>: Sendable, Equatable {
    /// The trainable layers in network order (by `index`, projections after their shortcut's layer).
    public var layers: [LayerTensors<Scalar>]

    /// A state from plain values.
    public init(layers: [LayerTensors<Scalar>]) { self.layers = layers }

    /// Captures `network`'s parameters and buffers, converted to `Scalar` (Float → Float is exact).
    public init<Source: TensorScalar>(network: Network<Source>) {
        var layers: [LayerTensors<Scalar>] = []
        var position: [String: Int] = [:]
        let parameters = network.parameters, buffers = network.buffers
        let named = zip(network.parameterNames, parameters).map { ($0, $1) } + zip(network.bufferNames, buffers).map { ($0, $1) }
        for (fullName, tensor) in named {
            let (group, dataset) = Self.split(fullName)
            if position[group] == nil {
                let (type, index) = Self.describe(group, in: network)
                position[group] = layers.count
                layers.append(LayerTensors(name: group, layer: type, index: index, tensors: [:]))
            }
            layers[position[group]!].tensors[dataset] = tensor.converted(to: Scalar.self)
        }
        self.layers = layers
    }

    /// The tensor named as in `Network` ("P0.w", "P2.running_mean"), or nil.
    public func tensor(named name: String) -> Tensor<Scalar>? {
        let (group, dataset) = Self.split(name)
        return layers.first { $0.name == group }?.tensors[dataset]
    }

    /// Every tensor by its `Network` name ("P0.w", …).
    public var tensorsByName: [String: Tensor<Scalar>] {
        var all: [String: Tensor<Scalar>] = [:]
        for layer in layers { for (dataset, tensor) in layer.tensors { all[layer.name + "." + dataset] = tensor } }
        return all
    }

    /// Sets every parameter and buffer of `network` from this state, by name.
    /// - Parameters:
    ///   - groupPath: where the state lives in the file, for error messages ("/epoch_0003").
    /// - Throws: `ResultsFileError` `.missingObject` when a tensor of the network is absent,
    ///   `.wrongShape` when its shape differs. Tensors the network does not have are ignored.
    func apply<Target: TensorScalar>(to network: inout Network<Target>, path: String, kind: ResultsFileKind,
                                     groupPath: String) throws {
        var parameters = network.parameters, buffers = network.buffers
        func take(_ name: String, expected: [Int]) throws -> Tensor<Target> {
            let (group, dataset) = Self.split(name)
            let objectPath = groupPath + "/" + group + "/" + dataset
            guard let tensor = tensor(named: name) else {
                throw ResultsFileError(path: path, kind: kind, problem: .missingObject(objectPath))
            }
            guard tensor.shape == expected else {
                throw ResultsFileError(path: path, kind: kind, problem: .wrongShape(object: objectPath, expected: expected, found: tensor.shape))
            }
            return tensor.converted(to: Target.self)
        }
        for (t, name) in network.parameterNames.enumerated() { parameters[t] = try take(name, expected: parameters[t].shape) }
        for (t, name) in network.bufferNames.enumerated() { buffers[t] = try take(name, expected: buffers[t].shape) }
        network.parameters = parameters
        network.buffers = buffers
    }

    /// "P0.w" → ("P0", "w"); "P2.running_mean" → ("P2", "running_mean").
    static func split(_ name: String) -> (group: String, dataset: String) {
        guard let dot = name.firstIndex(of: ".") else { return (name, "") }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// The `layer` type and `index` of group `P{j}` or `S{j}` of `network`.
    static func describe<Source>(_ group: String, in network: Network<Source>) -> (type: String, index: Int) {
        let j = Int(group.dropFirst()) ?? 0
        if group.hasPrefix("S"),
           let (i, shortcut) = network.shortcuts.sorted(by: { $0.key < $1.key }).first(where: { $0.value.source == j && $0.value.projection != nil }) {
            return (network.projections[shortcut.projection!].type.rawValue, i)
        }
        return (network.layers[j].type.rawValue, j + 1)
    }
}
