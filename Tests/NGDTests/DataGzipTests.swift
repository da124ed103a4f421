import Foundation
import Testing
import NGD

@Suite struct DataGzipTests {
    @Test func inflatesWhatZlibDeflated() throws {
        let original = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let compressed = DataFixtures.gzip(original)
        #expect(Gzip.isGzipped(Data(compressed)))
        let inflated = try Gzip.decompress(Data(compressed), source: "mem")
        #expect([UInt8](inflated) == original)
    }

    @Test func readsGzippedAndPlainFilesAlike() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let text = Array("a,b,y\n1,2,3\n".utf8)
        let gz = try DataFixtures.write(DataFixtures.gzip(text), to: dir, as: "t.csv.gz")
        let plain = try DataFixtures.write(text, to: dir, as: "t.csv")
        #expect([UInt8](try Gzip.contentsOfFile(atPath: gz)) == text)
        #expect([UInt8](try Gzip.contentsOfFile(atPath: plain)) == text)
    }

    @Test func decodesConcatenatedMembersAsOneStream() throws {
        let a = Array("first part\n".utf8), b = Array("second part\n".utf8)
        let joined = DataFixtures.gzip(a) + DataFixtures.gzip(b)
        #expect([UInt8](try Gzip.decompress(Data(joined), source: "mem")) == a + b)
    }

    @Test func truncatedStreamIsAnErrorNamingTheFile() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let full = DataFixtures.gzip((0..<50_000).map { UInt8($0 % 251) })
        let path = try DataFixtures.write(Array(full[0..<(full.count / 2)]), to: dir, as: "cut.gz")
        let error = DataFixtures.error { _ = try Gzip.contentsOfFile(atPath: path) }
        #expect(error?.source == path)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func corruptedStreamIsAnError() throws {
        var bytes = DataFixtures.gzip(Array(repeating: 65, count: 10_000))
        // Byte 10 starts the deflate data; its bits 1–2 are the block type, and 11 is reserved (invalid).
        bytes[10] |= 0b110
        let error = DataFixtures.error { _ = try Gzip.decompress(Data(bytes), source: "bad.gz") }
        #expect(error == NGDError("bad.gz", "corrupt gzip data (invalid block type)"))
    }

    @Test func wrongChecksumIsReportedAsCorrupt() throws {
        var bytes = DataFixtures.gzip(Array("hello checksum".utf8))
        bytes[bytes.count - 8] ^= 0xFF  // first byte of the CRC-32 trailer
        let error = DataFixtures.error { _ = try Gzip.decompress(Data(bytes), source: "crc.gz") }
        #expect(error?.message.contains("corrupt") == true)
    }

    @Test func garbageAfterTheStreamIsAnError() throws {
        let bytes = DataFixtures.gzip(Array("payload".utf8)) + [1, 2, 3]
        let error = DataFixtures.error { _ = try Gzip.decompress(Data(bytes), source: "tail.gz") }
        #expect(error?.message.contains("3 bytes after the end") == true)
    }

    @Test func outputBeyondTheLimitIsRefused() throws {
        let bytes = DataFixtures.gzip(Array(repeating: 0, count: 1 << 20))
        let error = DataFixtures.error { _ = try Gzip.decompress(Data(bytes), source: "bomb.gz", limit: 1 << 16) }
        #expect(error?.message.contains("more than 65536 bytes") == true)
    }

    @Test func missingFileIsNamed() throws {
        let dir = try DataFixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("absent.gz").path
        let error = DataFixtures.error { _ = try Gzip.contentsOfFile(atPath: path) }
        #expect(error == NGDError(path, "no such file"))
    }
}
