// Opening and reading results files with errors that name the file and the object
// (docs/FORMAT.md; ResultsFileError). Internal to the Results writers and readers.

import Foundation
import HDF5

/// An open results file being read, turning HDF5 failures into `ResultsFileError`s.
struct ResultsReader {
    let file: HDF5File
    let path: String
    let kind: ResultsFileKind

    /// The first 8 bytes of every HDF5 file (at offset 0 for files this project writes).
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Opens `path` read-only and checks `format` and `format_version`.
    /// - Throws: `ResultsFileError` (.missing, .notHDF5, .wrongFormat, .unsupportedVersion).
    static func open(_ path: String, kind: ResultsFileKind) throws -> ResultsReader {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ResultsFileError(path: path, kind: kind, problem: .missing)
        }
        let file: HDF5File
        do {
            file = try HDF5File.open(path)
        } catch {
            let handle = FileHandle(forReadingAtPath: path)
            let head = (try? handle?.read(upToCount: 8)).flatMap { $0.map(Array.init) } ?? []
            try? handle?.close()
            throw ResultsFileError(path: path, kind: kind, problem: .notHDF5(hasSignature: head == signature))
        }
        let reader = ResultsReader(file: file, path: path, kind: kind)
        do {
            let format = try? file.stringAttribute("format")
            guard format == kind.format else { throw reader.error(.wrongFormat(found: format)) }
            let version = try? file.int64Attribute("format_version")
            guard version == kind.formatVersion else { throw reader.error(.unsupportedVersion(found: version)) }
        } catch {
            try? file.close()
            throw error
        }
        return reader
    }

    func error(_ problem: ResultsFileError.Problem) -> ResultsFileError {
        ResultsFileError(path: path, kind: kind, problem: problem)
    }

    func close() { try? file.close() }

    /// Whether the object at absolute `objectPath` exists.
    func exists(_ objectPath: String) -> Bool { (try? file.exists(objectPath)) ?? false }

    /// Opens a group. - Throws: `.missingObject`.
    func group(_ objectPath: String) throws -> HDF5Group {
        guard exists(objectPath), let group = try? file.openGroup(objectPath) else {
            throw error(.missingObject(objectPath))
        }
        return group
    }

    /// The names of a group's children that are datasets (or groups when `groups`).
    func children(of location: HDF5Location, groups: Bool) throws -> [String] {
        do {
            return try location.children().filter { try location.kind(of: $0) == (groups ? .group : .dataset) }
        } catch {
            throw self.error(.inconsistent("cannot list \(location.objectPath): \(error)"))
        }
    }

    /// Reads a whole dataset of element type `Scalar`, optionally of a known shape.
    /// - Throws: `.missingObject`, `.wrongType`, `.wrongShape`.
    func dataset<Scalar: HDF5Scalar>(_ objectPath: String, in location: HDF5Location? = nil,
                                     as: Scalar.Type = Scalar.self, shape: [Int]? = nil) throws -> HDF5Array<Scalar> {
        let base = location ?? file
        let full = base.objectPath == "/" ? objectPath : base.objectPath + "/" + objectPath
        guard (try? base.exists(objectPath)) == true, let dataset = try? base.openDataset(objectPath) else {
            throw error(.missingObject(full))
        }
        let info: HDF5DatasetInfo
        do { info = try dataset.info() } catch { throw self.error(.inconsistent("cannot read \(full): \(error)")) }
        guard info.dataType == Scalar.hdf5DataType else {
            throw error(.wrongType(object: full, expected: Scalar.hdf5DataType.rawValue,
                                   found: info.dataType?.rawValue ?? "an unsupported type"))
        }
        if let shape, shape != info.shape { throw error(.wrongShape(object: full, expected: shape, found: info.shape)) }
        do { return try dataset.read(as: Scalar.self) } catch { throw self.error(.inconsistent("cannot read \(full): \(error)")) }
    }

    /// Reads a 1-D dataset of `count` elements (any count when nil).
    func column<Scalar: HDF5Scalar>(_ objectPath: String, as: Scalar.Type = Scalar.self, count: Int?) throws -> [Scalar] {
        let array: HDF5Array<Scalar> = try dataset(objectPath)
        let expected = [count ?? array.shape.first ?? 0]
        guard array.shape == expected else { throw error(.wrongShape(object: objectPath, expected: expected, found: array.shape)) }
        return array.values
    }

    /// A string attribute of `object` (the root when nil). - Throws: `.missingObject`, `.wrongType`.
    func string(_ name: String, of object: HDF5Object? = nil) throws -> String {
        let value = try attribute(name, of: object)
        guard case .string(let text) = value else { throw wrongAttribute(name, object, "a string") }
        return text
    }

    /// An integer scalar attribute. - Throws: `.missingObject`, `.wrongType`.
    func integer(_ name: String, of object: HDF5Object? = nil) throws -> Int64 {
        let value = try attribute(name, of: object)
        guard case .int64(let number) = value else { throw wrongAttribute(name, object, "an integer") }
        return number
    }

    private func attribute(_ name: String, of object: HDF5Object?) throws -> HDF5AttributeValue {
        let target = object ?? file
        guard (try? target.hasAttribute(name)) == true, let value = try? target.attribute(name) else {
            throw error(.missingObject(Self.attributePath(target.objectPath, name)))
        }
        return value
    }

    private func wrongAttribute(_ name: String, _ object: HDF5Object?, _ expected: String) -> ResultsFileError {
        error(.wrongType(object: Self.attributePath((object ?? file).objectPath, name), expected: expected, found: "another type"))
    }

    /// `/group@name` (`@name` for the root), the notation of docs/FORMAT.md.
    static func attributePath(_ objectPath: String, _ name: String) -> String {
        (objectPath == "/" ? "" : objectPath) + "@" + name
    }
}
