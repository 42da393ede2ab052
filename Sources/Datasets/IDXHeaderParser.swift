// Incremental parsing of an IDX header (magic, then big-endian dimensions), fed byte slices
// as they are read or inflated. See IDXFile.swift for the format.

/// Collects and checks the header bytes of one IDX file.
struct IDXHeaderParser {
    let path: String
    let expectedMagic: UInt32?
    /// The header bytes collected so far (at most `headerLength`).
    private(set) var bytes: [UInt8] = []

    init(path: String, expectedMagic: UInt32?) {
        self.path = path
        self.expectedMagic = expectedMagic
    }

    /// The magic, once 4 bytes are in.
    var magic: UInt32? {
        bytes.count >= 4 ? bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) } : nil
    }

    /// The rank (4th magic byte), once known.
    var rank: Int? { bytes.count >= 4 ? Int(bytes[3]) : nil }

    /// 4 + 4·rank once the rank is known, else 4.
    var headerLength: Int { 4 + 4 * (rank ?? 0) }

    /// The dimensions, once the whole header is in.
    var dimensions: [Int]? {
        guard let rank, bytes.count >= 4 + 4 * rank else { return nil }
        return (0..<rank).map { i in
            bytes[(4 + 4 * i)..<(8 + 4 * i)].reduce(0) { $0 << 8 | Int($1) }
        }
    }

    /// The number of data bytes the header describes (the product of the dimensions; Int.max
    /// when that overflows), once the whole header is in.
    var dataCount: Int? {
        guard let dims = dimensions else { return nil }
        var product = 1
        for d in dims {
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            if overflow { return Int.max }
            product = p
        }
        return product
    }

    /// Takes from `slice` the bytes the header still needs; returns how many were taken.
    @discardableResult
    mutating func consume<C: Collection>(_ slice: C) -> Int where C.Element == UInt8 {
        var taken = 0
        for b in slice {
            let needed = rank.map { 4 + 4 * $0 } ?? 4
            guard bytes.count < needed else { break }
            bytes.append(b)
            taken += 1
        }
        return taken
    }

    /// Consumes `slice` and checks the magic as soon as it is known.
    mutating func consume(_ slice: [UInt8]) throws {
        consume(slice[...])
        try check()
    }

    /// Throws `.wrongMagic` when the magic is known and is not an unsigned-byte IDX magic
    /// (0x000008RR) or not the expected one.
    func check() throws {
        guard let magic else { return }
        let expected = expectedMagic ?? (0x0000_0800 | (magic & 0xff))
        if magic != expected || magic & 0xffff_ff00 != 0x0000_0800 {
            throw DatasetError.wrongMagic(path: path, expected: expectedMagic ?? 0x0000_0803, actual: magic)
        }
    }

    /// The error for a file whose header is incomplete after `total` bytes.
    func endedEarly(total: Int) -> DatasetError {
        .truncated(path: path, detail: "it ends inside the \(headerLength)-byte IDX header, after \(total) bytes")
    }
}
