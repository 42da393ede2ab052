// im2col, the paper's φ operator, and its adjoint col2im: a convolution becomes one GEMM.
//
// Source: L. Boué, "Deep learning for pedestrians: backpropagation in CNNs" (arXiv:1811.11987),
// convolution layer: A_i = w ⋆ A_{i−1} + b computed as a matrix product with φ(A_{i−1}), eq. (28).
// Deviations: for one sample we store φᵗ, a (d·k·k)×(h′·w′) matrix (Caffe's layout; the paper's
// φ(A_{i−1}) stacks the windows as rows). Then w (d_i×d·k·k) · φᵗ is d_i×(h′·w′), which is
// already the NCHW layout of A_i, so no transpose or fold is needed. Row index: (c·k + ky)·k + kx,
// matching PyTorch's Conv2d.weight (d_i×d×k×k) flattened; column index: y′·w′ + x′.
//
// Implementation goals, in order of priority: correctness > clarity > speed. The loops run on
// unsafe pointers; with `inputDilation == 1` each row segment is one bounds computation and a
// contiguous copy (stride 1) or a strided gather. Everything is @inlinable so that the layers
// and their clients specialise it for Float/Double (unspecialised generic loops are far slower).

extension WindowGeometry {
    /// φᵗ for one image: writes the (d·k·k)×(h′·w′) column matrix of `image` (d×h×w) into
    /// `columns`. Padding and inserted zeros read as 0.
    ///
    /// - Precondition: `image` holds `imageCount` elements, `columns` `columnRows·columnCount`.
    @inlinable
    public func im2col<Scalar: TensorScalar>(_ image: UnsafePointer<Scalar>,
                                             into columns: UnsafeMutablePointer<Scalar>) {
        let k = kernel, hOut = outputHeight, wOut = outputWidth
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<k {
                for kx in 0..<k {
                    let dst = columns + row * hOut * wOut
                    row += 1
                    let xs = validRange(kx, extent: width, outputs: wOut)
                    for oy in 0..<hOut {
                        let line = dst + oy * wOut
                        guard let iy = source(oy, ky, extent: height) else {
                            line.update(repeating: 0, count: wOut)
                            continue
                        }
                        let src = plane + iy * width
                        if inputDilation != 1 {
                            for ox in 0..<wOut {
                                if let ix = source(ox, kx, extent: width) { line[ox] = src[ix] } else { line[ox] = 0 }
                            }
                            continue
                        }
                        line.update(repeating: 0, count: xs.lowerBound)
                        let shift = kx - padding
                        if stride == 1 {
                            (line + xs.lowerBound).update(from: src + xs.lowerBound + shift, count: xs.count)
                        } else {
                            for ox in xs { line[ox] = src[ox * stride + shift] }
                        }
                        (line + xs.upperBound).update(repeating: 0, count: wOut - xs.upperBound)
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col` for one image: adds every entry of the (d·k·k)×(h′·w′) matrix
    /// `columns` into the image cell it was read from (`image` += col2im(columns)); entries that
    /// came from padding or inserted zeros are dropped. Overlapping windows accumulate.
    ///
    /// - Precondition: `image` holds `imageCount` elements, `columns` `columnRows·columnCount`.
    @inlinable
    public func col2im<Scalar: TensorScalar>(_ columns: UnsafePointer<Scalar>,
                                             addingInto image: UnsafeMutablePointer<Scalar>) {
        let k = kernel, hOut = outputHeight, wOut = outputWidth
        var row = 0
        for c in 0..<channels {
            let plane = image + c * height * width
            for ky in 0..<k {
                for kx in 0..<k {
                    let srcRow = columns + row * hOut * wOut
                    row += 1
                    let xs = validRange(kx, extent: width, outputs: wOut)
                    for oy in 0..<hOut {
                        guard let iy = source(oy, ky, extent: height) else { continue }
                        let line = srcRow + oy * wOut
                        let dst = plane + iy * width
                        if inputDilation != 1 {
                            for ox in 0..<wOut {
                                if let ix = source(ox, kx, extent: width) { dst[ix] += line[ox] }
                            }
                            continue
                        }
                        let shift = kx - padding
                        for ox in xs { dst[ox * stride + shift] += line[ox] }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// φ(A)ᵗ per sample: n×d×h×w → n×(d·k·k)×(h′·w′), the column matrices of `geometry`.
    /// - Precondition: the tensor is n×d×h×w with d, h, w those of `geometry`.
    @inlinable
    public func im2col(_ geometry: WindowGeometry) -> Tensor {
        let g = geometry
        precondition(rank == 4 && shape[1] == g.channels && shape[2] == g.height && shape[3] == g.width,
                     "im2col: tensor \(shape) does not match geometry \(g)")
        let n = shape[0], rows = g.columnRows * g.columnCount
        var columns = Tensor(shape: [n, g.columnRows, g.columnCount])
        guard n > 0, rows > 0, g.imageCount > 0 else { return columns }
        withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { cp in
                for sample in 0..<n {
                    g.im2col(x.baseAddress! + sample * g.imageCount, into: cp.baseAddress! + sample * rows)
                }
            }
        }
        return columns
    }

    /// col2im per sample: n×(d·k·k)×(h′·w′) → n×d×h×w, summing the entries that overlapping
    /// windows read from the same cell (the adjoint of `im2col`).
    /// - Precondition: the tensor is n×(d·k·k)×(h′·w′) for `geometry`.
    @inlinable
    public func col2im(_ geometry: WindowGeometry) -> Tensor {
        let g = geometry
        precondition(rank == 3 && shape[1] == g.columnRows && shape[2] == g.columnCount,
                     "col2im: tensor \(shape) does not match geometry \(g)")
        let n = shape[0], rows = g.columnRows * g.columnCount
        var image = Tensor(shape: [n, g.channels, g.height, g.width])
        guard n > 0, rows > 0, g.imageCount > 0 else { return image }
        withUnsafeBufferPointer { cp in
            image.withUnsafeMutableBufferPointer { x in
                for sample in 0..<n {
                    g.col2im(cp.baseAddress! + sample * rows, addingInto: x.baseAddress! + sample * g.imageCount)
                }
            }
        }
        return image
    }
}
