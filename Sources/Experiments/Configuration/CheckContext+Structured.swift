// The structured values of SPEC.md's table: training.schedule, training.learning_rate_scaling,
// exports.activation_images. (Layer lists: LayerList.swift; plugins: PluginCatalog.swift.)

extension CheckContext {
    /// The members of the object `value` after checking that its keys are among `known`.
    /// - Throws: wrong type when `value` is not an object; unknown key with the nearest one.
    func members(_ value: JSONValue, at keyPath: String, known: [String], what: String) throws -> JSONObject {
        guard let object = value.objectValue else { throw error(keyPath, value, .wrongType(expected: what)) }
        let prefix = keyPath.isEmpty ? "" : keyPath + "."
        for key in object.keys where !known.contains(key) {
            throw error(prefix + key, nil, .unknownKey(suggestion: nearestKey(to: key, in: known).map { prefix + $0 }, known: known))
        }
        return object
    }

    /// `{"type": "constant"}`, `{"type": "step", "step_epochs": k in 1…100000, "gamma": g > 0}` (g
    /// defaults to 0.1) or `{"type": "cosine", "min_lr": x ≥ 0}` (x defaults to 0), filled in.
    func schedule(_ value: JSONValue, at keyPath: String) throws -> JSONValue {
        let what = "an object such as {\"type\": \"step\", \"step_epochs\": 2, \"gamma\": 0.1}"
        guard let object = value.objectValue else { throw error(keyPath, value, .wrongType(expected: what)) }
        guard let type = object["type"] else { throw error("\(keyPath).type", nil, .missingKey) }
        _ = try oneOf(type, at: "\(keyPath).type", ["constant", "step", "cosine"])
        switch type.stringValue! {
        case "step":
            let members = try self.members(value, at: keyPath, known: ["type", "step_epochs", "gamma"], what: what)
            guard let every = members["step_epochs"] else { throw error("\(keyPath).step_epochs", nil, .missingKey) }
            return ["type": "step",
                    "step_epochs": try integer(every, at: "\(keyPath).step_epochs", minimum: 1,
                                          maximum: ConfigurationKeys.maximumEpochs),
                    "gamma": try number(members["gamma"] ?? 0.1, at: "\(keyPath).gamma", minimum: 0,
                                        exclusiveMinimum: true, maximum: nil, exclusiveMaximum: false)]
        case "cosine":
            let members = try self.members(value, at: keyPath, known: ["type", "min_lr"], what: what)
            return ["type": "cosine",
                    "min_lr": try number(members["min_lr"] ?? 0.0, at: "\(keyPath).min_lr", minimum: 0,
                                         exclusiveMinimum: false, maximum: nil, exclusiveMaximum: false)]
        default:
            _ = try members(value, at: keyPath, known: ["type"], what: what)
            return ["type": "constant"]
        }
    }

    /// null or `{"rule": "linear", "base_batch_size": b ≥ 1}` (b defaults to 64), filled in.
    /// The effective rate λ · n / b is not stored: see ``ResolvedConfiguration/effectiveLearningRate(_:)``.
    func learningRateScaling(_ value: JSONValue, at keyPath: String) throws -> JSONValue {
        if value.isNull { return .null }
        let members = try self.members(value, at: keyPath, known: ["rule", "base_batch_size"],
                                       what: "null or {\"rule\": \"linear\", \"base_batch_size\": 64}")
        guard let rule = members["rule"] else { throw error("\(keyPath).rule", nil, .missingKey) }
        return ["rule": try oneOf(rule, at: "\(keyPath).rule", ["linear"]),
                "base_batch_size": try integer(members["base_batch_size"] ?? 64, at: "\(keyPath).base_batch_size", minimum: 1)]
    }

    /// An array of distinct test-set indices ≥ 0 (checked against the test-set size later).
    func indices(_ value: JSONValue, at keyPath: String) throws -> JSONValue {
        guard let elements = value.arrayValue else {
            throw error(keyPath, value, .wrongType(expected: "an array of test-set indices such as [0, 1, 2]"))
        }
        var seen = Set<Int64>()
        return .array(try elements.enumerated().map { i, element in
            let index = try integer(element, at: "\(keyPath)[\(i)]", minimum: 0)
            guard seen.insert(index.integerValue!).inserted else {
                throw error("\(keyPath)[\(i)]", element, .invalidValue(allowed: "appears twice; list each index once"))
            }
            return index
        })
    }
}
