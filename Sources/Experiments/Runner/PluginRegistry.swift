// The explicit registry mapping plugin names to types (CONVENTIONS.md #12; no static-init magic).

/// Plugin types by name: the built-ins plus any a user's `exp` adds. Sendable: it holds only
/// metatypes, immutable once registered (the compiler cannot see that metatypes of a
/// non-Sendable protocol carry no state).
public struct PluginRegistry: @unchecked Sendable {
    /// The registered types in registration order.
    public let types: [any ExperimentPlugin.Type]

    /// The built-ins of SPEC.md plus `extra` (a user's plugins).
    /// - Precondition: names are unique.
    public init(extra: [any ExperimentPlugin.Type] = []) {
        let all = Self.builtins + extra
        precondition(Set(all.map { $0.name }).count == all.count, "duplicate plugin names in \(all.map { $0.name })")
        types = all
    }

    /// The type named `name`, if registered.
    /// The plugins of this module, in the order `instantiate` adds them.
    static let builtins: [any ExperimentPlugin.Type] = [
        MetricsHDF5Plugin.self, WeightsHDF5Plugin.self, KernelsPNGPlugin.self, ActivationsPNGPlugin.self,
        ProgressPlugin.self, DivergenceGuardPlugin.self, EarlyStoppingPlugin.self, DiagnosticsPlugin.self,
    ]

    /// Whether `plugin` is one of `builtins`: those read no result files at an epoch end, so
    /// the loop need not wait for the deferred commits before them (`RunContext.commits`).
    static func isBuiltin(_ plugin: any ExperimentPlugin) -> Bool {
        let identifier = ObjectIdentifier(Swift.type(of: plugin))
        return builtins.contains { ObjectIdentifier($0) == identifier }
    }

    public func type(named name: String) -> (any ExperimentPlugin.Type)? {
        types.first { $0.name == name }
    }

    /// The catalog the configuration layer validates `plugins` entries against.
    public var catalog: PluginCatalog {
        PluginCatalog(types.map { .init(name: $0.name, observes: $0.observesOnly, optionKeys: $0.optionKeys) })
    }

    /// Instantiates the plugins of a resolved configuration, in order: the built-ins that are on
    /// by default (unless disabled), then the entries of `plugins` in file order.
    /// - Throws: `PluginOptionError` for bad options.
    public func instantiate(_ entries: [JSONObject]) throws -> [any ExperimentPlugin] {
        var result: [any ExperimentPlugin] = []
        var configured: [String: JSONObject] = [:]
        for entry in entries {
            if let name = entry["name"]?.stringValue { configured[name] = entry }
        }
        func options(_ entry: JSONObject?) -> JSONObject {
            JSONObject((entry ?? JSONObject()).filter { $0.key != "name" && $0.key != "enabled" }.map { ($0.key, $0.value) })
        }
        for type in types where type.enabledByDefault {
            let entry = configured[type.name]
            if entry?["enabled"]?.boolValue == false { continue }
            result.append(try type.init(options: options(entry)))
        }
        for entry in entries {
            guard let name = entry["name"]?.stringValue, let type = type(named: name),
                  !type.enabledByDefault, entry["enabled"]?.boolValue != false else { continue }
            result.append(try type.init(options: options(entry)))
        }
        return result
    }
}
