import Foundation

/// Text seen as words and numbers: the words of two files must match exactly, their numbers within a tolerance.
/// Used for every text format a report holds (SVG, PGF, TeX, HTML, a PDF's inflated content). A number starts
/// after a character that cannot end a word, so ids such as `glyph-0-1`, `10b` or `<0012>` stay words; a number
/// printed with a fraction may differ by one unit in its last digit (a re-computed value rounded the other way).
enum NumberedText {
    enum Piece: Equatable {
        case word([UInt8])
        case number(Double, unit: Double)
    }

    /// Splits `bytes` into words and numbers; `line` gives each number's 1-based line.
    static func pieces(_ bytes: [UInt8]) -> (pieces: [Piece], lines: [Int]) {
        var pieces: [Piece] = [], lines: [Int] = []
        var word: [UInt8] = []
        var line = 1, index = 0
        while index < bytes.count {
            if startsNumber(bytes, at: index), let (value, unit, end) = number(bytes, from: index) {
                if !word.isEmpty { pieces.append(.word(word)); lines.append(line); word = [] }
                pieces.append(.number(value, unit: unit))
                lines.append(line)
                index = end
                continue
            }
            if bytes[index] == 0x0A { line += 1 }
            word.append(bytes[index])
            index += 1
        }
        if !word.isEmpty { pieces.append(.word(word)); lines.append(line) }
        return (pieces, lines)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    private static func startsNumber(_ bytes: [UInt8], at index: Int) -> Bool {
        if index > 0 {
            let before = bytes[index - 1]
            if isDigit(before) || isLetter(before) || "_#<.-+".utf8.contains(before) { return false }
        }
        var cursor = index
        if bytes[cursor] == 0x2D || bytes[cursor] == 0x2B { cursor += 1 }
        if cursor < bytes.count, bytes[cursor] == 0x2E { cursor += 1 }
        return cursor < bytes.count && isDigit(bytes[cursor])
    }

    /// The number at `start`: its value, the unit of its last printed digit (0 for integers), and where it ends.
    private static func number(_ bytes: [UInt8], from start: Int) -> (Double, Double, Int)? {
        var index = start
        if bytes[index] == 0x2D || bytes[index] == 0x2B { index += 1 }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        var fractionDigits = 0, hasFraction = false
        if index < bytes.count, bytes[index] == 0x2E {
            hasFraction = true
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1; fractionDigits += 1 }
        }
        var exponent = 0, hasExponent = false
        if index + 1 < bytes.count, bytes[index] | 0x20 == 0x65 {
            var cursor = index + 1
            if cursor < bytes.count, bytes[cursor] == 0x2D || bytes[cursor] == 0x2B { cursor += 1 }
            let digits = cursor
            while cursor < bytes.count, isDigit(bytes[cursor]) { cursor += 1 }
            if cursor > digits, let value = Int(String(decoding: bytes[index + 1..<cursor], as: UTF8.self)) {
                hasExponent = true
                exponent = max(-400, min(400, value))
                index = cursor
            }
        }
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { return nil }
        let unit = hasFraction || hasExponent ? pow(10, Double(exponent - fractionDigits)) : 0
        return (value, unit, index)
    }

    /// Compares two texts: nil when their words match (numbers were added to `tracker`), otherwise where they differ.
    static func compare(_ recorded: [UInt8], _ rerun: [UInt8], tracker: inout DeviationTracker,
                        place: (Int) -> String = { "line \($0)" }) -> String? {
        let (old, oldLines) = pieces(recorded), (new, _) = pieces(rerun)
        for index in 0..<min(old.count, new.count) {
            switch (old[index], new[index]) {
            case let (.number(a, unitA), .number(b, unitB)):
                tracker.add(a, b, at: place(oldLines[index]), printedUnit: max(unitA, unitB))
            case let (.word(a), .word(b)) where a == b:
                continue
            default:
                let at = firstDifference(old[index], new[index])
                return "\(place(oldLines[index])): text “\(snippet(old[index], around: at))” recorded, "
                    + "“\(snippet(new[index], around: at))” in the re-run"
            }
        }
        if old.count != new.count {
            let common = min(old.count, new.count)
            let line = common < oldLines.count ? oldLines[common] : (oldLines.last ?? 1)
            return "\(place(line)): the re-run has \(new.count > old.count ? "more" : "less") text"
        }
        return nil
    }

