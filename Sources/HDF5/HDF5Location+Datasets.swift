import CHDF5

/// Datasets with at least this many elements are chunked and compressed.
let compressionThreshold = 1024
/// Upper bound on a chunk's size in bytes (HDF5's default chunk cache holds 1 MiB).
let maximumChunkBytes = 1 << 20

extension HDF5Location {
    /// Creates a dataset and writes a whole dense row-major array into it (`H5Screate_simple`
    /// or `H5Screate(H5S_SCALAR)` for shape `[]`, `H5Dcreate2`, `H5Dwrite`). Missing
    /// intermediate groups are created.
    ///
    /// Storage: with at least 1024 elements the dataset is chunked, with the byte shuffle
    /// then deflate level 4 (`H5Pset_shuffle`, `H5Pset_deflate(4)`: the order h5py uses;
    /// h5py shows `compression='gzip', compression_opts=4, shuffle=True`). The chunk is the
    /// whole array, with its leading dimensions halved (rounding up) until it fits in 1 MiB.
    /// Smaller arrays (and empty ones), and every array of a file whose
    /// `compressesLargeDatasets` is false, are stored contiguously, uncompressed.
    /// - Parameters:
    ///   - name: relative or absolute path of the new dataset; it must not exist yet.
    ///   - values: `shape.reduce(1, *)` elements, last index fastest.
    ///   - shape: dimensions, slowest first; `[]` for a scalar; zeros allowed (empty array).
    /// - Precondition: `values.count` equals the product of `shape`.
    /// - Throws: `HDF5Error` ("create dataset" / "write dataset"), e.g. when the name exists.
    @discardableResult
    public func writeDataset<Scalar: HDF5Scalar>(_ name: String, values: [Scalar], shape: [Int]) throws -> HDF5Dataset {
        precondition(shape.allSatisfy { $0 >= 0 } && values.count == shape.reduce(1, *),
                     "writeDataset \(name): \(values.count) values do not fill shape \(shape)")
        H5.silence()
        let path = H5.join(objectPath, name)
        let op = "create dataset"
        let dims = shape.map { hsize_t($0) }
        let space = try H5.checkID(shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil),
                                   op, file: file.path, object: path)
        defer { H5Sclose(space) }
        let dcpl = try H5.checkID(H5Pcreate(exp_h5p_dataset_create()), op, file: file.path, object: path)
        defer { H5Pclose(dcpl) }
        if values.count >= compressionThreshold && file.compressesLargeDatasets {
            let chunk = chunkShape(for: shape, elementBytes: MemoryLayout<Scalar>.stride).map { hsize_t($0) }
            try H5.check(H5Pset_chunk(dcpl, Int32(chunk.count), chunk), op, file: file.path, object: path)
            try H5.check(H5Pset_shuffle(dcpl), op, file: file.path, object: path)
            try H5.check(H5Pset_deflate(dcpl, 4), op, file: file.path, object: path)
        }
        let lcpl = try H5.linkCreationList(file: file.path, object: path)
        defer { H5Pclose(lcpl) }
        let id = try H5.checkID(H5Dcreate2(locationID, name, Scalar.hdf5NativeType, space, lcpl, dcpl, exp_h5p_default()),
                                op, file: file.path, object: path)
        let dataset = HDF5Dataset(file: file, path: path, id: id)
        if !values.isEmpty {
            let status = values.withUnsafeBytes {
                H5Dwrite(id, Scalar.hdf5NativeType, exp_h5s_all(), exp_h5s_all(), exp_h5p_default(), $0.baseAddress)
            }
            try H5.check(status, "write dataset", file: file.path, object: path)
        }
        return dataset
    }

    /// Writes `array` as a new dataset; see `writeDataset(_:values:shape:)`.
    @discardableResult
    public func writeDataset<Scalar: HDF5Scalar>(_ name: String, _ array: HDF5Array<Scalar>) throws -> HDF5Dataset {
        try writeDataset(name, values: array.values, shape: array.shape)
    }

    /// Opens an existing dataset (`H5Dopen2`).
    /// - Throws: `HDF5Error` ("open dataset") when it is missing or not a dataset.
    public func openDataset(_ name: String) throws -> HDF5Dataset {
        H5.silence()
        let path = H5.join(objectPath, name)
        let id = try H5.checkID(H5Dopen2(locationID, name, exp_h5p_default()), "open dataset", file: file.path, object: path)
        return HDF5Dataset(file: file, path: path, id: id)
    }

    /// Reads a whole dataset; see `HDF5Dataset.read(as:)`.
    /// - Throws: `HDF5Error` when missing or when the stored type is not `Scalar`'s.
    public func readDataset<Scalar: HDF5Scalar>(_ name: String, as type: Scalar.Type = Scalar.self) throws -> HDF5Array<Scalar> {
        try openDataset(name).read(as: type)
    }
}

/// The chunk for a compressed dataset: `shape`, with leading dimensions halved (rounding
/// up) until the chunk holds at most `maximumChunkBytes`. Every dimension stays ≥ 1.
func chunkShape(for shape: [Int], elementBytes: Int) -> [Int] {
    var chunk = shape.map { max($0, 1) }
    var axis = 0
    while chunk.reduce(elementBytes, *) > maximumChunkBytes && axis < chunk.count {
        if chunk[axis] > 1 { chunk[axis] = (chunk[axis] + 1) / 2 } else { axis += 1 }
    }
    return chunk
}
