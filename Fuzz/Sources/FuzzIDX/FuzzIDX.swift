import Foundation
import NGD

// Any byte string must either parse as IDX images/labels or throw an NGDError — never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = try? IDXFile.images(from: data, source: "fuzz")
    _ = try? IDXFile.labels(from: data, source: "fuzz")
    return 0
}
