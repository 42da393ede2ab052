// SPEC.md's table of configuration keys: every key, its default and its allowed values.
// docs/SWEEPS.md documents the same table for users; keep the two in step.

/// One dotted key of the resolved configuration (SPEC.md "Keys and defaults").
public struct ConfigurationKey: Sendable {
    /// The dotted path, e.g. `training.batch_size`.
    public let path: String
    /// The value a key absent from `base` takes.
    public let defaultValue: JSONValue
    /// What values are allowed.
    public let rule: ValueRule

    /// The section (`dataset`, `model`, …) and the key inside it.
    var section: String { String(path.split(separator: ".")[0]) }
    var leaf: String { String(path.split(separator: ".").last!) }
}

/// The allowed values of a key.
public enum ValueRule: Sendable {
    /// One of the listed strings.
    case oneOf([String])
    /// An integer ≥ `minimum` (and ≤ `maximum` when given); null too when `nullable`.
    case integer(minimum: Int64, maximum: Int64? = nil, nullable: Bool = false)
    /// A number in [`minimum`, `maximum`) (or (`minimum`, …) when `exclusiveMinimum`).
    case number(minimum: Double, exclusiveMinimum: Bool = false, maximum: Double? = nil, exclusiveMaximum: Bool = true)
    /// A boolean.
    case boolean
    /// A string or null.
    case optionalString
    /// A structured value checked by its own function (schedule, layer list, …).
    case structured(Structure)

    /// The keys whose values are objects or arrays with their own grammar, in order:
    /// training.schedule, training.learning_rate_scaling, model.layers,
    /// exports.activation_images, plugins.
    public enum Structure: Sendable {
        case schedule, learningRateScaling, layers, indices, plugins
    }
}

/// The key table in resolved-configuration order.
public enum ConfigurationKeys {
    /// The top-level sections of `base` and of a resolved configuration, in order.
    public static let sections = ["dataset", "model", "training", "exports", "plugins"]

    /// The largest `training.epochs`, `training.warmup_epochs` and `training.schedule.step_epochs`
    /// (docs/SWEEPS.md): far beyond any real run (an MNIST epoch takes seconds), and small enough
    /// that epochs × steps per epoch (≤ 2³¹ samples per epoch, so ≤ 2³¹ steps) stays far inside
    /// Int64 and a Double counts steps exactly. A typo such as 1e18 is bad input, not a trap.
    public static let maximumEpochs: Int64 = 100_000

    /// Every key of SPEC.md's table, in the order config.json lists them.
    public static let all: [ConfigurationKey] = [
        key("dataset.name", "mnist", .oneOf(["mnist", "fashion-mnist", "idx"])),
        key("dataset.path", nil, .optionalString),
        key("dataset.train_images", nil, .optionalString),
        key("dataset.train_labels", nil, .optionalString),
        key("dataset.test_images", nil, .optionalString),
        key("dataset.test_labels", nil, .optionalString),
        key("dataset.normalize", "standardize", .oneOf(["standardize", "unit", "none"])),
        key("dataset.train_limit", nil, .integer(minimum: 1, nullable: true)),
        key("dataset.test_limit", nil, .integer(minimum: 1, nullable: true)),
        key("dataset.validation", 0, .integer(minimum: 0)),
        key("model.architecture", "lenet5", .oneOf(["lenet5", "lenet5-residual", "layers"])),
        key("model.layers", nil, .structured(.layers)),
        key("model.bn", "after", .oneOf(["after", "before", "none"])),
        key("model.residual", false, .boolean),
        key("model.blocks_per_stage", 1, .integer(minimum: 1)),
        key("model.activation", "relu", .oneOf(["relu", "leaky_relu", "tanh", "sigmoid"])),
        key("model.init", "pytorch", .oneOf(["pytorch", "he-normal", "xavier-uniform"])),
        key("model.bn_momentum", 0.1, .number(minimum: 0, maximum: 1, exclusiveMaximum: false)),
        key("model.bn_epsilon", 1e-5, .number(minimum: 0, exclusiveMinimum: true)),
        key("model.bn_inference", "running", .oneOf(["running", "population"])),
        key("training.epochs", 5, .integer(minimum: 1, maximum: maximumEpochs)),
        key("training.batch_size", 64, .integer(minimum: 1)),
        key("training.learning_rate", 0.1, .number(minimum: 0, exclusiveMinimum: true)),
        key("training.learning_rate_scaling", nil, .structured(.learningRateScaling)),
        key("training.momentum", 0.0, .number(minimum: 0, maximum: 1)),
        key("training.weight_decay", 0.0, .number(minimum: 0)),
        key("training.schedule", ["type": "constant"], .structured(.schedule)),
        key("training.warmup_epochs", 0, .integer(minimum: 0, maximum: maximumEpochs)),
        key("training.shuffle", true, .boolean),
        key("training.drop_last", false, .boolean),
        key("training.loss_reduction", "mean", .oneOf(["mean", "sum"])),
        key("training.threads", nil, .integer(minimum: 1, nullable: true)),
        key("exports.weights_every", 1, .integer(minimum: 0)),
        key("exports.kernels_every", 1, .integer(minimum: 0)),
        key("exports.activations_every", 1, .integer(minimum: 0)),
        key("exports.activation_images", [0, 1, 2, 3, 4, 5, 6, 7], .structured(.indices)),
        key("plugins", [], .structured(.plugins)),
    ]

    /// Every dotted key, for `--set`, grid and zip keys and typo suggestions.
    public static let paths: [String] = all.map(\.path)

    /// The key with dotted path `path`, if it is in the table.
    public static func key(_ path: String) -> ConfigurationKey? { index[path] }

    private static let index: [String: ConfigurationKey] =
        Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })

    private static func key(_ path: String, _ value: JSONValue, _ rule: ValueRule) -> ConfigurationKey {
        ConfigurationKey(path: path, defaultValue: value, rule: rule)
    }
}
