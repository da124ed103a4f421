import Foundation
import NGD

// Any text must either parse as a CSV data set or throw an NGDError — never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? Dataset.csv(text: text, source: "fuzz", limit: nil, normalize: true)
    _ = try? Dataset.csv(text: text, source: "fuzz", limit: 3, normalize: false)
    return 0
}
