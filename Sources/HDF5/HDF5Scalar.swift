import CHDF5

/// The element types of datasets this wrapper writes and reads.
public enum HDF5DataType: String, Sendable, Equatable, CaseIterable {
    /// IEEE 754 binary32, little-endian in the file (numpy `float32`).
    case float32
    /// IEEE 754 binary64 (numpy `float64`).
    case float64
    /// Two's-complement 32-bit signed integer (numpy `int32`).
    case int32
    /// Two's-complement 64-bit signed integer (numpy `int64`).
    case int64
    /// 8-bit unsigned integer (numpy `uint8`).
    case uint8

    /// Classifies an HDF5 datatype id by class, size and sign (`H5Tget_class`,
    /// `H5Tget_size`, `H5Tget_sign`); nil for anything else (strings, compounds, int16, …).
    static func of(typeID: hid_t) -> HDF5DataType? {
        let size = H5Tget_size(typeID)
        switch H5Tget_class(typeID) {
        case H5T_FLOAT:
            return size == 4 ? .float32 : size == 8 ? .float64 : nil
        case H5T_INTEGER:
            let signed = H5Tget_sign(typeID) == H5T_SGN_2
            switch (size, signed) {
            case (4, true): return .int32
            case (8, true): return .int64
            case (1, false): return .uint8
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// A Swift scalar that maps to an HDF5 native type: Float, Double, Int32, Int64, UInt8.
public protocol HDF5Scalar {
    /// The matching `HDF5DataType`.
    static var hdf5DataType: HDF5DataType { get }
    /// The HDF5 native memory type (`H5T_NATIVE_FLOAT`, …, via the CHDF5 shim).
    static var hdf5NativeType: hid_t { get }
    /// The zero value, used to size read buffers.
    static var hdf5Zero: Self { get }
}

/// `Float` is stored as `H5T_NATIVE_FLOAT`.
extension Float: HDF5Scalar {
    /// `.float32`.
    public static var hdf5DataType: HDF5DataType { .float32 }
    /// The native HDF5 type id, through the shim's `exp_h5t_native_float()`.
    public static var hdf5NativeType: hid_t { exp_h5t_native_float() }
    /// 0.
    public static var hdf5Zero: Float { 0 }
}

/// `Double` is stored as `H5T_NATIVE_DOUBLE`.
extension Double: HDF5Scalar {
    /// `.float64`.
    public static var hdf5DataType: HDF5DataType { .float64 }
    /// The native HDF5 type id, through the shim's `exp_h5t_native_double()`.
    public static var hdf5NativeType: hid_t { exp_h5t_native_double() }
    /// 0.
    public static var hdf5Zero: Double { 0 }
}

/// `Int32` is stored as `H5T_NATIVE_INT32`.
extension Int32: HDF5Scalar {
    /// `.int32`.
    public static var hdf5DataType: HDF5DataType { .int32 }
    /// The native HDF5 type id, through the shim's `exp_h5t_native_int32()`.
    public static var hdf5NativeType: hid_t { exp_h5t_native_int32() }
    /// 0.
    public static var hdf5Zero: Int32 { 0 }
}

/// `Int64` is stored as `H5T_NATIVE_INT64`.
extension Int64: HDF5Scalar {
    /// `.int64`.
    public static var hdf5DataType: HDF5DataType { .int64 }
    /// The native HDF5 type id, through the shim's `exp_h5t_native_int64()`.
    public static var hdf5NativeType: hid_t { exp_h5t_native_int64() }
    /// 0.
    public static var hdf5Zero: Int64 { 0 }
}

/// `UInt8` is stored as `H5T_NATIVE_UINT8`.
extension UInt8: HDF5Scalar {
    /// `.uint8`.
    public static var hdf5DataType: HDF5DataType { .uint8 }
    /// The native HDF5 type id, through the shim's `exp_h5t_native_uint8()`.
    public static var hdf5NativeType: hid_t { exp_h5t_native_uint8() }
    /// 0.
    public static var hdf5Zero: UInt8 { 0 }
}

/// A dense row-major (C order) array read from or written to a dataset.
public struct HDF5Array<Scalar: HDF5Scalar> {
    /// The elements, last index fastest; `values.count` is the product of `shape`.
    public var values: [Scalar]
    /// The dimensions, slowest first; `[]` for a scalar (rank 0) dataset.
    public var shape: [Int]

    /// - Precondition: `values.count` equals the product of `shape` (1 for `[]`).
    public init(values: [Scalar], shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 } && values.count == shape.reduce(1, *),
                     "HDF5Array: \(values.count) values do not fill shape \(shape)")
        self.values = values
        self.shape = shape
    }
}

extension HDF5Array: Equatable where Scalar: Equatable {}
