// Run ids and run directory names (SPEC.md "Run id", "Run directory").

import Datasets

/// SHA-256 of bytes as 64 lower-case hex digits.
public typealias SHA256Hex = @Sendable ([UInt8]) -> String

/// The Datasets module's SHA-256 (OpenSSL libcrypto), the default of every `sha256:` parameter.
public let datasetsSHA256: SHA256Hex = { SHA256Hasher.hash($0) }

/// How a run is identified: by a hash of what determines its training, and by a directory
/// name that shows what varies across its sweep.
public enum RunIdentity {
    /// The part of a resolved configuration that determines the trained weights: everything
    /// except `dataset.path`, `training.threads`, `exports` and the `plugins` entries of
    /// observer plugins (per `catalog`). Early-stopping and divergence-guard entries stay.
    public static func identityJSON(of configuration: ResolvedConfiguration, catalog: PluginCatalog) -> JSONValue {
        identityJSON(ofTree: configuration.json, catalog: catalog)
    }

    /// ``identityJSON(of:catalog:)`` of a configuration tree as read from config.json, without
    /// checking it first (`exp report` compares runs by it); a non-object comes back unchanged.
    public static func identityJSON(ofTree json: JSONValue, catalog: PluginCatalog) -> JSONValue {
        guard var root = json.objectValue else { return json }
        if var dataset = root["dataset"]?.objectValue { dataset["path"] = nil; root["dataset"] = .object(dataset) }
        if var training = root["training"]?.objectValue { training["threads"] = nil; root["training"] = .object(training) }
        root["exports"] = nil
        let context = CheckContext(file: "", catalog: catalog)
        if let plugins = root["plugins"]?.arrayValue {
            root["plugins"] = .array(plugins.filter { !context.isObserverEntry($0) })
        }
        return .object(root)
    }

    /// The run id: the first 8 hex digits of SHA-256 of the canonical JSON (RFC 8785) of
    /// ``identityJSON(of:catalog:)``.
    public static func id(of configuration: ResolvedConfiguration, catalog: PluginCatalog = .builtins,
                          sha256: SHA256Hex = datasetsSHA256) -> String {
        let canonical = identityJSON(of: configuration, catalog: catalog).canonicalJSON
        return String(sha256(Array(canonical.utf8)).prefix(8))
    }

    /// The keys among `candidates` whose resolved values differ between some two of
    /// `configurations`, sorted by key (UTF-16 code units, as canonical JSON sorts).
    public static func varyingKeys(_ candidates: [String], across configurations: [ResolvedConfiguration]) -> [String] {
        candidates.filter { key in
            Set(configurations.map { $0[key].canonicalJSON }).count > 1
        }.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    }

    /// A run directory name: `<leaf>=<value>` for each of `varyingKeys` (sorted by full key),
    /// joined by `,`, then `,seed=<s>-<id>`; just `seed=<s>-<id>` when nothing varies.
    ///
    /// `<leaf>` is the key's last component; when two varying keys share a leaf (e.g.
    /// `a.momentum` and `b.momentum`) both are written with their full dotted key instead, so
    /// names stay unambiguous. `<value>` is the canonical JSON of the value with its double
    /// quotes removed and every other character outside `[A-Za-z0-9_.+-]` replaced by `_`.
    public static func directoryName(varyingKeys: [String], configuration: ResolvedConfiguration, id: String) -> String {
        let leaves = varyingKeys.map { String($0.split(separator: ".").last!) }
        var parts: [String] = []
        for (key, leaf) in zip(varyingKeys, leaves) {
            let label = leaves.filter { $0 == leaf }.count > 1 ? key : leaf
            parts.append("\(sanitized(label))=\(sanitized(configuration[key].canonicalJSON.replacingQuotes))")
        }
        parts.append("seed=\(configuration.seed)-\(id)")
        return parts.joined(separator: ",")
    }

    /// `text` with every character outside `[A-Za-z0-9_.+-]` replaced by `_` (one `_` per
    /// Unicode scalar).
    public static func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { c in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
                || c == "_" || c == "." || c == "+" || c == "-" ? c : "_"
        }))
    }
}

extension String {
    /// The text without its `"` characters.
    var replacingQuotes: String { filter { $0 != "\"" } }
}
