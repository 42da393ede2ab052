// Storing a `NetworkTensors` state as groups P{j} / S{j} with datasets and the attributes
// `layer` and `index` (SPEC.md "HDF5 files", weights.h5; docs/FORMAT.md).

import HDF5
import Tensor

extension NetworkTensors {
    /// Writes one group per trainable layer under `location` (e.g. `/epoch_0003`): group
    /// `name` with attributes `layer` (string) and `index` (int64) and one dataset per tensor
    /// (element type `Scalar`: float32 for `Float`).
    func write(into location: HDF5Location) throws {
        for layer in layers {
            let group = try location.createGroup(layer.name)
            try group.setAttribute("layer", .string(layer.layer))
            try group.setAttribute("index", .int64(Int64(layer.index)))
            for dataset in layer.tensors.keys.sorted() {
                let tensor = layer.tensors[dataset]!
                try group.writeDataset(dataset, values: tensor.scalars, shape: tensor.shape)
            }
        }
    }

    /// Reads every child group of `group` as a trainable layer, ordered by `index` then name.
    /// - Throws: `ResultsFileError` for a missing `layer`/`index` attribute, a dataset that is
    ///   not of type `Scalar`, or a child that is a dataset.
    static func read(_ reader: ResultsReader, from group: HDF5Group) throws -> NetworkTensors {
        var layers: [LayerTensors<Scalar>] = []
        let stray = try reader.children(of: group, groups: false)
        if let name = stray.first {
            throw reader.error(.inconsistent("\(group.objectPath)/\(name) is a dataset, expected a layer group"))
        }
        for name in try reader.children(of: group, groups: true) {
            let layerGroup = try reader.group(group.objectPath + "/" + name)
            let type = try reader.string("layer", of: layerGroup), index = Int(try reader.integer("index", of: layerGroup))
            var tensors: [String: Tensor<Scalar>] = [:]
            for dataset in try reader.children(of: layerGroup, groups: false) {
                let array: HDF5Array<Scalar> = try reader.dataset(dataset, in: layerGroup)
                tensors[dataset] = Tensor(shape: array.shape, scalars: array.values)
            }
            layers.append(LayerTensors(name: name, layer: type, index: index, tensors: tensors))
        }
        layers.sort { ($0.index, $0.name) < ($1.index, $1.name) }
        return NetworkTensors(layers: layers)
    }
}
