import CZlib
import Foundation

/// Reading gzip data through zlib, for the gzipped IDX and CSV files that data sets ship as.
///
/// Files that are not gzipped (no 1f 8b magic) pass through unchanged, so every loader can call
/// `Gzip.contentsOfFile(atPath:)` whether or not the user unpacked the download.
public enum Gzip {
    /// Largest decompressed size accepted by default (1 GiB): far above MNIST's 47 MB training images,
    /// small enough that a corrupt or hostile file cannot exhaust memory.
    public static let defaultLimit = 1 << 30

    /// True when `data` starts with the gzip magic bytes 1f 8b.
    public static func isGzipped(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    /// The contents of the file at `path`, inflated when it is gzipped.
    ///
    /// Errors name `path`: missing or unreadable file, corrupt or truncated gzip stream, output over `limit`.
    public static func contentsOfFile(atPath path: String, limit: Int = defaultLimit) throws -> Data {
        let raw: Data
        do {
            raw = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw NGDError(path, "no such file")
            }
            throw NGDError(path, isDirectory.boolValue ? "is a directory, expected a file" : "cannot be read")
        }
        return try decompressIfNeeded(raw, source: path, limit: limit)
    }

    /// `data` inflated when it starts with the gzip magic, else `data` itself.
    public static func decompressIfNeeded(_ data: Data, source: String, limit: Int = defaultLimit) throws -> Data {
        isGzipped(data) ? try decompress(data, source: source, limit: limit) : data
    }

    /// Inflates gzip `data` (one or more concatenated members, as `gzip -d` accepts).
    ///
    /// Decoding streams through a fixed-size output chunk; the size recorded in the gzip trailer is never
    /// used for allocation, and output beyond `limit` bytes is an error.
    public static func decompress(_ data: Data, source: String, limit: Int = defaultLimit) throws -> Data {
        guard isGzipped(data) else {
            throw NGDError(source, "not gzip data (expected the magic bytes 1f 8b)")
        }
        var output = Data()
        var stream = z_stream()
        // 15 window bits + 16: expect a gzip (not zlib) header and check the CRC-32 trailer.
        let status = inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw NGDError(source, "cannot start the gzip decoder (zlib status \(status))")
        }
        defer { inflateEnd(&stream) }

        let chunkSize = 1 << 18
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.bindMemory(to: UInt8.self).baseAddress else { return }
            var offset = 0
            // zlib's avail_in is 32-bit: feed large inputs in slices.
            func feed() {
                let slice = min(input.count - offset, Int(UInt32.max))
                stream.next_in = UnsafeMutablePointer(mutating: base + offset)
                stream.avail_in = uInt(slice)
                offset += slice
            }
            feed()
            try chunk.withUnsafeMutableBufferPointer { out in
                guard let outBase = out.baseAddress else { return }
                while true {
                    if stream.avail_in == 0 && offset < input.count { feed() }
                    stream.next_out = outBase
                    stream.avail_out = uInt(chunkSize)
                    let code = inflate(&stream, Z_NO_FLUSH)
                    let produced = chunkSize - Int(stream.avail_out)
                    if produced > 0 {
                        guard output.count + produced <= limit else {
                            throw NGDError(source, "decompresses to more than \(limit) bytes; refusing to continue")
                        }
                        output.append(outBase, count: produced)
                    }
                    switch code {
                    case Z_OK:
                        continue
                    case Z_STREAM_END:
                        let remaining = Int(stream.avail_in) + (input.count - offset)
                        if remaining == 0 { return }
                        // Another gzip member may follow (concatenated .gz files decode as one).
                        let next = input.count - remaining
                        guard remaining >= 2, input[next] == 0x1F, input[next + 1] == 0x8B else {
                            throw NGDError(source, "unexpected \(remaining) bytes after the end of the gzip stream")
                        }
                        inflateReset(&stream)
                    case Z_BUF_ERROR where stream.avail_in == 0 && offset == input.count:
                        throw NGDError(source, "truncated gzip stream: the data ends after \(input.count) compressed "
                                            + "bytes, before the end-of-stream marker")
                    case Z_BUF_ERROR:
                        continue
                    case Z_MEM_ERROR:
                        throw NGDError(source, "out of memory while decompressing")
                    default:
                        let detail = stream.msg.map { String(cString: $0) } ?? "zlib status \(code)"
                        throw NGDError(source, "corrupt gzip data (\(detail))")
                    }
                }
            }
        }
        return output
    }
}
