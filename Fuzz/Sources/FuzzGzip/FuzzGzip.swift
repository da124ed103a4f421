import Foundation
import NGD

// Any byte string must either inflate (within a small output limit) or throw an NGDError — never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = try? Gzip.decompressIfNeeded(data, source: "fuzz", limit: 1 << 20)
    return 0
}
