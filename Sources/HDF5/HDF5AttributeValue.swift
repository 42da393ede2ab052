/// The value of an attribute this wrapper writes and reads.
///
/// Strings are written as variable-length UTF-8 scalars (h5py 3 returns `str`); numbers as
/// native little-endian int64 / float64 scalars or 1-D arrays (h5py returns `numpy.int64`,
/// `numpy.float64` or a 1-D `numpy.ndarray`). Reading converts any stored integer type to
/// `Int64` and any floating-point type to `Double` (HDF5's own conversion), and accepts
/// fixed-length strings too.
public enum HDF5AttributeValue: Sendable, Equatable {
    /// A variable-length UTF-8 string; JSON-valued attributes are such strings. A NUL
    /// character ends the string as HDF5 stores C strings.
    case string(String)
    /// A scalar 64-bit integer (dataspace `H5S_SCALAR`).
    case int64(Int64)
    /// A scalar float64 (dataspace `H5S_SCALAR`).
    case double(Double)
    /// A 1-D array of 64-bit integers (may be empty).
    case int64Array([Int64])
    /// A 1-D array of float64 (may be empty).
    case doubleArray([Double])
}
