// Errors in a sweep file, its resolved configurations and `--set` overrides
// (SPEC.md "Sweep file", exit code 64; CONVENTIONS.md #9: typed errors that carry context).

import Foundation  // LocalizedError only

/// A configuration problem: which file, which key, which value, and how to fix it.
///
/// Printed as `FILE: KEY = VALUE: problem; hint`, e.g.
/// `sweep.json: base.training.batch_size = 0: must be an integer ≥ 1`.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// A key that is not in SPEC.md's table; `suggestion` is the nearest known key.
        case unknownKey(suggestion: String?, known: [String])
        /// A value of the wrong JSON type; `expected` says which.
        case wrongType(expected: String)
        /// A value of the right type outside its allowed set or range.
        case invalidValue(allowed: String)
        /// A required key that is absent.
        case missingKey
        /// The sweep expands to more runs than the limit (`--max-runs`).
        case tooManyRuns(count: Int, limit: Int)
        /// The file cannot be read (missing, a directory, not UTF-8); `reason` says why.
        case unreadable(reason: String)
    }

    /// The file the key comes from (`--set` for command-line overrides).
    public var file: String
    /// The dotted key path, e.g. `base.training.batch_size` or `grid.model.bn[1]`.
    public var keyPath: String
    /// The offending value, if there is one.
    public var value: JSONValue?
    /// What is wrong.
    public var kind: Kind

    /// An error about `keyPath` (and `value`) in `file`.
    public init(file: String, keyPath: String, value: JSONValue? = nil, kind: Kind) {
        self.file = file
        self.keyPath = keyPath
        self.value = value
        self.kind = kind
    }

    /// `FILE: KEY = VALUE: problem; hint`.
    public var description: String {
        var subject = keyPath.isEmpty ? file : "\(file): \(keyPath)"
        if let value { subject += " = " + abbreviated(value.canonicalJSON) }
        switch kind {
        case let .unknownKey(suggestion, known):
            let hint = suggestion.map { "did you mean \($0)?" }
                ?? "known keys: " + known.joined(separator: ", ")
            return "\(file): \(keyPath): unknown key; \(hint)"
        case let .wrongType(expected):
            return "\(subject): expected \(expected), got \(value?.typeName ?? "nothing")"
        case let .invalidValue(allowed):
            return "\(subject): \(allowed)"
        case .missingKey:
            return "\(subject): required key is missing"
        case let .tooManyRuns(count, limit):
            if count == Int.max {
                return "\(file): the sweep expands to more than \(Int.max) runs, more than the limit of \(limit); shrink the grid"
            }
            return "\(file): the sweep expands to \(count) runs, more than the limit of \(limit); "
                + "shrink the grid or raise the limit with --max-runs \(count)"
        case let .unreadable(reason):
            return "\(file): cannot read the file (\(reason)); check the path"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }

    private func abbreviated(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "…"
    }
}

/// The candidate closest to `word` by Levenshtein distance, if it is close enough to be a
/// plausible typo (distance ≤ max(2, |word| / 3)); ties go to the earlier candidate.
/// A candidate whose last dotted component equals `word`'s wins outright (`batch_size` →
/// `training.batch_size`).
public func nearestKey(to word: String, in candidates: [String]) -> String? {
    func leaf(_ key: String) -> Substring { key.split(separator: ".").last ?? Substring(key) }
    if let sameLeaf = candidates.first(where: { leaf($0) == leaf(word) }) { return sameLeaf }
    var best: (key: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(word, candidate)
        if best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    guard let best, best.distance <= max(2, word.count / 3) else { return nil }
    return best.key
}

/// Levenshtein distance between `a` and `b` over Unicode scalars.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var row = [i] + Array(repeating: 0, count: b.count)
        for j in stride(from: 1, through: b.count, by: 1) {
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = row
    }
    return previous[b.count]
}
