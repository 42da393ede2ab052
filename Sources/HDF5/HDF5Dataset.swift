import CHDF5

/// A filter in a dataset's pipeline, in the order HDF5 applies it on write.
public enum HDF5Filter: Sendable, Equatable {
    /// Byte shuffle (`H5Pset_shuffle`, `H5Z_FILTER_SHUFFLE`); h5py reports `shuffle=True`.
    case shuffle
    /// zlib deflate (`H5Pset_deflate`, `H5Z_FILTER_DEFLATE`); h5py reports `compression='gzip'`.
    case deflate(level: Int)
    /// Any other filter, by its HDF5 filter id.
    case other(id: Int)
}

/// What a dataset holds, without reading its values.
public struct HDF5DatasetInfo: Sendable, Equatable {
    /// The element type, or nil for types this wrapper does not read (strings, int16, …).
    public var dataType: HDF5DataType?
    /// The dimensions, slowest first; `[]` for a scalar dataset.
    public var shape: [Int]
    /// The chunk dimensions, or nil for contiguous (or compact) storage.
    public var chunkShape: [Int]?
    /// The filter pipeline, first applied first; empty when not chunked.
    public var filters: [HDF5Filter]
}

/// An open HDF5 dataset (`H5Dcreate2` / `H5Dopen2`), closed with `H5Dclose` when the value
/// is released or its file is closed. Holds attributes like any `HDF5Object`.
public final class HDF5Dataset: HDF5Object {
    /// The file holding the dataset.
    public let file: HDF5File
    /// The dataset's absolute path inside the file.
    public let objectPath: String
    /// The HDF5 dataset id.
    public let objectID: hid_t

    init(file: HDF5File, path: String, id: hid_t) {
        self.file = file
        self.objectPath = path
        self.objectID = id
    }

    deinit {
        H5.silence()
        if H5Iis_valid(objectID) > 0 { _ = H5Dclose(objectID) }
    }

    /// Type, shape, chunking and filters (`H5Dget_type`, `H5Dget_space`, `H5Dget_create_plist`,
    /// `H5Pget_chunk`, `H5Pget_filter2`).
    /// - Throws: `HDF5Error` ("inspect dataset").
    public func info() throws -> HDF5DatasetInfo {
        H5.silence()
        let op = "inspect dataset"
        let type = try H5.checkID(H5Dget_type(objectID), op, file: file.path, object: objectPath)
        defer { H5Tclose(type) }
        let shape = try self.shape()
        let dcpl = try H5.checkID(H5Dget_create_plist(objectID), op, file: file.path, object: objectPath)
        defer { H5Pclose(dcpl) }
        var chunkShape: [Int]? = nil
        var filters: [HDF5Filter] = []
        if H5Pget_layout(dcpl) == H5D_CHUNKED {
            var dims = [hsize_t](repeating: 0, count: max(shape.count, 1))
            let rank = H5Pget_chunk(dcpl, Int32(dims.count), &dims)
            try H5.check(rank, op, file: file.path, object: objectPath)
            chunkShape = dims.prefix(Int(rank)).map { Int($0) }
            let count = H5Pget_nfilters(dcpl)
            try H5.check(count, op, file: file.path, object: objectPath)
            for index in 0..<UInt32(count) {
                var flags: UInt32 = 0
                var valueCount = 8
                var values = [UInt32](repeating: 0, count: 8)
                var config: UInt32 = 0
                let filter = H5Pget_filter2(dcpl, index, &flags, &valueCount, &values, 0, nil, &config)
                try H5.check(filter, op, file: file.path, object: objectPath)
                switch filter {
                case H5Z_FILTER_SHUFFLE: filters.append(.shuffle)
                case H5Z_FILTER_DEFLATE: filters.append(.deflate(level: valueCount > 0 ? Int(values[0]) : -1))
                default: filters.append(.other(id: Int(filter)))
                }
            }
        }
        return HDF5DatasetInfo(dataType: HDF5DataType.of(typeID: type), shape: shape,
                               chunkShape: chunkShape, filters: filters)
    }

    /// The dimensions, slowest first (`H5Sget_simple_extent_dims`); `[]` for a scalar.
    /// - Throws: `HDF5Error` ("inspect dataset").
    public func shape() throws -> [Int] {
        H5.silence()
        let op = "inspect dataset"
        let space = try H5.checkID(H5Dget_space(objectID), op, file: file.path, object: objectPath)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        try H5.check(rank, op, file: file.path, object: objectPath)
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { try H5.check(H5Sget_simple_extent_dims(space, &dims, nil), op, file: file.path, object: objectPath) }
        return dims.map { Int($0) }
    }

    /// Reads all values (`H5Dread` with the native memory type of `Scalar`).
    /// - Throws: `HDF5Error` ("read dataset") when the stored element type is not exactly
    ///   `Scalar`'s (no silent conversion: read a float64 dataset as `Double`), or on I/O failure.
    public func read<Scalar: HDF5Scalar>(as: Scalar.Type = Scalar.self) throws -> HDF5Array<Scalar> {
        let stored = try info().dataType
        guard stored == Scalar.hdf5DataType else {
            throw HDF5Error(operation: "read dataset", file: file.path, object: objectPath,
                            messages: ["stored type \(stored?.rawValue ?? "unsupported"), requested \(Scalar.hdf5DataType.rawValue)"])
        }
        let shape = try self.shape()
        var values = [Scalar](repeating: Scalar.hdf5Zero, count: shape.reduce(1, *))
        if !values.isEmpty {
            H5.silence()
            let status = values.withUnsafeMutableBytes {
                H5Dread(objectID, Scalar.hdf5NativeType, exp_h5s_all(), exp_h5s_all(), exp_h5p_default(), $0.baseAddress)
            }
            try H5.check(status, "read dataset", file: file.path, object: objectPath)
        }
        return HDF5Array(values: values, shape: shape)
    }
}
