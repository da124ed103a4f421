import CZlib
import Foundation
import NGD

/// Fixtures for the data-loading tests: a fresh temporary directory per test, gzip writing, IDX builders.
enum DataFixtures {
    /// A new empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ngd-data-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `bytes` compressed as one gzip member with zlib's deflate (independent of the reader under test).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16 = gzip wrapper.
        let started = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// An IDX3 images file: magic 0x00000803, count, rows, columns (big-endian), then the pixels.
    static func idxImages(count: Int, rows: Int, columns: Int, magic: UInt32 = 0x0000_0803,
                          pixel: (Int, Int) -> UInt8 = { image, j in UInt8((image * 7 + j) % 256) }) -> [UInt8] {
        var bytes = bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(columns))
        for image in 0..<count {
            for j in 0..<(rows * columns) { bytes.append(pixel(image, j)) }
        }
        return bytes
    }

    /// An IDX1 labels file.
    static func idxLabels(_ labels: [UInt8], magic: UInt32 = 0x0000_0801) -> [UInt8] {
        bigEndian(magic) + bigEndian(UInt32(labels.count)) + labels
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    @discardableResult
    static func write(_ bytes: [UInt8], to directory: URL, as name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @discardableResult
    static func write(_ text: String, to directory: URL, as name: String) throws -> String {
        try write(Array(text.utf8), to: directory, as: name)
    }

    /// ../shared/data next to the package root, found from this file's path; nil when absent.
    static func sharedData(_ relative: String, file: String = #filePath) -> String? {
        let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/\(relative)").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Runs `body` and returns the NGDError it throws (nil when it does not throw one).
    static func error(_ body: () throws -> Void) -> NGDError? {
        do {
            try body()
            return nil
        } catch let error as NGDError {
            return error
        } catch {
            return NGDError("unexpected", "\(error)")
        }
    }
}
