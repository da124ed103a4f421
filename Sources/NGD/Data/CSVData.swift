import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Dataset {
    /// A data set from a CSV file (gzipped or not).
    ///
    /// Format: the first non-blank line is a header naming the columns; cells are separated by commas (no
    /// quoting of commas; surrounding double quotes and spaces are stripped). Column names are matched
    /// case-insensitively:
    /// - `y`, or `y1`, `y2`, …, `yk` (no gaps) are the targets, in index order — the file decides k;
    /// - an optional `label` or `class` column holds integer class labels, kept as `labels` and not used as a feature;
    /// - every other column is a feature, in file order.
    /// Cells are decimal numbers (`-1.5`, `2e-3`); hexadecimal, `inf`, `nan`, digit separators and anything after
    /// the number are errors.
    ///
    /// Blank lines are skipped; `limit` keeps only the first `limit` data rows, and the file is read (and inflated)
    /// only that far. `admit` is asked, before the rows are parsed, whether a data set of that shape may be used (the
    /// caller's resource check); it is also asked as the rows stream in, so that a file far too large is not kept in
    /// memory, only counted. Rows are scaled to unit ℓ2 norm when `normalize` is true (an all-zero row is then an
    /// error). Errors carry `path:line`.
    public static func csv(atPath path: String, limit: Int? = nil, normalize: Bool = true,
                           admit: ((CSVShape) throws -> Void)? = nil) throws -> Dataset {
        if let limit, limit <= 0 {
            throw NGDError("--n", "expected a positive cap on the number of CSV rows, got \(limit)", usage: true)
        }
        var reader = CSVPrefixReader(source: path, limit: limit, admit: admit)
        try Gzip.streamFile(atPath: path) { try reader.consume($0) }
        let bytes = try reader.finish()
        guard var text = String(bytes: bytes, encoding: .utf8) else { throw NGDError(path, "is not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try csv(text: text, source: path, limit: limit, normalize: normalize)
    }

    /// A data set from CSV text already in memory (same format as `csv(atPath:)`); `source` names it in errors.
    public static func csv(text: String, source: String, limit: Int? = nil, normalize: Bool = true) throws -> Dataset {
        try CSVTable(text: text, source: source, limit: limit).dataset(normalize: normalize)
    }
}

/// The size of a CSV data set, as its header and row count give it before any number is parsed.
public struct CSVShape: Sendable, Equatable {
    /// Data rows that will be used (at most the cap).
    public var rows: Int
    /// Feature columns (d) and target columns (k).
    public var features: Int
    public var targets: Int

    public init(rows: Int, features: Int, targets: Int) {
        self.rows = rows
        self.features = features
        self.targets = targets
    }
}

/// Collects the lines of a CSV stream up to the last data row that will be used, counting data rows as they come
/// and asking `admit` (at every power of two, and at the end) whether that many may be used. After a refusal the
/// rest is only counted, so that the final refusal names the file's true number of rows.
private struct CSVPrefixReader {
    let source: String
    let limit: Int?
    let admit: ((CSVShape) throws -> Void)?
    private(set) var kept: [UInt8] = []
    private var line: [UInt8] = []
    private var header: (features: Int, targets: Int)?
    private var rows = 0
    private var refused = false
    private var done = false

    init(source: String, limit: Int?, admit: ((CSVShape) throws -> Void)?) {
        self.source = source
        self.limit = limit
        self.admit = admit
    }

    /// Takes the next chunk; false once the rows wanted are complete.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws -> Bool {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return !done }
        var start = 0
        while start < chunk.count {
            let rest = chunk.count - start
            guard let found = memchr(base + start, 0x0A, rest) else {
                if !refused { line.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: rest)) }
                else { lineHasContent = lineHasContent || containsContent(base + start, rest) }
                return true
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            if !refused {
                line.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: end - start))
                try endLine()
            } else {
                if lineHasContent || containsContent(base + start, end - start) { rows += 1 }
                lineHasContent = false
            }
            start = end + 1
            if done { return false }
        }
        return true
    }

    /// While only counting: whether the current line has anything but ASCII whitespace.
    private var lineHasContent = false

    private func containsContent(_ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        let view = UnsafeRawBufferPointer(start: bytes, count: count)
        return view.contains { !Self.isASCIIWhitespace($0) }
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// Ends the line in `line`: keeps it, reads the header from it, or counts it as a data row.
    private mutating func endLine() throws {
        defer { line.removeAll(keepingCapacity: true) }
        let blank = Self.isBlank(line)
        if header == nil {
            kept.append(contentsOf: line)
            kept.append(0x0A)
            if !blank { header = try CSVTable.headerShape(of: line, source: source, lineNumber: lineCount()) }
            return
        }
        if blank {
            kept.append(contentsOf: line)
            kept.append(0x0A)
            return
        }
        rows += 1
        if rows & (rows - 1) == 0, let admit, let header {
            do {
                try admit(CSVShape(rows: rows, features: header.features, targets: header.targets))
            } catch {
                refused = true
                return
            }
        }
        kept.append(contentsOf: line)
        kept.append(0x0A)
        if let limit, rows >= limit { done = true }
    }

    private func lineCount() -> Int { kept.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }

    /// Blank as `CSVTable` sees it: nothing but whitespace (any Unicode whitespace when the line is not ASCII).
    private static func isBlank(_ bytes: [UInt8]) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes.allSatisfy(isASCIIWhitespace) }
        return String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace)
    }

    /// The bytes to parse, after the final check of the shape.
    mutating func finish() throws -> [UInt8] {
        if !line.isEmpty && !refused { try endLine() }
        if refused && lineHasContent { rows += 1 }
        if let admit, let header {
            try admit(CSVShape(rows: rows, features: header.features, targets: header.targets))
        }
        guard !refused else {
            throw NGDError(source, "\(rows) rows are more than this run can hold in memory")
        }
        return kept
    }
}

