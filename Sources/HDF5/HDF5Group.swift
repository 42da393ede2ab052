import CHDF5

/// What a name inside a group refers to (`H5Oopen` + `H5Iget_type`).
public enum HDF5ObjectKind: Sendable, Equatable {
    /// An HDF5 group (`H5I_GROUP`).
    case group
    /// An HDF5 dataset (`H5I_DATASET`).
    case dataset
    /// A named datatype or anything else this wrapper does not handle.
    case other
}

/// An open HDF5 group (`H5Gcreate2` / `H5Gopen2`), closed with `H5Gclose` when the value
/// is released or when its file is closed, whichever comes first.
public final class HDF5Group: HDF5Location {
    /// The file holding the group.
    public let file: HDF5File
    /// The group's absolute path inside the file, e.g. "/epoch_0001/P0".
    public let objectPath: String
    /// The HDF5 group id.
    public let locationID: hid_t

    init(file: HDF5File, path: String, id: hid_t) {
        self.file = file
        self.objectPath = path
        self.locationID = id
    }

    deinit {
        H5.silence()
        if H5Iis_valid(locationID) > 0 { _ = H5Gclose(locationID) }
    }
}

/// The file's root group or any group: a place holding groups, datasets and attributes.
/// Names are relative paths ("a/b/c") or absolute ("/a/b"); link names are UTF-8.
public protocol HDF5Location: HDF5Object {
    /// The HDF5 id of the file (for the root) or group.
    var locationID: hid_t { get }
}

extension HDF5Location {
    /// The id attributes attach to (`HDF5Object`).
    public var objectID: hid_t { locationID }

    /// Creates a group, creating missing intermediate groups on the way (`H5Gcreate2` with
    /// `H5Pset_create_intermediate_group`).
    /// - Throws: `HDF5Error` ("create group"), e.g. when the name already exists.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        H5.silence()
        let path = H5.join(objectPath, name)
        let lcpl = try H5.linkCreationList(file: file.path, object: path)
        defer { H5Pclose(lcpl) }
        let id = try H5.checkID(H5Gcreate2(locationID, name, lcpl, exp_h5p_default(), exp_h5p_default()),
                                "create group", file: file.path, object: path)
        return HDF5Group(file: file, path: path, id: id)
    }

    /// Opens an existing group (`H5Gopen2`).
    /// - Throws: `HDF5Error` ("open group") when it is missing or not a group.
    public func openGroup(_ name: String) throws -> HDF5Group {
        H5.silence()
        let path = H5.join(objectPath, name)
        let id = try H5.checkID(H5Gopen2(locationID, name, exp_h5p_default()),
                                "open group", file: file.path, object: path)
        return HDF5Group(file: file, path: path, id: id)
    }

    /// Whether every component of the relative or absolute path `name` exists (`H5Lexists`
    /// component by component, as HDF5 requires); false when an intermediate component is
    /// not a group.
    /// - Throws: `HDF5Error` ("check link") when the location itself is invalid.
    public func exists(_ name: String) throws -> Bool {
        H5.silence()
        let components = name.split(separator: "/", omittingEmptySubsequences: true)
        var prefix = name.hasPrefix("/") ? "/" : ""
        for (index, component) in components.enumerated() {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            let found = try H5.checkBool(H5Lexists(locationID, prefix, exp_h5p_default()), "check link",
                                         file: file.path, object: H5.join(objectPath, prefix))
            if !found { return false }
            if index < components.count - 1, try kind(of: prefix) != .group { return false }
        }
        return true
    }

    /// The names of the direct children (groups, datasets), in ascending name order (`H5Literate`).
    /// - Throws: `HDF5Error` ("list group").
    public func children() throws -> [String] {
        H5.silence()
        let names = NameCollector()
        let box = Unmanaged.passRetained(names)
        defer { box.release() }
        var index: hsize_t = 0
        let visit: H5L_iterate_t = { _, name, _, data in
            guard let name, let data else { return -1 }
            Unmanaged<NameCollector>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
            return 0
        }
        try H5.check(H5Literate(locationID, H5_INDEX_NAME, H5_ITER_INC, &index, visit, box.toOpaque()),
                     "list group", file: file.path, object: objectPath)
        return names.names
    }

    /// Whether `name` is a group or a dataset (`H5Oopen`, `H5Iget_type`).
    /// - Throws: `HDF5Error` ("open object") when it does not exist.
    public func kind(of name: String) throws -> HDF5ObjectKind {
        H5.silence()
        let path = H5.join(objectPath, name)
        let id = try H5.checkID(H5Oopen(locationID, name, exp_h5p_default()), "open object",
                                file: file.path, object: path)
        defer { H5Oclose(id) }
        switch H5Iget_type(id) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }
}

/// Collects names during `H5Literate` / `H5Aiterate2`.
final class NameCollector {
    var names: [String] = []
}
