// The typed values the runner takes from a resolved configuration: the dataset, the training
// loop's settings and the export periods (SPEC.md "Keys and defaults").

import Datasets

extension ResolvedConfiguration {
    /// `dataset.*` as Datasets takes it.
    public var datasetConfiguration: DatasetConfiguration {
        func optionalString(_ key: String) -> String? { self[key].stringValue }
        func optionalInt(_ key: String) -> Int? { self[key].integerValue.map(Int.init) }
        return DatasetConfiguration(
            name: string("dataset.name"), path: optionalString("dataset.path"),
            trainImages: optionalString("dataset.train_images"), trainLabels: optionalString("dataset.train_labels"),
            testImages: optionalString("dataset.test_images"), testLabels: optionalString("dataset.test_labels"),
            normalize: Normalization(rawValue: string("dataset.normalize")) ?? .standardize,
            trainLimit: optionalInt("dataset.train_limit"), testLimit: optionalInt("dataset.test_limit"),
            validation: optionalInt("dataset.validation") ?? 0)
    }

    /// `training.epochs` (≥ 1).
    public var epochs: Int { integer("training.epochs") }
    /// `training.batch_size` (n).
    public var batchSize: Int { integer("training.batch_size") }
    /// `training.momentum` (μ).
    public var momentum: Double { self["training.momentum"].numberValue ?? 0 }
    /// `training.weight_decay`.
    public var weightDecay: Double { self["training.weight_decay"].numberValue ?? 0 }
    /// `training.shuffle`.
    public var shuffle: Bool { self["training.shuffle"].boolValue ?? true }
    /// `training.drop_last`.
    public var dropLast: Bool { self["training.drop_last"].boolValue ?? false }
    /// `training.threads` (nil = all cores).
    public var threads: Int? { self["training.threads"].integerValue.map(Int.init) }

    /// `exports.weights_every`, `kernels_every`, `activations_every` (epochs; 0 = first and last only).
    public var weightsEvery: Int { integer("exports.weights_every") }
    public var kernelsEvery: Int { integer("exports.kernels_every") }
    public var activationsEvery: Int { integer("exports.activations_every") }
    /// `exports.activation_images`: test-set indices.
    public var activationImages: [Int] {
        (self["exports.activation_images"].arrayValue ?? []).compactMap { $0.integerValue.map(Int.init) }
    }

    /// The `plugins` entries in file order.
    public var pluginEntries: [JSONObject] { (self["plugins"].arrayValue ?? []).compactMap(\.objectValue) }
}

extension ResolvedConfiguration {
    /// `model.bn_inference == "population"`: evaluate with exact training-set statistics.
    public var usesPopulationStatistics: Bool { self["model.bn_inference"].stringValue == "population" }
}
