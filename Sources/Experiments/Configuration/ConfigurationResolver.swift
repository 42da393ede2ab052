// From a sweep's `base` (with grid/zip values and `--set` overrides merged in) to a run's
// resolved configuration with every default filled (SPEC.md "Keys and defaults").

/// Training- and test-set sizes, used to bound batch_size and indices before anything runs.
public struct DatasetSizes: Sendable, Equatable {
    /// Samples in the training file (before validation and train_limit).
    public var train: Int
    /// Samples in the test file (before test_limit).
    public var test: Int

    /// Sizes of a dataset's files.
    public init(train: Int, test: Int) {
        self.train = train
        self.test = test
    }

    /// MNIST and Fashion-MNIST: 60,000 training and 10,000 test images.
    public static let known: [String: DatasetSizes] = [
        "mnist": DatasetSizes(train: 60_000, test: 10_000),
        "fashion-mnist": DatasetSizes(train: 60_000, test: 10_000),
    ]
}

/// Validates configuration trees and fills in defaults.
public struct ConfigurationResolver: Sendable {
    /// The file named in errors (the sweep file, or `--set`).
    public var file: String
    /// The plugins that `plugins` entries may name.
    public var catalog: PluginCatalog
    /// Sizes of the dataset a resolved `dataset` section describes; nil when unknown. The
    /// default knows mnist and fashion-mnist; a caller can read an IDX header for `idx`.
    public var datasetSizes: @Sendable (JSONObject) -> DatasetSizes?
    /// Whether the keys only a run uses are checked against the dataset: `training.batch_size`
    /// (≤ the training samples, no minibatch of one with batch norm on vector data) and
    /// `exports.activation_images` (< the test samples). True by default; `exp bench`, which
    /// times its own `--batch-sizes` and exports nothing, turns it off. The dataset keys
    /// themselves (`dataset.validation`, `train_limit`, `test_limit`) are checked either way.
    public var checksRunKeysAgainstDataset = true

    /// A resolver for `file` that knows the plugins of `catalog`.
    public init(file: String, catalog: PluginCatalog = .builtins,
                datasetSizes: @escaping @Sendable (JSONObject) -> DatasetSizes? = { dataset in
                    dataset["name"]?.stringValue.flatMap { DatasetSizes.known[$0] }
                }) {
        self.file = file
        self.catalog = catalog
        self.datasetSizes = datasetSizes
    }

    var context: CheckContext { CheckContext(file: file, catalog: catalog) }

    /// Resolves `base` for a run with `seed`.
    /// - Parameter keyPrefix: how errors name `base`'s keys (`base.training.epochs`); "" for
    ///   a bare configuration.
    /// - Throws: ``ConfigurationError`` for unknown keys (with the nearest known one), wrong
    ///   types, out-of-range values and inconsistent combinations.
    public func resolve(base: JSONValue, seed: Int64, keyPrefix: String = "base") throws -> ResolvedConfiguration {
        let dot = keyPrefix.isEmpty ? "" : keyPrefix + "."
        guard let object = base.objectValue else {
            throw context.error(keyPrefix, base, .wrongType(expected: "an object {\"dataset\": {…}, \"model\": {…}, …}"))
        }
        for key in object.keys where !ConfigurationKeys.sections.contains(key) {
            let suggestion = nearestKey(to: key, in: ConfigurationKeys.sections + ConfigurationKeys.paths)
            throw context.error(dot + key, nil, .unknownKey(suggestion: suggestion.map { dot + $0 }, known: ConfigurationKeys.sections))
        }
        var resolved = JSONObject()
        for section in ConfigurationKeys.sections where section != "plugins" {
            let given = object[section] ?? .object(JSONObject())
            guard let members = given.objectValue else {
                throw context.error(dot + section, given, .wrongType(expected: "an object"))
            }
            for key in members.keys where ConfigurationKeys.key("\(section).\(key)") == nil {
                let suggestion = nearestKey(to: "\(section).\(key)", in: ConfigurationKeys.paths)
                throw context.error("\(dot)\(section).\(key)", nil,
                                    .unknownKey(suggestion: suggestion.map { dot + $0 },
                                                known: ConfigurationKeys.paths.filter { $0.hasPrefix(section + ".") }))
            }
            var filled = JSONObject()
            for key in ConfigurationKeys.all where key.section == section {
                let value = members[key.leaf] ?? key.defaultValue
                filled[key.leaf] = try key.check(value, at: dot + key.path, in: context)
            }
            resolved[section] = .object(filled)
        }
        let plugins = ConfigurationKeys.key("plugins")!
        resolved["plugins"] = try plugins.check(object["plugins"] ?? plugins.defaultValue, at: dot + "plugins", in: context)
        resolved["seed"] = .int(seed)
        let configuration = ResolvedConfiguration(json: .object(resolved))
        try crossCheck(configuration)
        return configuration
    }

    /// Checks `value` for the dotted `key` alone (grid values, zip values, `--set`).
    /// - Throws: ``ConfigurationError`` naming `keyPath` (default: `key`).
    public func check(_ value: JSONValue, for key: String, keyPath: String? = nil) throws -> JSONValue {
        guard let configurationKey = ConfigurationKeys.key(key) else {
            throw context.error(keyPath ?? key, nil, .unknownKey(suggestion: nearestKey(to: key, in: ConfigurationKeys.paths),
                                                                 known: ConfigurationKeys.paths))
        }
        return try configurationKey.check(value, at: keyPath ?? key, in: context)
    }
}
