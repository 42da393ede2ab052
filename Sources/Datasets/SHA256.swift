// SHA-256 through OpenSSL's libcrypto EVP interface (a well-kept implementation; no hand-written
// hash). Source: FIPS 180-4; OpenSSL EVP_DigestInit_ex(3).

import CCrypto

/// An incremental SHA-256 digest (OpenSSL EVP). Feed bytes with `update`, then read `hexDigest`.
///
/// A reference type because it owns an `EVP_MD_CTX`; not thread-safe.
public final class SHA256Hasher {
    private let context: OpaquePointer?
    private var finished = false

    /// A fresh digest.
    public init() {
        context = EVP_MD_CTX_new()
        if let context { EVP_DigestInit_ex(context, EVP_sha256(), nil) }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds `bytes` to the message.
    /// - Precondition: `hexDigest` has not been read yet.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Hasher.update after the digest was read")
        guard let context, let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Adds `bytes` to the message.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lowercase hex digits. Ends the message; call once.
    public func finalize() -> String {
        precondition(!finished, "SHA256Hasher.finalize called twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        if let context { EVP_DigestFinal_ex(context, &digest, &length) }
        return SHA256Hasher.hex(digest)
    }

    /// The SHA-256 of `bytes` as 64 lowercase hex digits.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> String {
        let h = SHA256Hasher()
        h.update(bytes)
        return h.finalize()
    }

    /// The SHA-256 of `bytes` as 64 lowercase hex digits.
    public static func hash(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hash($0) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
