import CHDF5

/// Anything that carries attributes: the file's root group, groups and datasets.
public protocol HDF5Object: AnyObject {
    /// The file holding the object.
    var file: HDF5File { get }
    /// The object's absolute path inside the file ("/" for the root).
    var objectPath: String { get }
    /// The HDF5 id that attribute calls take.
    var objectID: hid_t { get }
}

extension HDF5Object {
    /// Writes (or replaces) an attribute (`H5Aexists`, `H5Adelete`, `H5Acreate2`, `H5Awrite`).
    /// Strings use a variable-length UTF-8 string type (`H5Tcopy(H5T_C_S1)`,
    /// `H5Tset_size(H5T_VARIABLE)`, `H5Tset_cset(H5T_CSET_UTF8)`); the attribute name is UTF-8.
    /// - Throws: `HDF5Error` ("write attribute").
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        H5.silence()
        let op = "write attribute '\(name)'"
        let fail = { (status: Int64) throws -> hid_t in try H5.checkID(status, op, file: self.file.path, object: self.objectPath) }
        if try H5.checkBool(H5Aexists(objectID, name), op, file: file.path, object: objectPath) {
            try H5.check(H5Adelete(objectID, name), op, file: file.path, object: objectPath)
        }
        let type = try fail(H5Tcopy(value.isString ? exp_h5t_c_s1() : value.isInteger ? exp_h5t_native_int64() : exp_h5t_native_double()))
        defer { H5Tclose(type) }
        if value.isString {
            try H5.check(H5Tset_size(type, exp_h5t_variable()), op, file: file.path, object: objectPath)
            try H5.check(H5Tset_cset(type, H5T_CSET_UTF8), op, file: file.path, object: objectPath)
        }
        var dims = [hsize_t(value.arrayCount)]
        let space = try fail(value.isArray ? H5Screate_simple(1, &dims, nil) : H5Screate(H5S_SCALAR))
        defer { H5Sclose(space) }
        let acpl = try fail(H5Pcreate(exp_h5p_attribute_create()))
        defer { H5Pclose(acpl) }
        H5Pset_char_encoding(acpl, H5T_CSET_UTF8)
        let attribute = try fail(H5Acreate2(objectID, name, type, space, acpl, exp_h5p_default()))
        defer { H5Aclose(attribute) }
        let status: herr_t
        switch value {
        case .string(let text):
            status = text.withCString { characters in
                var pointer: UnsafePointer<CChar>? = characters
                return H5Awrite(attribute, type, &pointer)
            }
        case .int64(var number): status = H5Awrite(attribute, type, &number)
        case .double(var number): status = H5Awrite(attribute, type, &number)
        case .int64Array(let numbers): status = numbers.withUnsafeBytes { H5Awrite(attribute, type, $0.baseAddress) }
        case .doubleArray(let numbers): status = numbers.withUnsafeBytes { H5Awrite(attribute, type, $0.baseAddress) }
        }
        try H5.check(status, op, file: file.path, object: objectPath)
    }

    /// The attribute names in ascending name order (`H5Aiterate2`).
    /// - Throws: `HDF5Error` ("list attributes").
    public func attributeNames() throws -> [String] {
        H5.silence()
        let names = NameCollector()
        let box = Unmanaged.passRetained(names)
        defer { box.release() }
        var index: hsize_t = 0
        let visit: H5A_operator2_t = { _, name, _, data in
            guard let name, let data else { return -1 }
            Unmanaged<NameCollector>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
            return 0
        }
        try H5.check(H5Aiterate2(objectID, H5_INDEX_NAME, H5_ITER_INC, &index, visit, box.toOpaque()),
                     "list attributes", file: file.path, object: objectPath)
        return names.names
    }

    /// Whether the attribute exists (`H5Aexists`).
    /// - Throws: `HDF5Error` ("check attribute").
    public func hasAttribute(_ name: String) throws -> Bool {
        H5.silence()
        return try H5.checkBool(H5Aexists(objectID, name), "check attribute '\(name)'", file: file.path, object: objectPath)
    }

    /// Reads an attribute; see `HDF5AttributeValue` for the conversions.
    /// - Throws: `HDF5Error` ("read attribute") when missing, or when it is neither a string
    ///   scalar nor a numeric scalar or 1-D array.
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        try readAttribute(name)
    }

    /// Reads a string attribute.
    /// - Throws: `HDF5Error` when missing or not a string.
    public func stringAttribute(_ name: String) throws -> String {
        guard case .string(let text) = try readAttribute(name) else { throw mismatch(name, "a string") }
        return text
    }

    /// Reads a scalar integer attribute (any stored integer type, converted to Int64).
    /// - Throws: `HDF5Error` when missing or not an integer scalar.
    public func int64Attribute(_ name: String) throws -> Int64 {
        guard case .int64(let number) = try readAttribute(name) else { throw mismatch(name, "an integer scalar") }
        return number
    }

    /// Reads a scalar floating-point attribute (float32 or float64, converted to Double).
    /// - Throws: `HDF5Error` when missing or not a floating-point scalar.
    public func doubleAttribute(_ name: String) throws -> Double {
        guard case .double(let number) = try readAttribute(name) else { throw mismatch(name, "a floating-point scalar") }
        return number
    }

    private func mismatch(_ name: String, _ expected: String) -> HDF5Error {
        HDF5Error(operation: "read attribute '\(name)'", file: file.path, object: objectPath,
                  messages: ["the attribute is not \(expected)"])
    }
}

extension HDF5AttributeValue {
    var isInteger: Bool {
        switch self {
        case .int64, .int64Array: return true
        default: return false
        }
    }

    var isString: Bool {
        if case .string = self { return true }
        return false
    }

    var isArray: Bool {
        switch self {
        case .int64Array, .doubleArray: return true
        default: return false
        }
    }

    var arrayCount: Int {
        switch self {
        case .int64Array(let numbers): return numbers.count
        case .doubleArray(let numbers): return numbers.count
        default: return 1
        }
    }
}
