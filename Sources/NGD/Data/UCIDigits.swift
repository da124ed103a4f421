import Foundation

/// The UCI optical-recognition digits (8×8 images, pixel values 0–16) as shipped by scikit-learn (BSD-3; see
/// Sources/NGD/Resources/DIGITS-LICENSE.rst). 1797 images; 181 fours and 180 nines.
public enum UCIDigits {
    public static let imageSide = 8
    public static let maximumPixelValue = 16

    /// The copy embedded in the package.
    public static func embedded() throws -> LabelledImages {
        guard let url = Bundle.module.url(forResource: "digits.csv", withExtension: "gz") else {
            throw NGDError("digits.csv.gz", "the embedded UCI digits resource is missing from the NGD bundle")
        }
        return try parse(try Gzip.contentsOfFile(atPath: url.path), source: "digits.csv.gz (embedded)")
    }

    /// A digits file in the same format (gzipped or not): no header, 64 pixel columns 0–16, then the label 0–9.
    public static func load(atPath path: String, name: String = "UCI digits") throws -> LabelledImages {
        try parse(try Gzip.contentsOfFile(atPath: path), source: path, name: name)
    }

    /// Parses the digits table from bytes. Errors carry `source:line`.
    public static func parse(_ data: Data, source: String, name: String = "UCI digits") throws -> LabelledImages {
        let columns = imageSide * imageSide + 1
        var pixels = [UInt8]()
        pixels.reserveCapacity(min(data.count / 2, 1 << 24))
        var labels = [Int]()
        var line = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            var row = [Int](repeating: 0, count: columns)
            while i < bytes.count {
                line += 1
                var cells = 0, value = 0, digits = 0
                var blank = true
                func endCell() throws {
                    guard digits > 0 else { throw NGDError("\(source):\(line)", "empty or non-numeric cell \(cells + 1)") }
                    guard cells < columns else {
                        throw NGDError("\(source):\(line)", "more than \(columns) cells (64 pixels and a label)")
                    }
                    row[cells] = value
                    cells += 1
                    value = 0
                    digits = 0
                }
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") {
                    let b = bytes[i]
                    i += 1
                    switch b {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        // Values beyond 16 are rejected below; cap the accumulator so it cannot overflow.
                        value = min(value * 10 + Int(b - UInt8(ascii: "0")), 1_000_000)
                        digits += 1
                        blank = false
                    case UInt8(ascii: "."):
                        // Some exports write integers as "3.0": accept a fraction of zeros only.
                        while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                            guard bytes[i] == UInt8(ascii: "0") else {
                                throw NGDError("\(source):\(line)", "cell \(cells + 1) is not an integer")
                            }
                            i += 1
                        }
                    case UInt8(ascii: ","):
                        try endCell()
                        blank = false
                    case UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                        continue
                    default:
                        throw NGDError("\(source):\(line)", "unexpected character '\(Character(Unicode.Scalar(b)))'; "
                                                          + "expected non-negative integers separated by commas")
                    }
                }
                i += 1  // the newline
                if blank { continue }
                try endCell()
                guard cells == columns else {
                    throw NGDError("\(source):\(line)", "\(cells) cells, expected \(columns) (64 pixels and a label)")
                }
                if let j = row[0..<(columns - 1)].firstIndex(where: { $0 > maximumPixelValue }) {
                    throw NGDError("\(source):\(line)", "pixel \(j + 1) is \(row[j]), expected 0–\(maximumPixelValue)")
                }
                guard row[columns - 1] <= 9 else {
                    throw NGDError("\(source):\(line)", "label \(row[columns - 1]) is not a digit 0–9")
                }
                for j in 0..<(columns - 1) { pixels.append(UInt8(row[j])) }
                labels.append(row[columns - 1])
            }
        }
        guard !labels.isEmpty else { throw NGDError(source, "no digit rows") }
        let images = ByteImages(count: labels.count, rows: imageSide, columns: imageSide, pixels: pixels)
        return LabelledImages(name: name, source: source, images: images, labels: labels,
                              maximumPixelValue: Double(maximumPixelValue))
    }
}
