// What the configuration layer needs to know of plugins before the registry exists: their
// names, which only observe (and so do not count towards the run id), and optionally their
// option keys (SPEC.md "plugins", "Run id").

/// The plugins a caller knows, by the name used in `plugins` entries.
public struct PluginCatalog: Sendable {
    /// One known plugin.
    public struct Entry: Sendable, Equatable {
        /// The JSON name, e.g. `early-stopping`.
        public var name: String
        /// True when the plugin only observes training (writes files, prints): its entry
        /// does not count towards the run id.
        public var observes: Bool
        /// The option keys its entry may carry besides `name` and `enabled`; nil: unchecked.
        public var optionKeys: [String]?

        /// A known plugin.
        public init(name: String, observes: Bool, optionKeys: [String]? = nil) {
            self.name = name
            self.observes = observes
            self.optionKeys = optionKeys
        }
    }

    /// The known plugins.
    public var entries: [Entry]

    /// A catalog of `entries`.
    public init(_ entries: [Entry]) { self.entries = entries }

    /// SPEC.md's built-ins: metrics-hdf5, weights-hdf5, kernels-png, activations-png, progress,
    /// diagnostics (observers) and divergence-guard, early-stopping (they change the run).
    public static let builtins = PluginCatalog([
        Entry(name: "metrics-hdf5", observes: true), Entry(name: "weights-hdf5", observes: true),
        Entry(name: "kernels-png", observes: true), Entry(name: "activations-png", observes: true),
        Entry(name: "progress", observes: true), Entry(name: "diagnostics", observes: true),
        Entry(name: "divergence-guard", observes: false),
        Entry(name: "early-stopping", observes: false, optionKeys: ["metric", "mode", "patience", "min_delta"]),
    ])

    /// This catalog plus `more` (a user's plugins).
    public func adding(_ more: [Entry]) -> PluginCatalog { PluginCatalog(entries + more) }

    /// The entry named `name`, if known.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }
}

extension CheckContext {
    /// An array of plugin entries `{"name": known, "enabled": bool?, <options>…}`, each name
    /// at most once. Options are passed through as given; the plugin checks their values.
    func plugins(_ value: JSONValue, at keyPath: String) throws -> JSONValue {
        guard let entries = value.arrayValue else {
            throw error(keyPath, value, .wrongType(expected: "an array of plugin entries such as [{\"name\": \"early-stopping\", \"patience\": 2}]"))
        }
        let known = catalog.entries.map(\.name)
        var seen = Set<String>()
        for (i, entry) in entries.enumerated() {
            let entryPath = "\(keyPath)[\(i)]"
            guard let object = entry.objectValue else {
                throw error(entryPath, entry, .wrongType(expected: "an object {\"name\": …, <options>}"))
            }
            guard let nameValue = object["name"] else { throw error("\(entryPath).name", nil, .missingKey) }
            guard let name = nameValue.stringValue else {
                throw error("\(entryPath).name", nameValue, .wrongType(expected: "a string"))
            }
            guard let plugin = catalog.entry(named: name) else {
                let hint = nearestKey(to: name, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
                throw error("\(entryPath).name", nameValue, .invalidValue(allowed: "unknown plugin; known plugins: \(known.joined(separator: ", "))\(hint)"))
            }
            guard seen.insert(name).inserted else {
                throw error("\(entryPath).name", nameValue, .invalidValue(allowed: "configured twice; merge the two entries"))
            }
            if let enabled = object["enabled"], enabled.boolValue == nil {
                throw error("\(entryPath).enabled", enabled, .wrongType(expected: "true or false"))
            }
            if let optionKeys = plugin.optionKeys {
                _ = try members(entry, at: entryPath, known: ["name", "enabled"] + optionKeys, what: "an object")
            }
        }
        return value
    }

    /// True when the plugin entry only observes (its name is an observer in the catalog).
    func isObserverEntry(_ entry: JSONValue) -> Bool {
        entry.objectValue?["name"]?.stringValue.flatMap(catalog.entry(named:))?.observes ?? false
    }
}