/// The parsed columns of a CSV data file: features, targets and optional labels, with each row's line number.
private struct CSVTable {
    let source: String
    var featureNames: [String] = []
    var features: [Double] = []
    var targets: [Double] = []
    var targetCount = 0
    var labels: [Int]?
    var lineNumbers: [Int] = []

    init(text: String, source: String, limit: Int?) throws {
        self.source = source
        // Split on bytes, not Characters: faster, and "\r\n" is one Character that a "\n" split would miss.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Substring.init)
        guard let headerIndex = lines.firstIndex(where: { !Self.isBlank($0) }) else {
            throw NGDError(source, "the file is empty; expected a header row naming the columns (y or y1…yk, features)")
        }
        let header = Self.cells(of: lines[headerIndex])
        let layout = try Self.layout(ofHeader: header, at: "\(source):\(headerIndex + 1)")
        featureNames = layout.features.map { header[$0] }
        targetCount = layout.targets.count
        if layout.label != nil { labels = [] }

        for index in (headerIndex + 1)..<lines.count where !Self.isBlank(lines[index]) {
            if let limit, lineNumbers.count >= limit { break }
            let at = "\(source):\(index + 1)"
            let row = Self.cells(of: lines[index])
            guard row.count == header.count else {
                throw NGDError(at, "\(row.count) cells, but the header has \(header.count) columns")
            }
            func number(_ column: Int) throws -> Double {
                let cell = row[column]
                guard let v = CSVNumber.parse(cell) else {
                    let shown = cell.unicodeScalars.map { $0.properties.generalCategory == .control
                        ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
                    if CSVNumber.isNonFiniteSpelling(cell) {
                        throw NGDError(at, "column '\(header[column])': \(shown) is not finite")
                    }
                    if CSVNumber.isDecimalSyntax(cell) {
                        throw NGDError(at, "column '\(header[column])': \(shown) is out of the range of a double (±1.8e308)")
                    }
                    throw NGDError(at, "column '\(header[column])': '\(shown)' is not a number (expected decimal "
                                     + "notation such as -1.5 or 2e-3)")
                }
                return v
            }
            for column in layout.features { features.append(try number(column)) }
            for column in layout.targets { targets.append(try number(column)) }
            if let column = layout.label {
                let v = try number(column)
                guard let label = Int(exactly: v) else {
                    throw NGDError(at, "column '\(header[column])': class label \(row[column]) is not an integer")
                }
                labels?.append(label)
            }
            lineNumbers.append(index + 1)
        }
        guard !lineNumbers.isEmpty else { throw NGDError(source, "the header is not followed by any data rows") }
    }

    func dataset(normalize: Bool) throws -> Dataset {
        let n = lineNumbers.count, d = featureNames.count
        var x = Matrix(rows: n, columns: d)
        x.storage = features
        try x.storage.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                let row = UnsafeMutableBufferPointer(rebasing: out[(i * d)..<(i * d + d)])
                try Self.checkScale(of: row, normalize: normalize, at: "\(source):\(lineNumbers[i])")
                if normalize { Self.scaleToUnitNorm(row) }
            }
        }
        guard let y = Matrix(rows: n, columns: targetCount, storage: targets) else {
            throw NGDError(source, "internal error: target count mismatch")
        }
        let name = URL(fileURLWithPath: source).lastPathComponent
        return Dataset(name: "\(name) (n=\(n), d=\(d))", inputs: x, targets: y, labels: labels,
                       rowOrigins: lineNumbers.map { "\(source):\($0)" })
    }

    // MARK: - Row norms

    /// Σx² in plain arithmetic is exact enough when it is a normal number well away from both ends of the double
    /// range; rows outside that range (cells near 1e308 or 1e-200) are scaled by their largest |x| first.
    private static let plainSumOfSquares = Double.leastNormalMagnitude.squareRoot()...Double.greatestFiniteMagnitude

    /// Scales `row` to unit ℓ2 norm without overflow or underflow. Ordinary rows take the plain Σx² path, so
    /// their bits are the same as they always were.
    static func scaleToUnitNorm(_ row: UnsafeMutableBufferPointer<Double>) {
        var sumOfSquares = 0.0
        for v in row { sumOfSquares += v * v }
        if plainSumOfSquares.contains(sumOfSquares) {
            let norm = sumOfSquares.squareRoot()
            for j in row.indices { row[j] /= norm }
            return
        }
        let largest = row.reduce(0) { max($0, abs($1)) }
        guard largest > 0 else { return }
        var scaledSum = 0.0
        for v in row { scaledSum += (v / largest) * (v / largest) }
        let scaledNorm = scaledSum.squareRoot()
        for j in row.indices { row[j] = (row[j] / largest) / scaledNorm }
    }

    /// An all-zero row cannot be normalised; without normalisation, a row whose ‖x‖² is not a normal double
    /// would make the Gram matrix infinite or zero, and every quantity computed from it meaningless.
    private static func checkScale(of row: UnsafeMutableBufferPointer<Double>, normalize: Bool, at here: String) throws {
        let largest = row.reduce(0) { max($0, abs($1)) }
        guard largest > 0 else {
            if normalize {
                throw NGDError(here, "every feature is zero, so the row cannot be scaled to unit norm; pass --no-normalize "
                                   + "to keep it")
            }
            return
        }
        guard !normalize else { return }
        var sumOfSquares = 0.0
        for v in row { sumOfSquares += v * v }
        guard sumOfSquares.isNormal, sumOfSquares.isFinite else {
            throw NGDError(here, "the row's squared norm is \(sumOfSquares > 1 ? "beyond" : "below") the range of a double "
                               + "(largest |x| = \(largest)), so its inner products cannot be computed; rescale the data "
                               + "or drop --no-normalize")
        }
    }

    // MARK: - Header and cells

    /// The number of feature and target columns the header line `bytes` declares (errors as for the whole file).
    static func headerShape(of bytes: [UInt8], source: String, lineNumber: Int) throws -> (features: Int, targets: Int) {
        var content = bytes[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        guard let text = String(bytes: content, encoding: .utf8) else { throw NGDError(source, "is not UTF-8 text") }
        let layout = try layout(ofHeader: cells(of: Substring(text)), at: "\(source):\(lineNumber)")
        return (layout.features.count, layout.targets.count)
    }

    private static func layout(ofHeader header: [String], at here: String) throws -> Layout {
        if header.allSatisfy({ CSVNumber.parse($0) != nil }) {
            throw NGDError(here, "missing header: the first line is all numbers; add a header row naming the columns "
                               + "(y or y1…yk for targets, anything else for features)")
        }
        return try layout(of: header, at: here)
    }

    private struct Layout {
        var features: [Int] = []
        var targets: [Int] = []
        var label: Int?
    }

    private static func layout(of header: [String], at here: String) throws -> Layout {
        var layout = Layout()
        var numbered = [Int: Int]()  // y-index → column
        var plainY: Int?
        var seen = Set<String>()
        for (column, rawName) in header.enumerated() {
            let name = rawName.lowercased()
            guard !name.isEmpty else { throw NGDError(here, "column \(column + 1) has an empty name") }
            guard seen.insert(name).inserted else { throw NGDError(here, "column '\(rawName)' appears twice") }
            if name == "y" {
                plainY = column
            } else if name.hasPrefix("y"), let k = Int(name.dropFirst()), k >= 1, String(k) == name.dropFirst() {
                numbered[k] = column
            } else if name == "label" || name == "class" {
                guard layout.label == nil else {
                    throw NGDError(here, "both 'label' and 'class' columns; keep one as the class label")
                }
                layout.label = column
            } else {
                layout.features.append(column)
            }
        }
        if let plainY {
            guard numbered.isEmpty else { throw NGDError(here, "use either a 'y' column or 'y1'…'yk', not both") }
            layout.targets = [plainY]
        } else {
            guard !numbered.isEmpty else {
                throw NGDError(here, "no target column: name it 'y' (one output) or 'y1'…'yk' (k outputs)")
            }
            let k = numbered.count
            let columns = (1...k).compactMap { numbered[$0] }
            guard columns.count == k else {
                throw NGDError(here, "target columns must be y1…y\(k) without gaps, found "
                                   + numbered.keys.sorted().map { "y\($0)" }.joined(separator: ", "))
            }
            layout.targets = columns
        }
        guard !layout.features.isEmpty else {
            throw NGDError(here, "no feature column: every column other than y/y1…yk and label/class is a feature")
        }
        return layout
    }

    private static func cells(of line: Substring) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { cell in
            var s = cell.trimmingCharacters(in: .whitespacesAndNewlines)  // also drops the \r of CRLF files
            if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
            return s
        }
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy { $0.isWhitespace }
    }
}

/// The number syntax of CSV cells: decimal floating point only.
enum CSVNumber {
    /// The value of `text` when it is `[+-]digits[.digits][(e|E)[+-]digits]` (or `.digits…`) and finite.
    static func parse(_ text: String) -> Double? {
        guard isDecimalSyntax(text), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func isDecimalSyntax(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let count = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        var mantissaDigits = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// `inf`, `-Infinity`, `NaN`, `nan(123)`, … in any case.
    static func isNonFiniteSpelling(_ text: String) -> Bool {
        var lower = text.lowercased()[...]
        if lower.first == "+" || lower.first == "-" { lower = lower.dropFirst() }
        return lower == "inf" || lower == "infinity" || lower.hasPrefix("nan")
    }
}
