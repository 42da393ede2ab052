// A JSON document as a Swift value: what the strict parser produces and what the canonical
// and pretty serialisers write (SPEC.md "Sweep file", "Run id").

/// A JSON value. Integers that fit `Int64` exactly stay integers; every other number is a
/// `Double`. Objects keep their members in document order (see ``JSONObject``).
public indirect enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer literal (no fraction, no exponent) that fits `Int64`.
    case int(Int64)
    /// Any other finite number.
    case double(Double)
    /// A string (any Unicode text).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object(JSONObject)

    /// A short name of the value's type for error messages ("integer", "string", …).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The object, or nil for any other value.
    public var objectValue: JSONObject? {
        if case let .object(o) = self { return o }
        return nil
    }

    /// The array, or nil for any other value.
    public var arrayValue: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    /// The string, or nil for any other value.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The boolean, or nil for any other value.
    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The integer; a double with an exact integral value in `Int64` range counts (5.0 → 5,
    /// as JSON Schema's "integer"). Nil otherwise.
    public var integerValue: Int64? {
        switch self {
        case let .int(i): return i
        case let .double(d): return Int64(exactly: d)
        default: return nil
        }
    }

    /// Any number as a `Double`, or nil for non-numbers.
    public var numberValue: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }

    /// True for `null`.
    public var isNull: Bool { self == .null }

    /// The value at a dotted path of object keys (`"training.batch_size"`), or nil when a
    /// component is missing or not an object.
    public subscript(path path: String) -> JSONValue? {
        var current = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = current.objectValue?[String(component)] else { return nil }
            current = next
        }
        return current
    }

    /// Sets the value at a dotted path, creating objects for missing components and
    /// replacing non-object intermediate values.
    public mutating func set(path: String, to value: JSONValue) {
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        setComponents(components[...], to: value)
    }

    private mutating func setComponents(_ components: ArraySlice<String>, to value: JSONValue) {
        guard let first = components.first else { self = value; return }
        var object = objectValue ?? JSONObject()
        var child = object[first] ?? .null
        child.setComponents(components.dropFirst(), to: value)
        object[first] = child
        self = .object(object)
    }
}

/// The members of a JSON object in document order, with keyed lookup. Equality compares
/// members and their order.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The keys in order.
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    /// An empty object.
    public init() {}

    /// An object with `members` in the given order; a later duplicate key replaces the value
    /// of an earlier one, keeping the earlier position.
    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// True when the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value of `key`; setting nil removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The members in order.
    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], storage[keys[index]]!)
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A double.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object with the members in literal order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}
