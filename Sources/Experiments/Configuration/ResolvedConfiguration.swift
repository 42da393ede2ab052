// A run's resolved configuration: `base` with every key of SPEC.md's table filled in, plus
// the run's seed (SPEC.md "Keys and defaults"; config.json).

/// The complete configuration of one run, as written to config.json.
///
/// Shape: `{"dataset": {…}, "model": {…}, "training": {…}, "exports": {…}, "plugins": […],
/// "seed": s}` with the keys of each section in the order of ``ConfigurationKeys/all``.
public struct ResolvedConfiguration: Sendable, Equatable {
    /// The configuration tree.
    public let json: JSONValue

    /// Wraps a tree that ``ConfigurationResolver`` produced (or that differs only in its seed).
    init(json: JSONValue) { self.json = json }

    /// Checks a tree read back from config.json (or an HDF5 `config_json` attribute) by
    /// resolving it again; a resolved configuration resolves to itself.
    /// - Throws: ``ConfigurationError`` when it is not a valid resolved configuration.
    public init(validating json: JSONValue, file: String, catalog: PluginCatalog = .builtins) throws {
        let resolver = ConfigurationResolver(file: file, catalog: catalog)
        guard var object = json.objectValue else {
            throw resolver.context.error("", json, .wrongType(expected: "an object"))
        }
        let seed = try resolver.context.integer(object["seed"] ?? .null, at: "seed", minimum: 0)
        object["seed"] = nil
        self = try resolver.resolve(base: .object(object), seed: seed.integerValue!, keyPrefix: "")
    }

    /// The value of a dotted key such as `training.batch_size` (`.null` when absent).
    public subscript(key: String) -> JSONValue { json[path: key] ?? .null }

    /// The run's seed.
    public var seed: Int64 { self["seed"].integerValue ?? 0 }

    /// The learning rate SGD starts from: λ, or λ · n / b under
    /// `training.learning_rate_scaling` {"rule": "linear", "base_batch_size": b} (Goyal et al.
    /// 2017). Only λ and the rule are stored in the configuration; this is derived from them,
    /// so it adds nothing to the run id that the stored keys do not already fix.
    public var effectiveLearningRate: Double {
        let rate = self["training.learning_rate"].numberValue ?? 0
        guard let base = self["training.learning_rate_scaling.base_batch_size"].numberValue,
              let n = self["training.batch_size"].numberValue else { return rate }
        return rate * n / base
    }

    /// config.json: the tree in pretty, stable form.
    public var prettyJSON: String { json.prettyJSON }
}
