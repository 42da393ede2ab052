import CHDF5

/// Internal plumbing shared by every wrapper: silencing HDF5's error printing and turning
/// negative return codes into `HDF5Error`s.
enum H5 {
    /// Switches off HDF5's automatic error printing for the calling thread. HDF5 keeps the
    /// setting per thread (thread-safe build), so every public entry point calls this first.
    @inline(__always)
    static func silence() {
        _ = atExitDisabled
        _ = exp_h5e_silence()
    }

    /// HDF5 registers `H5_term_library` with atexit at its first call; that handler dereferences
    /// freed memory when a file's close had failed (a full disk: H5Fflush and H5Fclose fail), so
    /// `exp` crashed with SIGSEGV at exit instead of exiting 1. Every file is closed explicitly
    /// (atomic writes), so the handler is not needed; `H5dont_atexit` must come before any other
    /// HDF5 call, hence here, in the first call of every entry point.
    static let atExitDisabled: Void = { _ = H5dont_atexit() }()

    /// Throws an `HDF5Error` carrying the current error stack when `status < 0`.
    static func check(_ status: herr_t, _ operation: String, file: String, object: String?) throws {
        if status < 0 {
            throw HDF5Error(operation: operation, file: file, object: object, messages: HDF5Error.currentStack())
        }
    }

    /// Returns `id` or throws an `HDF5Error` carrying the current error stack when `id < 0`.
    static func checkID(_ id: hid_t, _ operation: String, file: String, object: String?) throws -> hid_t {
        if id < 0 {
            throw HDF5Error(operation: operation, file: file, object: object, messages: HDF5Error.currentStack())
        }
        return id
    }

    /// Returns the tri-state result as a Bool or throws when `value < 0`.
    static func checkBool(_ value: htri_t, _ operation: String, file: String, object: String?) throws -> Bool {
        if value < 0 {
            throw HDF5Error(operation: operation, file: file, object: object, messages: HDF5Error.currentStack())
        }
        return value > 0
    }

    /// A link-creation property list that creates missing intermediate groups and marks link
    /// names as UTF-8 (as h5py does). The caller closes it with `H5Pclose`.
    static func linkCreationList(file: String, object: String) throws -> hid_t {
        let lcpl = try checkID(H5Pcreate(exp_h5p_link_create()), "create link property list", file: file, object: object)
        do {
            try check(H5Pset_create_intermediate_group(lcpl, 1), "set intermediate groups", file: file, object: object)
            try check(H5Pset_char_encoding(lcpl, H5T_CSET_UTF8), "set link name encoding", file: file, object: object)
        } catch {
            H5Pclose(lcpl)
            throw error
        }
        return lcpl
    }

    /// Joins a parent path and a relative name into an absolute object path for messages.
    static func join(_ parent: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return parent == "/" ? "/" + name : parent + "/" + name
    }
}
