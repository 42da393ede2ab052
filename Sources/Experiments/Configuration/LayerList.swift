// The grammar of `model.layers` (architecture "layers"), documented in docs/SWEEPS.md:
//
//   {"type": "conv", "out": d ≥ 1, "k": k ≥ 1, "s": s ≥ 1 = 1, "p": p ≥ 0 = 0}
//   {"type": "maxpool", "k": k ≥ 1, "s": s ≥ 1 = k, "p": p ≥ 0 = 0}
//   {"type": "fc", "out": f ≥ 1}
//   {"type": "shortcut", "span": m ≥ 1}     A_i = A_{i−1} + S(A_{i−1−m})
//   {"type": "batch_norm"}  {"type": "flatten"}
//   {"type": "activation"}                   the configured model.activation
//   {"type": "relu" | "leaky_relu" | "tanh" | "sigmoid"}   an explicit activation
//
// The resolved form lists every option with its default. Shapes (a conv on vector data, an fc
// before flatten) are checked by the network builder in Model before anything is written.

/// The options of each layer type: name, minimum, default (nil: required).
enum LayerGrammar {
    /// An option of a layer entry.
    struct Option {
        let name: String
        let minimum: Int64
        /// nil: required; `.some(nil)`: defaults to the value of option `k` (maxpool's `s`).
        let defaultValue: Int64??
    }

    static let options: [String: [Option]] = [
        "conv": [Option(name: "out", minimum: 1, defaultValue: nil), Option(name: "k", minimum: 1, defaultValue: nil),
                 Option(name: "s", minimum: 1, defaultValue: 1), Option(name: "p", minimum: 0, defaultValue: 0)],
        "maxpool": [Option(name: "k", minimum: 1, defaultValue: nil), Option(name: "s", minimum: 1, defaultValue: .some(nil)),
                    Option(name: "p", minimum: 0, defaultValue: 0)],
        "fc": [Option(name: "out", minimum: 1, defaultValue: nil)],
        "shortcut": [Option(name: "span", minimum: 1, defaultValue: nil)],
        "batch_norm": [], "flatten": [], "activation": [],
        "relu": [], "leaky_relu": [], "tanh": [], "sigmoid": [],
    ]

    /// The layer types in documentation order.
    static let types = ["conv", "maxpool", "fc", "shortcut", "batch_norm", "flatten",
                        "activation", "relu", "leaky_relu", "tanh", "sigmoid"]
}

extension CheckContext {
    /// null or a non-empty array of layer entries (see the grammar above), filled in.
    func layerList(_ value: JSONValue, at keyPath: String) throws -> JSONValue {
        if value.isNull { return .null }
        guard let entries = value.arrayValue, !entries.isEmpty else {
            throw error(keyPath, value, .wrongType(expected: "null or a non-empty array of layers such as [{\"type\": \"conv\", \"out\": 6, \"k\": 5}, {\"type\": \"relu\"}, …]"))
        }
        return .array(try entries.enumerated().map { i, entry in try layer(entry, at: "\(keyPath)[\(i)]") })
    }

    /// One layer entry, with every option filled in.
    func layer(_ value: JSONValue, at keyPath: String) throws -> JSONValue {
        guard let object = value.objectValue else {
            throw error(keyPath, value, .wrongType(expected: "an object such as {\"type\": \"fc\", \"out\": 120}"))
        }
        guard let typeValue = object["type"] else { throw error("\(keyPath).type", nil, .missingKey) }
        let type = try oneOf(typeValue, at: "\(keyPath).type", LayerGrammar.types).stringValue!
        let options = LayerGrammar.options[type]!
        _ = try members(value, at: keyPath, known: ["type"] + options.map(\.name), what: "an object")
        var resolved: JSONObject = JSONObject([("type", .string(type))])
        for option in options {
            let optionPath = "\(keyPath).\(option.name)"
            if let given = object[option.name] {
                resolved[option.name] = try integer(given, at: optionPath, minimum: option.minimum)
            } else if let defaultValue = option.defaultValue {
                resolved[option.name] = .int(defaultValue ?? resolved["k"]!.integerValue!)
            } else {
                throw error(optionPath, nil, .missingKey)
            }
        }
        return .object(resolved)
    }
}
