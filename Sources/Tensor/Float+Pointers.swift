// Viewing a generic Scalar buffer as Float, for the Float-only kernels (CKernels). Callers check
// `Scalar.self == Float.self` first.

extension Float {
    /// The buffer's base as a Float pointer. - Precondition: Scalar is Float, buffer non-empty.
    @inlinable
    public static func pointer<Scalar>(_ p: UnsafeBufferPointer<Scalar>) -> UnsafePointer<Float> {
        precondition(Scalar.self == Float.self && p.baseAddress != nil)
        return UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: Float.self)
    }

    /// The mutable buffer's base as a Float pointer. - Precondition: Scalar is Float, non-empty.
    @inlinable
    public static func mutablePointer<Scalar>(_ p: UnsafeMutableBufferPointer<Scalar>) -> UnsafeMutablePointer<Float> {
        precondition(Scalar.self == Float.self && p.baseAddress != nil)
        return UnsafeMutableRawPointer(p.baseAddress!).assumingMemoryBound(to: Float.self)
    }
}
