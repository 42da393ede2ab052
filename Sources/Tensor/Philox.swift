// Philox4x32-10, the counter-based random number generator of Salmon, Moraes, Dror and Shaw,
// "Parallel random numbers: as easy as 1, 2, 3", SC'11 (Random123).
//
// Implementation goals, in order of priority: bit-exact agreement with Random123 and with
// PyPI's randomgen `Philox(number=4, width=32)`; any block computable on its own; clarity.

import RealModule

/// The Philox4x32-10 bijection: a 128-bit counter and a 64-bit key give 128 random bits.
///
/// Ten rounds of two 32×32→64-bit multiplications (constants 0xD2511F53, 0xCD9E8D57) with
/// the key bumped by the Weyl constants (0x9E3779B9, 0xBB67AE85) between rounds.
/// Source: Salmon et al. (SC'11), Random123 `philox.h`.
public enum Philox4x32 {
    /// Four 32-bit words: a counter or a block of output.
    public typealias Block = (UInt32, UInt32, UInt32, UInt32)

    /// The output block for `counter` under `key` (10 rounds).
    @inlinable
    public static func block(counter: Block, key: (UInt32, UInt32)) -> Block {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }
}

/// A stream of random numbers keyed by (seed, stream), from Philox4x32-10.
///
/// The key is the 64-bit seed (k0 = low word, k1 = high word). The 128-bit counter is
/// (index low, index high, stream low, stream high): each stream is 2⁶⁴ blocks long, and any
/// block of any stream can be computed without generating the ones before it. A purpose (weight
/// initialisation, the shuffle of epoch k, …) takes its own stream number, so a resumed run
/// regenerates epoch k's shuffle from (seed, stream) alone.
///
/// Bit-to-number mapping (documented, stable across versions):
/// - `nextUInt32()`: the words of each block in order x0, x1, x2, x3, then the next block.
/// - `nextFloat()`: (x >> 8) · 2⁻²⁴ for one word x, in [0, 1).
/// - `nextDouble()`: ((hi << 32 | lo) >> 11) · 2⁻⁵³ for two consecutive words lo, hi, in [0, 1).
/// - `nextNormal()`: Box–Muller on two doubles u1, u2: √(−2 ln(1 − u1)) · cos(2π u2); the
///   sine half is discarded so every normal costs exactly four words.
/// - `nextInt(below:)`: Lemire's multiply-shift with rejection on 32-bit words (bound < 2³²).
public struct PhiloxStream: Sendable {
    /// The seed, used as the 64-bit key.
    public let seed: UInt64
    /// The stream number, the high half of the counter.
    public let stream: UInt64
    /// The index of the next block to generate.
    public var blockIndex: UInt64 { nextBlock }
    @usableFromInline var nextBlock: UInt64
    @usableFromInline var buffer: Philox4x32.Block = (0, 0, 0, 0)
    @usableFromInline var used = 4

    /// A stream positioned at its first block.
    public init(seed: UInt64, stream: UInt64, blockIndex: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
        self.nextBlock = blockIndex
    }

    /// The next 32 random bits.
    @inlinable
    public mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            buffer = Philox4x32.block(
                counter: (UInt32(truncatingIfNeeded: nextBlock), UInt32(truncatingIfNeeded: nextBlock >> 32),
                          UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)),
                key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
            nextBlock &+= 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    /// A uniform Float in [0, 1): (x >> 8) · 2⁻²⁴.
    @inlinable
    public mutating func nextFloat() -> Float {
        Float(nextUInt32() >> 8) * 0x1p-24
    }

    /// A uniform Double in [0, 1): ((hi << 32 | lo) >> 11) · 2⁻⁵³.
    @inlinable
    public mutating func nextDouble() -> Double {
        let lo = UInt64(nextUInt32())
        let hi = UInt64(nextUInt32())
        return Double((hi << 32 | lo) >> 11) * 0x1p-53
    }

    /// A uniform Double in [low, high).
    @inlinable
    public mutating func nextUniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextDouble()
    }

    /// A standard normal N(0, 1) by Box–Muller: √(−2 ln(1 − u1)) · cos(2π u2).
    @inlinable
    public mutating func nextNormal() -> Double {
        let u1 = nextDouble(), u2 = nextDouble()
        return (-2 * Double.log(onePlus: -u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// A uniform integer in 0..<bound (Lemire's method, unbiased).
    /// - Precondition: 0 < bound ≤ 2³².
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0 && bound <= 1 << 32, "bound \(bound) out of range")
        let b = UInt64(bound)
        var m = UInt64(nextUInt32()) &* b
        if UInt64(UInt32(truncatingIfNeeded: m)) < b {
            let threshold = (UInt64(1) << 32 - b) % b
            while UInt64(UInt32(truncatingIfNeeded: m)) < threshold {
                m = UInt64(nextUInt32()) &* b
            }
        }
        return Int(m >> 32)
    }

    /// A permutation of 0..<count (Fisher–Yates from the last position down, using `nextInt`).
    public mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<count)
        var i = count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            p.swapAt(i, j)
            i -= 1
        }
        return p
    }
}

/// Stream numbers by purpose: the high 32 bits name the purpose, the low 32 an index (epoch, layer…).
public enum RandomStream {
    /// Weight initialisation of the parameter tensor with the given index.
    public static func initialization(_ parameterIndex: Int) -> UInt64 { 1 << 32 | UInt64(parameterIndex) }
    /// The shuffle of epoch `epoch` (1-based epochs are fine; any index works).
    public static func shuffle(epoch: Int) -> UInt64 { 2 << 32 | UInt64(epoch) }
    /// Data augmentation or dropout of epoch `epoch` (reserved).
    public static func augmentation(epoch: Int) -> UInt64 { 3 << 32 | UInt64(epoch) }
}
