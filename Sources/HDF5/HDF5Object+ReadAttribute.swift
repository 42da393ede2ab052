import CHDF5

extension HDF5Object {
    /// Reads any supported attribute (`H5Aopen`, `H5Aget_type`, `H5Aget_space`, `H5Aread`).
    func readAttribute(_ name: String) throws -> HDF5AttributeValue {
        H5.silence()
        let op = "read attribute '\(name)'"
        let check = { (id: hid_t) throws -> hid_t in try H5.checkID(id, op, file: self.file.path, object: self.objectPath) }
        let attribute = try check(H5Aopen(objectID, name, exp_h5p_default()))
        defer { H5Aclose(attribute) }
        let type = try check(H5Aget_type(attribute))
        defer { H5Tclose(type) }
        let space = try check(H5Aget_space(attribute))
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        let count = H5Sget_simple_extent_npoints(space)
        guard rank >= 0, count >= 0 else { throw HDF5Error(operation: op, file: file.path, object: objectPath, messages: HDF5Error.currentStack()) }
        func unsupported(_ what: String) -> HDF5Error {
            HDF5Error(operation: op, file: file.path, object: objectPath, messages: ["unsupported attribute: \(what)"])
        }
        switch H5Tget_class(type) {
        case H5T_STRING:
            guard rank == 0 else { throw unsupported("string array of rank \(rank)") }
            return .string(try readString(attribute, type: type, op: op))
        case H5T_INTEGER:
            guard rank <= 1 else { throw unsupported("integer array of rank \(rank)") }
            var numbers = [Int64](repeating: 0, count: Int(count))
            if count > 0 {
                try H5.check(numbers.withUnsafeMutableBytes { H5Aread(attribute, exp_h5t_native_int64(), $0.baseAddress) },
                             op, file: file.path, object: objectPath)
            }
            return rank == 0 ? .int64(numbers[0]) : .int64Array(numbers)
        case H5T_FLOAT:
            guard rank <= 1 else { throw unsupported("floating-point array of rank \(rank)") }
            var numbers = [Double](repeating: 0, count: Int(count))
            if count > 0 {
                try H5.check(numbers.withUnsafeMutableBytes { H5Aread(attribute, exp_h5t_native_double(), $0.baseAddress) },
                             op, file: file.path, object: objectPath)
            }
            return rank == 0 ? .double(numbers[0]) : .doubleArray(numbers)
        default:
            throw unsupported("datatype class \(H5Tget_class(type).rawValue)")
        }
    }

    /// Reads a scalar string attribute, variable-length (memory type: variable-length C string,
    /// freed with `H5free_memory`) or fixed-length (trailing NULs and spaces removed as padding).
    private func readString(_ attribute: hid_t, type: hid_t, op: String) throws -> String {
        let variable = try H5.checkBool(H5Tis_variable_str(type), op, file: file.path, object: objectPath)
        if variable {
            let memoryType = try H5.checkID(H5Tcopy(exp_h5t_c_s1()), op, file: file.path, object: objectPath)
            defer { H5Tclose(memoryType) }
            H5Tset_size(memoryType, exp_h5t_variable())
            H5Tset_cset(memoryType, H5Tget_cset(type))
            var pointer: UnsafeMutablePointer<CChar>? = nil
            try H5.check(H5Aread(attribute, memoryType, &pointer), op, file: file.path, object: objectPath)
            guard let pointer else { return "" }
            defer { H5free_memory(pointer) }
            return String(cString: pointer)
        }
        let size = H5Tget_size(type)
        var bytes = [UInt8](repeating: 0, count: size)
        if size > 0 {
            try H5.check(bytes.withUnsafeMutableBytes { H5Aread(attribute, type, $0.baseAddress) },
                         op, file: file.path, object: objectPath)
        }
        let padding: H5T_str_t = H5Tget_strpad(type)
        while let last = bytes.last, last == 0 || (padding == H5T_STR_SPACEPAD && last == 0x20) { bytes.removeLast() }
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
