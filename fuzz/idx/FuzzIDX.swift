// libFuzzer target: the IDX reader (raw and gzip) on arbitrary bytes (scripts/fuzz.sh builds it).
// The input is written to a file and read twice: as any unsigned-byte IDX and as images.

import Foundation

let fuzzPath = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "exp-fuzz-idx-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: fuzzPath, contents: Data(bytes: data, count: size)) else { return 0 }
    if let file = try? IDXFile.read(path: fuzzPath) {
        precondition(file.data.count == file.dimensions.reduce(1, *), "data count does not match the header")
    }
    _ = try? IDXFile.read(path: fuzzPath, expectedMagic: IDXFile.imagesMagic)
    return 0
}
