import CHDF5

/// An open HDF5 file (libhdf5 1.10, `H5Fcreate` / `H5Fopen`); also its root group "/".
///
/// Close files explicitly with `close()`: closing flushes and reports errors, which a
/// deinitializer cannot (relying on destructors led to truncated files in h5py#370). The
/// deinitializer closes a file that was not closed, as a safety net only. Files are opened
/// with the strong close degree (`H5Pset_fclose_degree(H5F_CLOSE_STRONG)`), so `close()`
/// also closes every group and dataset still open in the file; using them afterwards throws.
///
/// For files that readers may open at any time, write through `writeAtomically(to:body:)`.
public final class HDF5File: HDF5Location {
    /// How an existing file is opened.
    public enum Mode: Sendable {
        /// `H5F_ACC_RDONLY`.
        case readOnly
        /// `H5F_ACC_RDWR`.
        case readWrite
    }

    /// The path given when the file was created or opened.
    public let path: String
    /// `.readWrite` for created files.
    public let mode: Mode
    /// The HDF5 file id, or -1 once closed.
    private var id: hid_t
    /// Whether `writeDataset` chunks and compresses datasets of ≥ 1024 elements (default true,
    /// the result files' format); false: every new dataset is contiguous and uncompressed
    /// (checkpoint.h5, a resume file rewritten every epoch). Readers handle both.
    public var compressesLargeDatasets = true

    private init(path: String, mode: Mode, id: hid_t) {
        self.path = path
        self.mode = mode
        self.id = id
    }

    deinit {
        if id >= 0 {
            H5.silence()
            _ = H5Fclose(id)
        }
    }

    /// Creates a new file, truncating any existing file at `path` (`H5Fcreate`, `H5F_ACC_TRUNC`).
    /// - Throws: `HDF5Error` ("create file") with HDF5's message, e.g. when the directory is missing.
    public static func create(_ path: String) throws -> HDF5File {
        H5.silence()
        let fapl = try accessList(path)
        defer { H5Pclose(fapl) }
        let id = try H5.checkID(H5Fcreate(path, exp_h5f_acc_trunc(), exp_h5p_default(), fapl),
                                "create file", file: path, object: nil)
        return HDF5File(path: path, mode: .readWrite, id: id)
    }

    /// Opens an existing file (`H5Fopen`).
    /// - Throws: `HDF5Error` ("open file") for a missing, unreadable, truncated or non-HDF5 file.
    public static func open(_ path: String, mode: Mode = .readOnly) throws -> HDF5File {
        H5.silence()
        let fapl = try accessList(path)
        defer { H5Pclose(fapl) }
        let flags = mode == .readOnly ? exp_h5f_acc_rdonly() : exp_h5f_acc_rdwr()
        let id = try H5.checkID(H5Fopen(path, flags, fapl), "open file", file: path, object: nil)
        return HDF5File(path: path, mode: mode, id: id)
    }

    /// A file-access property list with the strong close degree. The caller closes it.
    private static func accessList(_ path: String) throws -> hid_t {
        let fapl = try H5.checkID(H5Pcreate(exp_h5p_file_access()), "create file access list", file: path, object: nil)
        if H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 {
            H5Pclose(fapl)
            throw HDF5Error(operation: "set close degree", file: path, messages: HDF5Error.currentStack())
        }
        return fapl
    }

    /// True until `close()` has been called.
    public var isOpen: Bool { id >= 0 }

    /// Writes everything buffered to disk (`H5Fflush`, `H5F_SCOPE_GLOBAL`). The operating
    /// system may still hold the data in its cache; `writeAtomically` adds `fsync`.
    /// - Throws: `HDF5Error` ("flush file").
    public func flush() throws {
        H5.silence()
        try H5.check(H5Fflush(id, H5F_SCOPE_GLOBAL), "flush file", file: path, object: nil)
    }

    /// Closes the file and every object still open in it (`H5Fclose`). Calling it twice is harmless.
    /// - Throws: `HDF5Error` ("close file").
    public func close() throws {
        guard id >= 0 else { return }
        H5.silence()
        let status = H5Fclose(id)
        id = -1
        try H5.check(status, "close file", file: path, object: nil)
    }

    /// How many HDF5 ids are open in this file, the file's own id included
    /// (`H5Fget_obj_count(file, H5F_OBJ_ALL)`): 1 when no group, dataset, attribute or
    /// datatype of the file is open. For leak checks.
    /// - Throws: `HDF5Error` ("count open objects"), e.g. after `close()`.
    public func openObjectCount() throws -> Int {
        H5.silence()
        let count = H5Fget_obj_count(id, exp_h5f_obj_all())
        if count < 0 {
            throw HDF5Error(operation: "count open objects", file: path, messages: HDF5Error.currentStack())
        }
        return count
    }

    // MARK: HDF5Location

    /// The file id, which HDF5 accepts as the root group's location.
    public var locationID: hid_t { id }
    /// The file itself.
    public var file: HDF5File { self }
    /// "/".
    public var objectPath: String { "/" }
}
