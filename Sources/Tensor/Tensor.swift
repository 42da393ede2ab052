// Tensor: contiguous row-major storage with a shape (NCHW for images).
//
// Notation (paper "Deep learning for pedestrians", L. Boué): n minibatch size, d depth
// (channels), r resolution (height = width), f features. Image data is n×d×r×r, vector data n×f.

/// A dense n-dimensional array of `Scalar`, stored contiguously in row-major (C) order.
///
/// Images are n×d×r×r (NCHW, as PyTorch), vectors n×f. Storage is a Swift array, so copies
/// are copy-on-write and a `Tensor` is a value.
public struct Tensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// The extent of each axis, outermost first. Empty for a scalar.
    @inlinable public var shape: [Int] { extents }
    @usableFromInline var extents: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Scalar]

    /// A tensor of the given shape with every element equal to `value`.
    /// - Precondition: every extent is ≥ 0.
    @inlinable
    public init(shape: [Int], repeating value: Scalar = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.extents = shape
        self.scalars = Array(repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor of the given shape holding `scalars` in row-major order.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    @inlinable
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(scalars.count == shape.reduce(1, *),
                     "\(scalars.count) scalars do not fill shape \(shape)")
        self.extents = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape whose elements `initializer` must all set (no zero fill).
    /// - Precondition: every extent is ≥ 0.
    @inlinable
    public init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        let count = shape.reduce(1, *)
        self.extents = shape
        self.scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            initializer(buffer)
            initialized = count
        }
    }

    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    /// The element at flat (row-major) position `index`.
    @inlinable
    public subscript(index: Int) -> Scalar {
        get { scalars[index] }
        set { scalars[index] = newValue }
    }

    /// The same elements under another shape with the same element count (flatten / fold).
    /// - Precondition: the element counts agree.
    @inlinable
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Changes the shape in place, keeping the elements (flatten / fold).
    /// - Precondition: the element counts agree.
    @inlinable
    public mutating func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) == scalars.count,
                     "cannot reshape \(shape) (\(scalars.count) elements) to \(newShape)")
        extents = newShape
    }

    /// The elements converted to another scalar type (e.g. Float ↔ Double).
    @inlinable
    public func converted<Other: TensorScalar>(to: Other.Type = Other.self) -> Tensor<Other> {
        Tensor<Other>(shape: shape, scalars: scalars.map { Other($0) })
    }

    /// Calls `body` with a pointer to the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the elements.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }
}

extension Tensor {
    /// A tensor of zeros.
    @inlinable public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape) }

    /// Sets every element to zero, keeping the shape and the storage.
    @inlinable
    public mutating func zero() {
        withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = 0 }
        }
    }

    /// The largest |a − b| over all elements. - Precondition: equal shapes.
    @inlinable
    public func maxAbsDifference(_ other: Tensor) -> Scalar {
        precondition(shape == other.shape, "shapes differ: \(shape) vs \(other.shape)")
        var m: Scalar = 0
        for i in 0..<count { m = Swift.max(m, Swift.abs(scalars[i] - other.scalars[i])) }
        return m
    }

    /// The largest |a| over all elements (0 for an empty tensor).
    @inlinable
    public var maxAbs: Scalar { scalars.reduce(0) { Swift.max($0, Swift.abs($1)) } }

    /// The Euclidean norm √Σ a², accumulated in Double in element order.
    @inlinable
    public var norm: Double {
        var s = 0.0
        for v in scalars { s += Double(v) * Double(v) }
        return s.squareRoot()
    }

    /// Element-wise a += b. - Precondition: equal element counts.
    @inlinable
    public static func += (lhs: inout Tensor, rhs: Tensor) {
        precondition(lhs.count == rhs.count, "shapes differ: \(lhs.shape) vs \(rhs.shape)")
        lhs.withUnsafeMutableBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in
                for i in a.indices { a[i] += b[i] }
            }
        }
    }
}

extension Tensor: CustomStringConvertible {
    /// A short description: shape and the first few elements.
    public var description: String {
        let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor<\(Scalar.typeName)>\(shape) [\(head)\(count > 8 ? ", …" : "")]"
    }
}
