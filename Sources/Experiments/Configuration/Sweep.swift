// The sweep file (SPEC.md "Sweep file"): name, description, base, seeds, grid, zip.

/// A parsed and checked sweep definition.
public struct Sweep: Sendable, Equatable {
    /// The sweep's directory name: `[A-Za-z0-9][A-Za-z0-9_.-]*`.
    public var name: String
    /// Free text ("" when absent).
    public var description: String
    /// The configuration every run starts from (not yet resolved).
    public var base: JSONValue
    /// Non-negative, distinct; default `[0]`.
    public var seeds: [Int64]
    /// Axes in file key order: dotted key → non-empty list of distinct values.
    public var grid: [(key: String, values: [JSONValue])]
    /// Override sets crossed with the grid; empty when absent.
    public var zip: [JSONObject]
    /// The file as read, for sweep.json's `definition`.
    public var definition: JSONValue

    /// The top-level keys of a sweep file.
    public static let keys = ["name", "description", "base", "seeds", "grid", "zip"]

    /// Equal definitions, seeds, base, grid axes (keys and values, in order) and zip entries.
    public static func == (a: Sweep, b: Sweep) -> Bool {
        a.definition == b.definition && a.seeds == b.seeds && a.zip == b.zip && a.base == b.base
            && a.grid.map(\.key) == b.grid.map(\.key) && a.grid.map(\.values) == b.grid.map(\.values)
    }

    /// Reads a sweep from JSON text.
    /// - Parameter file: the name used in error messages.
    /// - Throws: ``JSONSyntaxError`` (`FILE:LINE:COLUMN: message`) or ``ConfigurationError``.
    public static func parse(_ text: String, file: String, catalog: PluginCatalog = .builtins) throws -> Sweep {
        try Sweep(json: JSONParser.parse(text, file: file), file: file, catalog: catalog)
    }

    /// Reads a sweep from the file's bytes as stored, so that a byte-order mark or invalid
    /// UTF-8 is reported by the strict parser (`String(contentsOfFile:)` drops a BOM silently).
    public static func parse(bytes: [UInt8], file: String, catalog: PluginCatalog = .builtins) throws -> Sweep {
        try Sweep(json: JSONParser.parse(bytes: bytes, file: file), file: file, catalog: catalog)
    }

    /// Checks a sweep's JSON: the top-level keys and their types, the name, seeds, grid axes and
    /// zip entries (each value against its key's rule). `base` is checked when runs resolve.
    /// - Throws: ``ConfigurationError`` naming `file`, the key and the value.
    public init(json: JSONValue, file: String, catalog: PluginCatalog = .builtins) throws {
        let resolver = ConfigurationResolver(file: file, catalog: catalog)
        let ctx = resolver.context
        let object = try ctx.members(json, at: "", known: Sweep.keys, what: "an object {\"name\": …, \"base\": {…}, …}")
        guard let nameValue = object["name"] else { throw ctx.error("name", nil, .missingKey) }
        guard let name = nameValue.stringValue else { throw ctx.error("name", nameValue, .wrongType(expected: "a string")) }
        guard Sweep.isPlainDirectoryName(name) else {
            throw ctx.error("name", nameValue, .invalidValue(allowed:
                "must be a plain directory name: a letter or digit, then letters, digits, '_', '.' or '-'"))
        }
        self.name = name
        let descriptionValue = object["description"] ?? ""
        guard let description = descriptionValue.stringValue else {
            throw ctx.error("description", descriptionValue, .wrongType(expected: "a string"))
        }
        self.description = description
        base = object["base"] ?? .object(JSONObject())
        guard base.objectValue != nil else { throw ctx.error("base", base, .wrongType(expected: "an object")) }

        let seedsValue = object["seeds"] ?? [0]
        guard let seedList = seedsValue.arrayValue, !seedList.isEmpty else {
            throw ctx.error("seeds", seedsValue, .wrongType(expected: "a non-empty array of integers ≥ 0, e.g. [0, 1, 2]"))
        }
        let seeds = try seedList.enumerated().map { i, seed in try ctx.integer(seed, at: "seeds[\(i)]", minimum: 0).integerValue! }
        for (i, seed) in seeds.enumerated() where seeds[..<i].contains(seed) {
            throw ctx.error("seeds[\(i)]", seedList[i], .invalidValue(allowed: "appears twice; list each seed once"))
        }
        self.seeds = seeds

        let gridValue = object["grid"] ?? .object(JSONObject())
        guard let gridObject = gridValue.objectValue else {
            throw ctx.error("grid", gridValue, .wrongType(expected: "an object {\"training.batch_size\": [16, 64], …}"))
        }
        grid = try gridObject.map { key, axis in
            if ConfigurationKeys.key(key) == nil { _ = try resolver.check(axis, for: key, keyPath: "grid.\(key)") }
            guard let values = axis.arrayValue, !values.isEmpty else {
                throw ctx.error("grid.\(key)", axis, .wrongType(expected: "a non-empty array of values"))
            }
            let checked = try values.enumerated().map { i, v in try resolver.check(v, for: key, keyPath: "grid.\(key)[\(i)]") }
            for (i, v) in checked.enumerated() where checked[..<i].contains(v) {
                throw ctx.error("grid.\(key)[\(i)]", values[i], .invalidValue(allowed: "appears twice in this axis; list each value once"))
            }
            return (key, checked)
        }

        let zipValue = object["zip"] ?? []
        guard let zipList = zipValue.arrayValue else {
            throw ctx.error("zip", zipValue, .wrongType(expected: "an array of override objects [{\"training.learning_rate\": 0.05}, …]"))
        }
        zip = try zipList.enumerated().map { i, entry in
            guard let members = entry.objectValue else {
                throw ctx.error("zip[\(i)]", entry, .wrongType(expected: "an object of dotted keys and values"))
            }
            var checked = JSONObject()
            for (key, value) in members {
                if gridObject[key] != nil {
                    throw ctx.error("zip[\(i)].\(key)", nil, .invalidValue(allowed: "is also a grid axis; vary a key in the grid or in zip, not both"))
                }
                checked[key] = try resolver.check(value, for: key, keyPath: "zip[\(i)].\(key)")
            }
            return checked
        }
        definition = json
    }

    /// True for `[A-Za-z0-9][A-Za-z0-9_.-]*`.
    public static func isPlainDirectoryName(_ name: String) -> Bool {
        func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        guard let first = name.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }
}
