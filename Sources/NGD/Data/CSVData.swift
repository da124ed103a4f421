import Foundation

extension Dataset {
    /// A data set from a CSV file (gzipped or not).
    ///
    /// Format: the first non-blank line is a header naming the columns; cells are separated by commas (no
    /// quoting of commas; surrounding double quotes and spaces are stripped). Column names are matched
    /// case-insensitively:
    /// - `y`, or `y1`, `y2`, …, `yk` (no gaps) are the targets, in index order — the file decides k;
    /// - an optional `label` or `class` column holds integer class labels, kept as `labels` and not used as a feature;
    /// - every other column is a feature, in file order.
    ///
    /// Blank lines are skipped; `limit` keeps only the first `limit` data rows. Rows are scaled to unit ℓ2
    /// norm when `normalize` is true (an all-zero row is then an error). Errors carry `path:line`.
    public static func csv(atPath path: String, limit: Int? = nil, normalize: Bool = true) throws -> Dataset {
        if let limit, limit <= 0 {
            throw NGDError("--n", "expected a positive cap on the number of CSV rows, got \(limit)", usage: true)
        }
        let data = try Gzip.contentsOfFile(atPath: path)
        guard var text = String(data: data, encoding: .utf8) else { throw NGDError(path, "is not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try csv(text: text, source: path, limit: limit, normalize: normalize)
    }

    /// A data set from CSV text already in memory (same format as `csv(atPath:)`); `source` names it in errors.
    public static func csv(text: String, source: String, limit: Int? = nil, normalize: Bool = true) throws -> Dataset {
        try CSVTable(text: text, source: source, limit: limit).dataset(normalize: normalize)
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
        let here = "\(source):\(headerIndex + 1)"
        if header.allSatisfy({ Double($0) != nil }) {
            throw NGDError(here, "missing header: the first line is all numbers; add a header row naming the columns "
                               + "(y or y1…yk for targets, anything else for features)")
        }
        let layout = try Self.layout(of: header, at: here)
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
                guard let v = Double(row[column]) else {
                    throw NGDError(at, "column '\(header[column])': '\(row[column])' is not a number")
                }
                guard v.isFinite else { throw NGDError(at, "column '\(header[column])': \(row[column]) is not finite") }
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
        if normalize {
            try x.storage.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    var sumOfSquares = 0.0
                    for j in 0..<d { sumOfSquares += out[i * d + j] * out[i * d + j] }
                    guard sumOfSquares > 0 else {
                        throw NGDError("\(source):\(lineNumbers[i])", "every feature is zero, so the row cannot be scaled "
                                                                    + "to unit norm; pass --no-normalize to keep it")
                    }
                    let norm = sumOfSquares.squareRoot()
                    for j in 0..<d { out[i * d + j] /= norm }
                }
            }
        }
        guard let y = Matrix(rows: n, columns: targetCount, storage: targets) else {
            throw NGDError(source, "internal error: target count mismatch")
        }
        let name = URL(fileURLWithPath: source).lastPathComponent
        return Dataset(name: "\(name) (n=\(n), d=\(d))", inputs: x, targets: y, labels: labels,
                       rowOrigins: lineNumbers.map { "\(source):\($0)" })
    }

    // MARK: - Header and cells

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
