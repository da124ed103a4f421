import Foundation

/// A masked value as a PDF page shows it when it does not fit one line: a long provenance value (the BLAS line of
/// a core ngd chose) is wrapped over several shown strings, with line moves between them and, where the font set a
/// ligature, a glyph from another font inside `/ActualText` marked content. `MaskedValue.mask` matches one string;
/// this matches the run of consecutive shown strings of one text object (BT … ET) whose text, with ligatures read
/// from their ActualText, is the value (whitespace ignored: a line break replaces a space), and replaces the whole
/// run — strings, moves and font switches — by the placeholder. Input is `PDFContent.comparable`'s text.
enum PDFShownText {
    static func masking(_ text: String, values: [String]) -> String {
        let wanted = values.map(squeezed).filter { $0.count >= 6 }
        guard !wanted.isEmpty, let textObject, let piece else { return text }
        var result = text as NSString
        // Right to left, so that earlier ranges stay valid while later ones are replaced.
        for object in textObject.matches(in: text, range: NSRange(location: 0, length: result.length)).reversed() {
            let body = object.range(at: 1)
            let pieces = piece.matches(in: result as String, range: body).map { match -> (NSRange, String) in
                let isActualText = match.range(at: 1).location != NSNotFound
                let content = result.substring(with: match.range(at: isActualText ? 1 : 2))
                return (match.range, isActualText ? utf16Text(hex: content) : unescaped(content))
            }
            var replacements: [NSRange] = []
            var start = 0
            while start < pieces.count {
                var joined = "", end = start, found: Int?
                while end < pieces.count, joined.count < (wanted.map(\.count).max() ?? 0) {
                    joined += squeezed(pieces[end].1)
                    if wanted.contains(joined) { found = end }
                    end += 1
                }
                if let found {
                    let first = pieces[start].0, last = pieces[found].0
                    replacements.append(NSRange(location: first.location,
                                                length: last.location + last.length - first.location))
                    start = found + 1
                } else {
                    start += 1
                }
            }
            for range in replacements.reversed() {
                result = result.replacingCharacters(in: range, with: "(\(MaskedValue.placeholder))") as NSString
            }
        }
        return result as String
    }

    /// BT … ET, the body captured.
    private static let textObject = try? NSRegularExpression(pattern: #"BT\n(.*?)\nET"#,
                                                             options: .dotMatchesLineSeparators)
    /// One shown piece: ActualText marked content (its hex text captured) or a literal string (its content captured).
    private static let piece = try? NSRegularExpression(
        pattern: #"/Span << /ActualText <(?:feff|FEFF)([0-9A-Fa-f]*)> >> BDC.*?EMC|\(((?:\\.|[^\\)])*)\)"#,
        options: .dotMatchesLineSeparators)

    private static func squeezed(_ text: String) -> String {
        text.filter { !$0.isWhitespace }
    }

    private static func unescaped(_ content: String) -> String {
        var out = "", escaping = false
        for character in content {
            if escaping { out.append(character); escaping = false } else if character == "\\" { escaping = true } else {
                out.append(character)
            }
        }
        return out
    }

    private static func utf16Text(hex: String) -> String {
        let digits = Array(hex.utf8)
        var units: [UInt16] = []
        var index = 0
        while index + 4 <= digits.count {
            guard let unit = UInt16(String(decoding: digits[index..<(index + 4)], as: UTF8.self), radix: 16) else { break }
            units.append(unit)
            index += 4
        }
        return String(decoding: units, as: UTF16.self)
    }
}
