// The engine version and the git commit of the source tree it was built from.

import Foundation

/// The engine's version and provenance, for `exp --version` and every results file.
public enum EngineVersion {
    /// The semantic version of the engine.
    public static let version = "0.1.0"

    /// "exp 0.1.0 (commit abcdef123456)".
    public static var versionLine: String {
        "exp \(version) (commit \(String(GitInfo.current.commit.prefix(12)))\(GitInfo.current.dirty ? ", dirty" : ""))"
    }
}

/// The git commit and dirty flag of the source tree this binary was built from, read at run time
/// with `git -C <source directory>`; "unknown" when git or the checkout is not there. Dirty means
/// changed or new files where the binary comes from, `Package.swift` and `Sources/`; results,
/// notebooks-md/ (which `exp report` rewrites) and docs do not make a build dirty.
public struct GitInfo: Sendable {
    public let commit: String
    public let dirty: Bool

    /// Read once per process.
    public static let current: GitInfo = {
        let sourceDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
        let commit = run(["git", "-C", sourceDir, "rev-parse", "HEAD"])?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
        let status = run(["git", "-C", sourceDir, "status", "--porcelain", "--", ":(top)Package.swift", ":(top)Sources"])
        return GitInfo(commit: commit.isEmpty ? "unknown" : commit, dirty: !(status ?? "").isEmpty)
    }()

    private static func run(_ argv: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
