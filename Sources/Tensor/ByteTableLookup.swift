// Swift entry point of CKernels' byte-table row gather (lookup.c): the minibatch gather of
// Datasets' Batcher from the dataset's pixel bytes and its 256-entry normalisation table.
//
// Implementation goals, in order of priority:
// 1. Exactly the table's Floats (a copy), on every instruction-set path and for any thread
//    count: the same bits as gathering rows of a Float array made by mapping every byte.
// 2. A quarter of the memory traffic of gathering Float rows (scattered rows of the training
//    set are cache and TLB misses); the rows are split over `Parallel`'s two parts.

import CKernels

/// Gathers rows of bytes and maps every byte through a 256-entry Float table.
public enum ByteTableLookup {
    /// Whether `gatherRows` takes the AVX512_VBMI path (64 bytes at a time through the table's
    /// byte planes): the CPU has AVX512BW and AVX512_VBMI, `DirectConvolution.instructionSetLevel`
    /// is 2 and `allowVBMI(false)` has not been called. The bits are the same on every path.
    public static var usesVBMI: Bool { exp_lookup_uses_vbmi() != 0 }

    /// Allows (the default) or forbids the AVX512_VBMI path; tests compare both.
    public static func allowVBMI(_ allowed: Bool) { exp_lookup_allow_vbmi(allowed ? 1 : 0) }

    /// out[r·rowLength + j] = table[source[rows[r]·rowLength + j]] for r in 0..<rows.count,
    /// j in 0..<rowLength, the rows split over `Parallel`'s parts.
    /// - Precondition: `table` holds 256 Floats; `out` holds rows.count·rowLength Floats; every
    ///   rows[r] is in 0..<source.count / rowLength.
    public static func gatherRows(_ source: UnsafeBufferPointer<UInt8>, rows: UnsafeBufferPointer<Int>,
                                  rowLength: Int, table: UnsafeBufferPointer<Float>,
                                  into out: UnsafeMutableBufferPointer<Float>) {
        let n = rows.count
        precondition(table.count == 256, "the table holds \(table.count) Floats, not 256")
        precondition(out.count >= n * rowLength, "output of \(out.count) Floats for \(n) rows of \(rowLength)")
        guard n > 0, rowLength > 0 else { return }
        let available = source.count / rowLength
        for i in rows { precondition(i >= 0 && i < available, "row \(i) outside 0..<\(available)") }
        Parallel.forEachPart(work: n * rowLength) { part in
            let r = Parallel.range(of: part, count: n)
            exp_lookup_rows(source.baseAddress!, rows.baseAddress!, rowLength, table.baseAddress!,
                            out.baseAddress!, r.lowerBound, r.upperBound)
        }
    }
}
