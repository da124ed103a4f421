import CZlib
import Foundation

/// Reading gzip data through zlib, for the gzipped IDX and CSV files that data sets ship as.
///
/// Files that are not gzipped (no 1f 8b magic) pass through unchanged, so every loader can call
/// `Gzip.contentsOfFile(atPath:)` whether or not the user unpacked the download. Readers that need only the start
/// of a file (`--n 10` of a large CSV) use `Gzip.streamFile(atPath:limit:_:)`, which inflates chunk by chunk and
/// stops as soon as the reader has enough.
public enum Gzip {
    /// Largest decompressed size accepted by default (1 GiB): far above MNIST's 47 MB training images,
    /// small enough that a corrupt or hostile file cannot exhaust memory or time.
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
            throw unreadable(path)
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
        let inflater = try Inflater(source: source, limit: limit)
        try data.withUnsafeBytes { input in
            _ = try inflater.feed(input) { chunk in
                output.append(contentsOf: chunk)
                return true
            }
        }
        try inflater.finish()
        return output
    }

    /// Streams the file at `path` to `body` in chunks, inflating it when it is gzipped; `body` returns false to stop
    /// reading (the rest of the file is then neither read nor inflated). Inflated output beyond `limit` bytes is an
    /// error; a plain file passes through without a limit (the reader bounds what it keeps).
    public static func streamFile(atPath path: String, limit: Int = defaultLimit,
                                  _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw unreadable(path) }
        defer { try? handle.close() }
        let chunkSize = 1 << 20
        func read() throws -> Data {
            do {
                return try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw unreadable(path)
            }
        }
        var chunk = try read()
        guard isGzipped(chunk) else {
            while !chunk.isEmpty {
                guard try chunk.withUnsafeBytes(body) else { return }
                chunk = try read()
            }
            return
        }
        let inflater = try Inflater(source: path, limit: limit)
        while !chunk.isEmpty {
            guard try chunk.withUnsafeBytes({ try inflater.feed($0, body) }) else { return }
            chunk = try read()
        }
        try inflater.finish()
    }

    /// Why `path` could not be opened or read.
    private static func unreadable(_ path: String) -> NGDError {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return NGDError(path, "no such file")
        }
        return NGDError(path, isDirectory.boolValue ? "is a directory, expected a file" : "cannot be read")
    }
}

/// One zlib inflate stream fed piece by piece: concatenated gzip members decode as one, the CRC-32 of each
/// member is checked, and the output is handed on in fixed-size chunks.
private final class Inflater {
    let source: String
    let limit: Int
    /// zlib keeps a pointer back to its z_stream, so the stream lives at a fixed address.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var chunk = [UInt8](repeating: 0, count: 1 << 18)
    private var produced = 0
    /// Compressed bytes received, and those up to the end of the last complete member.
    private var received = 0
    private var endOfLastMember = 0
    private var consumed = 0
    /// The last member ended; more input must start a new member (or is trailing garbage).
    private var betweenMembers = false
    /// Input after a member's end, kept until the two magic bytes of the next member can be checked.
    private var pendingMagic: [UInt8] = []

    init(source: String, limit: Int) throws {
        self.source = source
        self.limit = limit
        stream.initialize(to: z_stream())
        // 15 window bits + 16: expect a gzip (not zlib) header and check the CRC-32 trailer.
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw NGDError(source, "cannot start the gzip decoder (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates `input`, handing each piece of output to `body`; false when `body` asked to stop.
    func feed(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        guard let base = input.bindMemory(to: UInt8.self).baseAddress, !input.isEmpty else { return true }
        received += input.count
        var offset = 0
        while offset < input.count {
            if betweenMembers {
                while pendingMagic.count < 2 && offset < input.count {
                    pendingMagic.append(base[offset])
                    offset += 1
                }
                guard pendingMagic.count == 2 else { return true }
                guard pendingMagic == [0x1F, 0x8B] else {
                    throw NGDError(source, "unexpected \(received - endOfLastMember) bytes after the end of the gzip stream")
                }
                betweenMembers = false
                inflateReset(stream)
                var magic = pendingMagic
                pendingMagic = []
                let proceed = try magic.withUnsafeMutableBufferPointer { buffer -> Bool in
                    guard let start = buffer.baseAddress else { return true }
                    return try inflate(start, count: 2, body).proceed
                }
                guard proceed else { return false }
                continue
            }
            let slice = min(input.count - offset, Int(UInt32.max))
            let result = try inflate(UnsafeMutablePointer(mutating: base + offset), count: slice, body)
            offset += result.consumed
            guard result.proceed else { return false }
        }
        return true
    }

    /// Runs inflate over `count` bytes at `input` until they are consumed, a member ends or `body` stops it.
    private func inflate(_ input: UnsafeMutablePointer<UInt8>, count: Int,
                         _ body: (UnsafeRawBufferPointer) throws -> Bool) throws -> (consumed: Int, proceed: Bool) {
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(count)
        let chunkSize = chunk.count
        let result: (consumed: Int, proceed: Bool) = try chunk.withUnsafeMutableBufferPointer { out in
            guard let outBase = out.baseAddress else { return (count, true) }
            while true {
                stream.pointee.next_out = outBase
                stream.pointee.avail_out = uInt(chunkSize)
                let code = CZlib.inflate(stream, Z_NO_FLUSH)
                let outputBytes = chunkSize - Int(stream.pointee.avail_out)
                let used = count - Int(stream.pointee.avail_in)
                if outputBytes > 0 {
                    guard produced + outputBytes <= limit else {
                        throw NGDError(source, "decompresses to more than \(limit) bytes; refusing to continue")
                    }
                    produced += outputBytes
                    guard try body(UnsafeRawBufferPointer(start: outBase, count: outputBytes)) else { return (used, false) }
                }
                switch code {
                case Z_STREAM_END:
                    betweenMembers = true
                    endOfLastMember = consumed + used
                    return (used, true)
                case Z_OK where stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0,
                     Z_BUF_ERROR:
                    // All of this input is used; more may come with the next feed.
                    return (used, true)
                case Z_OK:
                    continue
                case Z_MEM_ERROR:
                    throw NGDError(source, "out of memory while decompressing")
                default:
                    let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(code)"
                    throw NGDError(source, "corrupt gzip data (\(detail))")
                }
            }
        }
        consumed += result.consumed
        return result
    }

    /// Checks that the input ended at the end of a member.
    func finish() throws {
        if betweenMembers {
            guard pendingMagic.isEmpty else {
                throw NGDError(source, "unexpected \(received - endOfLastMember) bytes after the end of the gzip stream")
            }
            return
        }
        throw NGDError(source, "truncated gzip stream: the data ends after \(received) compressed "
                             + "bytes, before the end-of-stream marker")
    }
}
