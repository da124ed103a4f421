import Foundation

/// Numeric comparison of a report's data files: JSON by key path, CSV by row and column.
enum DataFileComparison {
    /// Keys never compared: a cached run's checksum is a hash of its numbers (their comparison is the check).
    static let unhashedKeys: Set<String> = ["checksum"]

    static func json(_ recorded: Data, _ rerun: Data, tracker: inout DeviationTracker,
                     ignoring ignored: Set<String> = unhashedKeys) -> String? {
        let options: JSONSerialization.ReadingOptions = [.fragmentsAllowed]
        guard let old = try? JSONSerialization.jsonObject(with: recorded, options: options) else {
            return "the recorded file is not valid JSON"
        }
        guard let new = try? JSONSerialization.jsonObject(with: rerun, options: options) else {
            return "the re-run's file is not valid JSON"
        }
        return compare(old, new, at: "", tracker: &tracker, ignoring: ignored)
    }

    /// The top-level object `key` of a JSON file, re-serialised (nil when the file or the key is not there).
    static func member(_ key: String, of data: Data) -> Data? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let value = object[key], JSONSerialization.isValidJSONObject(value) else { return nil }
        return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
    }

    private static func compare(_ old: Any, _ new: Any, at path: String, tracker: inout DeviationTracker,
                                ignoring ignored: Set<String>) -> String? {
        if let a = number(old), let b = number(new) {
            tracker.add(a, b, at: path.isEmpty ? "(value)" : path)
            return nil
        }
        switch (old, new) {
        case let (a as [String: Any], b as [String: Any]):
            let keys = Set(a.keys).subtracting(ignored), otherKeys = Set(b.keys).subtracting(ignored)
            if keys != otherKeys {
                let names = keys.symmetricDifference(otherKeys).sorted().joined(separator: ", ")
                return "\(path.isEmpty ? "top level" : path): keys differ (\(names))"
            }
            for key in keys.sorted() {
                // Array elements are named by their id when they have one (claims, runs), so locations read well.
                let child = path.isEmpty ? key : "\(path).\(key)"
                if let problem = compare(a[key] as Any, b[key] as Any, at: child, tracker: &tracker, ignoring: []) {
                    return problem
                }
            }
            return nil
        case let (a as [Any], b as [Any]):
            guard a.count == b.count else { return "\(path): \(a.count) entries recorded, \(b.count) in the re-run" }
            for (index, pair) in zip(a, b).enumerated() {
                let name = ((pair.0 as? [String: Any])?["id"] as? String).map { "[id=\($0)]" } ?? "[\(index)]"
                if let problem = compare(pair.0, pair.1, at: path + name, tracker: &tracker, ignoring: []) {
                    return problem
                }
            }
            return nil
        case let (a as String, b as String):
            return NumberedText.compare(Array(a.utf8), Array(b.utf8), tracker: &tracker, place: { _ in path })
        case (is NSNull, is NSNull):
            return nil
        case let (a as NSNumber, b as NSNumber) where a == b:
            return nil
        default:
            return "\(path): “\(old)” recorded, “\(new)” in the re-run"
        }
    }

    /// A JSON number, or the strings canonical JSON writes for non-finite numbers. Booleans are not numbers.
    private static func number(_ value: Any) -> Double? {
        // JSON true/false arrive as NSNumbers of type char ("c"): they are compared as values, not numbers.
        if let number = value as? NSNumber, number.objCType.pointee != 0x63 {
            return number.doubleValue
        }
        switch value as? String {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return nil
        }
    }

    /// CSV: the same header and shape; numeric cells within tolerance (located by row and column name), other cells
    /// equal.
    static func csv(_ recorded: Data, _ rerun: Data, tracker: inout DeviationTracker) -> String? {
        let old = rows(recorded), new = rows(rerun)
        guard old.count == new.count else { return "\(old.count) rows recorded, \(new.count) in the re-run" }
        let header = old.first ?? []
        for (index, pair) in zip(old, new).enumerated() {
            guard pair.0.count == pair.1.count else {
                return "row \(index): \(pair.0.count) cells recorded, \(pair.1.count) in the re-run"
            }
            for (column, cells) in zip(pair.0, pair.1).enumerated() where cells.0 != cells.1 {
                let name = column < header.count ? header[column] : "\(column + 1)"
                if let a = cellNumber(cells.0), let b = cellNumber(cells.1) {
                    tracker.add(a, b, at: "row \(index), column \(name)")
                } else {
                    return "row \(index), column \(name): “\(cells.0)” recorded, “\(cells.1)” in the re-run"
                }
            }
        }
        return nil
    }

    private static func cellNumber(_ cell: String) -> Double? {
        switch cell.lowercased() {
        case "nan": return .nan
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(cell)
        }
    }

    /// Rows of cells; quoted cells may hold commas, doubled quotes and line breaks.
    static func rows(_ data: Data) -> [[String]] {
        let text = String(decoding: data, as: UTF8.self)
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    quoted = false
                } else {
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                if !cell.isEmpty { cell.append("\"") }   // a doubled quote inside a quoted cell
                quoted = true
            case ",": row.append(cell); cell = ""
            case "\n", "\r\n": row.append(cell); rows.append(row); row = []; cell = ""
            default: cell.append(character)
            }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }
}
