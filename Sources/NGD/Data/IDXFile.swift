import Foundation

/// A set of 8-bit grey images, one per row of `pixels` (rows·columns bytes each, row-major), as in MNIST.
public struct ByteImages: Sendable, Equatable {
    public let count: Int
    public let rows: Int
    public let columns: Int
    /// count × (rows·columns) bytes, image after image.
    public let pixels: [UInt8]

    /// Images over `pixels`; the byte count must be count·rows·columns (a programming error otherwise).
    public init(count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        precondition(count >= 0 && rows >= 0 && columns >= 0 && pixels.count == count * rows * columns,
                     "ByteImages needs count·rows·columns pixel bytes")
        self.count = count
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
    }

    public var pixelsPerImage: Int { rows * columns }
}

/// Readers for the IDX format of LeCun's MNIST files: a big-endian magic word (0x00 0x00, a type byte,
/// the number of dimensions), one big-endian UInt32 per dimension, then the raw data.
/// Only the unsigned-byte type (0x08) is used by MNIST and accepted here.
public enum IDXFile {
    /// Magic of an unsigned-byte, 3-dimensional file (images: count × rows × columns).
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// Magic of an unsigned-byte, 1-dimensional file (labels).
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// Images from an IDX3 file (gzipped or not). Errors name `path`.
    public static func readImages(atPath path: String) throws -> ByteImages {
        try images(from: try Gzip.contentsOfFile(atPath: path), source: path)
    }

    /// Labels from an IDX1 file (gzipped or not). Errors name `path`.
    public static func readLabels(atPath path: String) throws -> [UInt8] {
        try labels(from: try Gzip.contentsOfFile(atPath: path), source: path)
    }

    /// Parses decompressed IDX3 bytes. The declared sizes are checked against the actual byte count
    /// before anything is allocated.
    public static func images(from data: Data, source: String) throws -> ByteImages {
        let dims = try header(of: data, expecting: imagesMagic, dimensions: 3, what: "images", source: source)
        let (count, rows, columns) = (dims[0], dims[1], dims[2])
        guard rows > 0, columns > 0 else {
            throw NGDError(source, "wrong dimensions: images of \(rows)×\(columns) pixels; both must be positive")
        }
        guard count > 0 else { throw NGDError(source, "the file declares 0 images") }
        let pixels = try payload(of: data, headerBytes: 16, items: [count, rows, columns], source: source)
        return ByteImages(count: count, rows: rows, columns: columns, pixels: pixels)
    }

    /// Parses decompressed IDX1 bytes.
    public static func labels(from data: Data, source: String) throws -> [UInt8] {
        let dims = try header(of: data, expecting: labelsMagic, dimensions: 1, what: "labels", source: source)
        guard dims[0] > 0 else { throw NGDError(source, "the file declares 0 labels") }
        return try payload(of: data, headerBytes: 8, items: [dims[0]], source: source)
    }

    // MARK: - Parsing

    private static func header(of data: Data, expecting magic: UInt32, dimensions: Int, what: String,
                               source: String) throws -> [Int] {
        let headerBytes = 4 + 4 * dimensions
        guard data.count >= 4 else {
            throw NGDError(source, "truncated IDX file: \(data.count) bytes, too short for the magic number")
        }
        let found = bigEndianWord(data, at: 0)
        guard found == magic else {
            let hex = { (v: UInt32) in "0x" + String(repeating: "0", count: 8 - String(v, radix: 16).count) + String(v, radix: 16) }
            // Same type byte but another rank is a dimensions problem, not a foreign file.
            if found >> 8 == magic >> 8 {
                throw NGDError(source, "wrong dimensions: IDX \(what) need \(dimensions) dimension(s), the file has "
                                     + "\(found & 0xFF) (magic \(hex(found)), expected \(hex(magic)))")
            }
            throw NGDError(source, "bad magic number \(hex(found)); expected \(hex(magic)) for IDX \(what) "
                                 + "(is this an MNIST \(what) file?)")
        }
        guard data.count >= headerBytes else {
            throw NGDError(source, "truncated IDX header: \(data.count) bytes, expected at least \(headerBytes)")
        }
        return (0..<dimensions).map { Int(bigEndianWord(data, at: 4 + 4 * $0)) }
    }

    /// The data bytes after the header, after checking that their number is exactly the product of `items`.
    private static func payload(of data: Data, headerBytes: Int, items: [Int], source: String) throws -> [UInt8] {
        var expected = 1
        for n in items {
            let (product, overflow) = expected.multipliedReportingOverflow(by: n)
            guard !overflow else { throw NGDError(source, "wrong dimensions: \(items) is too large") }
            expected = product
        }
        let available = data.count - headerBytes
        guard available >= expected else {
            throw NGDError(source, "truncated IDX data: the header declares \(items.map(String.init).joined(separator: "×")) "
                                 + "= \(expected) bytes, the file holds \(available)")
        }
        guard available == expected else {
            throw NGDError(source, "\(available - expected) unexpected bytes after the \(expected) declared data bytes")
        }
        let start = data.startIndex + headerBytes
        return [UInt8](data[start..<(start + expected)])
    }

    private static func bigEndianWord(_ data: Data, at offset: Int) -> UInt32 {
        let i = data.startIndex + offset
        return UInt32(data[i]) << 24 | UInt32(data[i + 1]) << 16 | UInt32(data[i + 2]) << 8 | UInt32(data[i + 3])
    }
}
