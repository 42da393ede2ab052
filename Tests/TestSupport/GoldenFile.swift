// Reader for the golden-value fixtures of Tests/Fixtures/golden (written by
// scripts/make_golden_pytorch.py): <name>.json indexes the tensors of <name>.bin.
//
// Format (format "exp-golden", format_version 1): the JSON holds "metadata" (free-form),
// "scalars" (name → number or list of numbers) and "tensors" (name → {"dtype", "shape",
// "offset"}); the .bin holds every tensor as little-endian Float64, concatenated, "offset"
// counted in elements. "dtype" is the tensor's type in the generator (float32 values are
// stored widened to Float64, exactly; int64 labels as exact integers).

import Foundation
import Tensor

/// What can go wrong reading a golden file.
public enum GoldenFileError: Error, CustomStringConvertible {
    /// The file is not readable.
    case unreadable(path: String, underlying: String)
    /// The file does not follow the format.
    case malformed(path: String, reason: String)
    /// No tensor or scalar of that name.
    case missing(name: String, path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, underlying):
            return "\(path): cannot read (\(underlying)); regenerate with "
                + "`/usr/bin/python3 scripts/make_golden_pytorch.py`"
        case let .malformed(path, reason):
            return "\(path): not an exp-golden file: \(reason)"
        case let .missing(name, path):
            return "\(path): no entry named \"\(name)\""
        }
    }
}

/// A golden-value file pair <name>.json + <name>.bin, loaded whole.
public struct GoldenFile {
    /// Where a tensor's values sit in the .bin file.
    public struct Entry: Equatable {
        /// The type in the generator: "float32", "float64" or "int64".
        public var dtype: String
        /// The extent of each axis, outermost first.
        public var shape: [Int]
        /// The position of the first element, in elements.
        public var offset: Int
    }

    /// Tests/Fixtures/golden, found from this source file's location.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // Tests/TestSupport
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Fixtures/golden")

    /// The JSON path, for messages.
    public let path: String
    /// Free-form provenance and configuration (torch version, seed, parameter names, …).
    public let metadata: [String: Any]
    /// The tensors by name.
    public let entries: [String: Entry]
    private let scalarValues: [String: Any]
    private let values: [Double]

    /// Loads <name>.json and <name>.bin from `directory`.
    /// - Throws: `GoldenFileError` when a file is missing or does not follow the format.
    public init(named name: String, in directory: URL = GoldenFile.directory) throws {
        let jsonURL = directory.appendingPathComponent(name + ".json")
        let binURL = directory.appendingPathComponent(name + ".bin")
        let path = jsonURL.path
        self.path = path
        let json: Data, bin: Data
        do {
            json = try Data(contentsOf: jsonURL)
            bin = try Data(contentsOf: binURL)
        } catch {
            throw GoldenFileError.unreadable(path: path, underlying: "\(error)")
        }
        func malformed(_ reason: String) -> GoldenFileError { .malformed(path: path, reason: reason) }

        guard let root = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw malformed("not a JSON object")
        }
        guard root["format"] as? String == "exp-golden",
              (root["format_version"] as? NSNumber)?.intValue == 1 else {
            throw malformed("format \(root["format"] ?? "nil") version \(root["format_version"] ?? "nil")")
        }
        guard bin.count % 8 == 0 else { throw malformed("\(binURL.lastPathComponent) has \(bin.count) bytes") }
        let values: [Double] = bin.withUnsafeBytes { raw in
            (0..<(bin.count / 8)).map {
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))
            }
        }

        guard let tensors = root["tensors"] as? [String: Any] else { throw malformed("no \"tensors\"") }
        var entries: [String: Entry] = [:]
        for (tensorName, value) in tensors {
            guard let fields = value as? [String: Any],
                  let dtype = fields["dtype"] as? String,
                  let shape = (fields["shape"] as? [NSNumber])?.map(\.intValue),
                  let offset = (fields["offset"] as? NSNumber)?.intValue else {
                throw malformed("tensor \"\(tensorName)\": expected dtype, shape, offset")
            }
            let count = shape.reduce(1, *)
            guard offset >= 0, offset + count <= values.count else {
                throw malformed("tensor \"\(tensorName)\" (\(count) elements at \(offset)) "
                                + "beyond the \(values.count) values of the .bin")
            }
            entries[tensorName] = Entry(dtype: dtype, shape: shape, offset: offset)
        }
        self.values = values
        self.entries = entries
        self.metadata = root["metadata"] as? [String: Any] ?? [:]
        self.scalarValues = root["scalars"] as? [String: Any] ?? [:]
    }

    /// The metadata value at a key path, e.g. `metadata("model", "bn")` (nil when absent).
    public func metadata(_ keys: String...) -> Any? {
        var value: Any? = metadata
        for key in keys { value = (value as? [String: Any])?[key] }
        return value
    }

    /// The tensor named `name`, converted to `Scalar` (exact for Float32-born values as Float).
    /// - Throws: `GoldenFileError.missing`.
    public func tensor<Scalar: TensorScalar>(_ name: String, as _: Scalar.Type = Scalar.self) throws -> Tensor<Scalar> {
        guard let entry = entries[name] else { throw GoldenFileError.missing(name: name, path: path) }
        let count = entry.shape.reduce(1, *)
        return Tensor(shape: entry.shape,
                      scalars: values[entry.offset..<(entry.offset + count)].map { Scalar($0) })
    }

    /// Rows `rows` of the first axis of the tensor named `name` (e.g. a minibatch of images).
    /// - Throws: `GoldenFileError.missing`, or `.malformed` when `rows` exceeds the first axis.
    public func tensor<Scalar: TensorScalar>(_ name: String, rows: Range<Int>,
                                             as _: Scalar.Type = Scalar.self) throws -> Tensor<Scalar> {
        guard let entry = entries[name] else { throw GoldenFileError.missing(name: name, path: path) }
        guard let first = entry.shape.first, rows.lowerBound >= 0, rows.upperBound <= first else {
            throw GoldenFileError.malformed(path: path, reason: "rows \(rows) of \"\(name)\" \(entry.shape)")
        }
        let rowSize = entry.shape.dropFirst().reduce(1, *)
        let start = entry.offset + rows.lowerBound * rowSize
        return Tensor(shape: [rows.count] + entry.shape.dropFirst(),
                      scalars: values[start..<(start + rows.count * rowSize)].map { Scalar($0) })
    }

    /// The scalar named `name` (e.g. "step1_f32/loss").
    /// - Throws: `GoldenFileError.missing` when absent or not a number.
    public func scalar(_ name: String) throws -> Double {
        guard let number = scalarValues[name] as? NSNumber else {
            throw GoldenFileError.missing(name: name, path: path)
        }
        return number.doubleValue
    }

    /// The list of numbers named `name` (e.g. "trajectory_f64/losses").
    /// - Throws: `GoldenFileError.missing` when absent or not a list of numbers.
    public func scalars(_ name: String) throws -> [Double] {
        guard let numbers = scalarValues[name] as? [NSNumber] else {
            throw GoldenFileError.missing(name: name, path: path)
        }
        return numbers.map(\.doubleValue)
    }
}