    /// A word (split at spaces and line ends) that only one text has, described; nil when both have the same set.
    /// `readableOnly` (a PDF whose shown provenance changed): words with unprintable bytes are left out, and, when
    /// either side shows a changed provenance word, so are hex glyph strings (`<0048>`): a font subset numbers its
    /// glyphs in the order the document first uses them, so another core name renumbers them. The text itself is
    /// still compared in the report's HTML.
    static func wordOnOneSide(_ recorded: [UInt8], _ rerun: [UInt8], ignoring ignored: Set<[UInt8]> = [],
                              readableOnly: Bool = false) -> String? {
        func words(_ bytes: [UInt8]) -> (words: Set<[UInt8]>, showsProvenance: Bool) {
            var set = Set<[UInt8]>(), shows = false
            for case .word(let word) in pieces(bytes).pieces {
                for part in word.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) {
                    if isProvenance(part, ignored) {
                        shows = true
                    } else if !(readableOnly && part.contains { $0 < 0x20 || $0 > 0x7E }) {
                        set.insert(Array(part))
                    }
                }
            }
            return (set, shows)
        }
        var (old, oldShows) = words(recorded), (new, newShows) = words(rerun)
        if readableOnly && (oldShows || newShows) {
            old = old.filter { !isGlyphString($0) }
            new = new.filter { !isGlyphString($0) }
        }
        func show(_ word: [UInt8]) -> String { String(decoding: word.prefix(60), as: UTF8.self) }
        let gone = old.subtracting(new).min { $0.lexicographicallyPrecedes($1) }
        let added = new.subtracting(old).min { $0.lexicographicallyPrecedes($1) }
        guard gone != nil || added != nil else { return nil }
        return [gone.map { "text “\(show($0))” recorded is not in the re-run" },
                added.map { "“\(show($0))” is only in the re-run" }].compactMap { $0 }.joined(separator: "; ")
    }

    /// A word that starts with a changed provenance word, or whose letters and digits — all of them, or its first
    /// run of them — are a piece of one (a PDF splits shown text into kerned pieces: "(Coop)" "(erlak)" "(e,"; HTML
    /// closes a commit hash with markup: "6598e1d…</dd>" reads as the number 6598e1 and the word "d…</dd>").
    private static func isProvenance(_ word: ArraySlice<UInt8>, _ provenance: Set<[UInt8]>) -> Bool {
        guard !provenance.isEmpty else { return false }
        let alphanumeric = { (byte: UInt8) in isDigit(byte) || isLetter(byte) }
        let core = word.filter(alphanumeric)
        let firstRun = word.drop { !alphanumeric($0) }.prefix(while: alphanumeric)
        func isPiece<C: Collection<UInt8>>(_ piece: C, of changed: [UInt8]) -> Bool {
            !piece.isEmpty && piece.count <= changed.count
                && (0...(changed.count - piece.count)).contains {
                    changed[$0..<($0 + piece.count)].elementsEqual(piece)
                }
        }
        return provenance.contains { changed in
            word.starts(with: changed) || isPiece(core, of: changed) || isPiece(firstRun, of: changed)
        }
    }

    /// A PDF hex string of glyph codes with what shows it (`<0048>`, `[<01>`, `<0203>Tj`): a word made of hex digits
    /// between angle brackets, with only PDF operators and brackets around.
    static func isGlyphString(_ word: [UInt8]) -> Bool {
        guard let open = word.firstIndex(of: 0x3C), let close = word.lastIndex(of: 0x3E), open < close else {
            return false
        }
        let isHex = { (b: UInt8) in isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
        let isFrame = { (b: UInt8) in "[]()TJj'\"-0123456789.".utf8.contains(b) }
        return word[(open + 1)..<close].allSatisfy { isHex($0) || $0 == 0x3C || $0 == 0x3E || isFrame($0) }
            && word[..<open].allSatisfy(isFrame) && word[(close + 1)...].allSatisfy(isFrame)
    }

    /// Where two pieces' bytes first differ (0 when either is a number).
    private static func firstDifference(_ a: Piece, _ b: Piece) -> Int {
        guard case .word(let x) = a, case .word(let y) = b else { return 0 }
        return zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)
    }

    /// Up to 60 bytes of a piece from a little before `offset`, so the difference shows.
    private static func snippet(_ piece: Piece, around offset: Int) -> String {
        switch piece {
        case .number(let value, _): return "\(value)"
        case .word(let bytes):
            let start = max(0, min(offset, bytes.count) - 20), end = min(bytes.count, start + 60)
            let text = String(decoding: bytes[start..<end], as: UTF8.self).replacingOccurrences(of: "\n", with: "⏎")
            return (start > 0 ? "…" : "") + text + (end < bytes.count ? "…" : "")
        }
    }
}
