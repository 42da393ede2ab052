// The pretty form of config.json and sweep.json: stable across runs and platforms.

extension JSONValue {
    /// Indented JSON for humans: members in stored order (the resolved configuration's order
    /// is the key table's), two spaces per level, `"key": value`, arrays of scalars on one
    /// line, a final newline; numbers and strings exactly as in ``canonicalJSON``.
    public var prettyJSON: String {
        var out = ""
        writePretty(into: &out, indent: "")
        return out + "\n"
    }

    private func writePretty(into out: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (i, member) in object.enumerated() {
                out += inner + JSONValue.quoted(member.key) + ": "
                member.value.writePretty(into: &out, indent: inner)
                out += i + 1 < object.count ? ",\n" : "\n"
            }
            out += indent + "}"
        case .array(let elements) where elements.contains(where: \.isContainer):
            out += "[\n"
            for (i, element) in elements.enumerated() {
                out += inner
                element.writePretty(into: &out, indent: inner)
                out += i + 1 < elements.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case .array(let elements):
            out += "[" + elements.map(\.scalarJSON).joined(separator: ", ") + "]"
        case .object:
            out += "{}"
        default:
            out += scalarJSON
        }
    }

    /// True for non-empty arrays and objects.
    var isContainer: Bool {
        switch self {
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        default: return false
        }
    }
}
