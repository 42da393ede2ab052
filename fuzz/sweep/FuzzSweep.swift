// libFuzzer target: the strict JSON parser, Sweep checks and expansion (scripts/fuzz.sh builds it).
// Any thrown error is a clean refusal; a crash, trap, leak or ASan report is a finding.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSweep(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let json = try? JSONParser.parse(bytes: bytes, file: "fuzz.json") else { return 0 }
    _ = json.canonicalJSON
    _ = json.prettyJSON
    guard let sweep = try? Sweep(json: json, file: "fuzz.json") else { return 0 }
    _ = try? sweep.expand(maximumRuns: 64, file: "fuzz.json", sha256: { _ in String(repeating: "0", count: 64) })
    return 0
}
