// `--set KEY=VALUE` (SPEC.md "Command line"): KEY is a dotted configuration key, VALUE is
// parsed as JSON, else taken as a string.

/// One command-line override of a configuration key.
public struct Override: Sendable, Equatable {
    /// The dotted key, one of ``ConfigurationKeys/paths``.
    public var key: String
    /// The value, checked against the key's rule and normalised.
    public var value: JSONValue

    /// An override of `key` with `value` (unchecked; see ``parse(_:resolver:)``).
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }

    /// Parses `KEY=VALUE`. VALUE is JSON if it parses as JSON (`16`, `true`, `null`,
    /// `[1,2]`, `{"type": "cosine"}`, `"text"`), otherwise the literal string (`after`).
    /// - Throws: ``ConfigurationError`` (file `--set`) for a missing `=`, an unknown key
    ///   (with the nearest known one) or a value its key does not allow.
    public static func parse(_ argument: String, catalog: PluginCatalog = .builtins) throws -> Override {
        let resolver = ConfigurationResolver(file: "--set", catalog: catalog)
        guard let equals = argument.firstIndex(of: "=") else {
            throw ConfigurationError(file: "--set", keyPath: argument, kind: .invalidValue(
                allowed: "expected KEY=VALUE, e.g. --set training.batch_size=16"))
        }
        let key = argument[..<equals].trimmingWhitespace
        let text = String(argument[argument.index(after: equals)...])
        let value = (try? JSONParser.parse(text, file: "--set")) ?? .string(text)
        return Override(key: key, value: try resolver.check(value, for: key))
    }

    /// `base` with every override applied in order (a later one wins).
    public static func apply(_ overrides: [Override], to base: JSONValue) -> JSONValue {
        var result = base
        for override in overrides { result.set(path: override.key, to: override.value) }
        return result
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
