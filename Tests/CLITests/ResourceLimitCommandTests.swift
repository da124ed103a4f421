import Foundation
import Testing

/// Sizes that cannot fit are refused at once and without allocating: under a second, the child's peak RSS
/// (its own ru_maxrss) under 100 MB.
@Suite struct ResourceLimitCommandTests {
    static let cases: [[String]] = [
        ["train", "--n", "200000", "--d", "16", "--width", "64"],
        ["analyze", "--n", "100000"],
        ["train", "--width", "1000000000", "--d", "784"],
        ["train", "--dataset", "csv:{dir}/rows-200000.csv", "--width", "64"],
        ["analyze", "--dataset", "csv:{dir}/rows-200000.csv.gz"],
        ["report", "{dir}/spec-200000-rows.yaml", "--out", "{dir}/out"],
    ]

    @Test("oversized runs are refused in under a second with max RSS under 100 MB", arguments: cases)
    func oversizedRunIsRefusedQuicklyWithoutAllocating(_ arguments: [String]) throws {
        let directory = try CLIRunner.temporaryDirectory("resources")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = (0..<200_000).map { "\($0 % 2),\($0 % 7 + 1),\($0 % 5),\($0 % 3),1\n" }.joined()
        let csv = Data(("y,a,b,c,d\n" + rows).utf8)
        try csv.write(to: directory.appendingPathComponent("rows-200000.csv"))
        try Data(gzip([UInt8](csv))).write(to: directory.appendingPathComponent("rows-200000.csv.gz"))
        try Data("""
            title: rows
            datasets:
              data: {kind: csv, path: \(directory.path)/rows-200000.csv}
            models:
              net: {width: 64}
            optimizers:
              ngd: {kind: ngd, lr: 0.5}
            runs:
              - {id: r, dataset: data, model: net, optimizer: ngd, steps: 2}

            """.utf8).write(to: directory.appendingPathComponent("spec-200000-rows.yaml"))

        let outcome = try CLIRunner.runMeasured(arguments.map { $0.replacingOccurrences(of: "{dir}", with: directory.path) },
                                                scratch: directory)

        #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(outcome.stderr.contains(" GB ") || outcome.stderr.contains(" TB "), "\(outcome.stderr)")
        #expect(outcome.seconds < 1, "\(arguments): \(outcome.seconds) s")
        #expect(outcome.maxResidentKilobytes < 100_000, "\(arguments): \(outcome.maxResidentKilobytes) KB")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }
}

/// `bytes` as a gzip file of stored (uncompressed) deflate blocks: valid gzip, made without zlib, which this
/// test target does not link.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        table[i] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    crc ^= 0xFFFF_FFFF
    func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    var offset = 0
    repeat {
        let count = min(65_535, bytes.count - offset)
        let final: UInt8 = offset + count == bytes.count ? 1 : 0
        out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
        out += bytes[offset..<(offset + count)]
        offset += count
    } while offset < bytes.count
    return out + littleEndian(crc) + littleEndian(UInt32(truncatingIfNeeded: bytes.count))
}
