// Checking one value against its key's rule (SPEC.md "Keys and defaults"), normalising it:
// integers as `.int`, other numbers as `.double`, structured values with their defaults.

/// Where a value being checked came from, for error messages.
struct CheckContext {
    /// The file (or `--set`).
    var file: String
    /// The plugins the caller knows.
    var catalog: PluginCatalog

    /// An error about the value at `keyPath`.
    func error(_ keyPath: String, _ value: JSONValue?, _ kind: ConfigurationError.Kind) -> ConfigurationError {
        ConfigurationError(file: file, keyPath: keyPath, value: value, kind: kind)
    }

    /// An integer ≥ `minimum` and ≤ `maximum` when given (null too when `nullable`), normalised to `.int`.
    func integer(_ value: JSONValue, at keyPath: String, minimum: Int64, maximum: Int64? = nil,
                 nullable: Bool = false) throws -> JSONValue {
        if nullable && value.isNull { return .null }
        guard let integer = value.integerValue else {
            throw error(keyPath, value, .wrongType(expected: nullable ? "an integer or null" : "an integer"))
        }
        if let maximum, !(minimum...maximum).contains(integer) {
            throw error(keyPath, value, .invalidValue(allowed: "must be an integer from \(minimum) to \(maximum)"))
        }
        guard integer >= minimum else { throw error(keyPath, value, .invalidValue(allowed: "must be an integer ≥ \(minimum)")) }
        return .int(integer)
    }

    /// A number, normalised to `.double`, checked against the bounds of `rule`.
    func number(_ value: JSONValue, at keyPath: String, minimum: Double, exclusiveMinimum: Bool,
                maximum: Double?, exclusiveMaximum: Bool) throws -> JSONValue {
        guard let number = value.numberValue else { throw error(keyPath, value, .wrongType(expected: "a number")) }
        let low = exclusiveMinimum ? number > minimum : number >= minimum
        let high = maximum.map { exclusiveMaximum ? number < $0 : number <= $0 } ?? true
        guard low && high else {
            let lower = exclusiveMinimum ? "(\(fmt(minimum))" : "[\(fmt(minimum))"
            let range = maximum.map { "in \(lower), \(fmt($0))\(exclusiveMaximum ? ")" : "]")" }
                ?? "\(exclusiveMinimum ? ">" : "≥") \(fmt(minimum))"
            throw error(keyPath, value, .invalidValue(allowed: "must be a number \(range)"))
        }
        return .double(number)
    }

    /// One of `allowed`.
    func oneOf(_ value: JSONValue, at keyPath: String, _ allowed: [String]) throws -> JSONValue {
        guard let string = value.stringValue else {
            throw error(keyPath, value, .wrongType(expected: "a string (one of \(allowed.joined(separator: ", ")))"))
        }
        guard allowed.contains(string) else {
            let hint = nearestKey(to: string, in: allowed).map { "; did you mean \"\($0)\"?" } ?? ""
            throw error(keyPath, value, .invalidValue(allowed: "must be one of \(allowed.joined(separator: ", "))\(hint)"))
        }
        return value
    }

    private func fmt(_ d: Double) -> String { JSONValue.ecmaScriptNumber(d) }
}

extension ConfigurationKey {
    /// Checks `value` for this key and returns it normalised.
    /// - Parameter keyPath: the path to name in errors (e.g. `grid.training.batch_size[1]`).
    /// - Throws: ``ConfigurationError`` naming `keyPath` and `value`.
    func check(_ value: JSONValue, at keyPath: String, in context: CheckContext) throws -> JSONValue {
        switch rule {
        case let .oneOf(allowed):
            return try context.oneOf(value, at: keyPath, allowed)
        case let .integer(minimum, maximum, nullable):
            return try context.integer(value, at: keyPath, minimum: minimum, maximum: maximum, nullable: nullable)
        case let .number(minimum, exclusiveMinimum, maximum, exclusiveMaximum):
            return try context.number(value, at: keyPath, minimum: minimum, exclusiveMinimum: exclusiveMinimum,
                                      maximum: maximum, exclusiveMaximum: exclusiveMaximum)
        case .boolean:
            guard value.boolValue != nil else { throw context.error(keyPath, value, .wrongType(expected: "true or false")) }
            return value
        case .optionalString:
            guard value.isNull || value.stringValue != nil else {
                throw context.error(keyPath, value, .wrongType(expected: "a string or null"))
            }
            return value
        case .structured(.schedule): return try context.schedule(value, at: keyPath)
        case .structured(.learningRateScaling): return try context.learningRateScaling(value, at: keyPath)
        case .structured(.layers): return try context.layerList(value, at: keyPath)
        case .structured(.indices): return try context.indices(value, at: keyPath)
        case .structured(.plugins): return try context.plugins(value, at: keyPath)
        }
    }
}
