import CZlib
import Foundation

/// A PDF as text that can be compared word by word: every Flate stream (page content, fonts) inflated in place,
/// and the bookkeeping numbers that only follow the byte layout (the xref table, `startxref`, `/Length`) left out.
/// Text shown on a page (glyph strings), font names (`/BaseFont`) and embedded font programs are words, so they must
/// match exactly; coordinates are numbers.
enum PDFContent {
    /// Largest inflated size of one stream: a report's PDFs are far smaller; a corrupt one cannot exhaust memory.
    static let streamLimit = 256 << 20

    static func comparable(_ pdf: Data) -> [UInt8] {
        let bytes = [UInt8](pdf)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        var index = 0
        let streamWord = Array("stream".utf8), endWord = Array("endstream".utf8)
        while index < bytes.count {
            guard let start = find(streamWord, in: bytes, from: index) else {
                output += bytes[index...]
                break
            }
            // The keyword "stream" (not the end of "endstream"), then an end of line, then the data.
            let after = start + streamWord.count
            let isEnd = start >= 3 && bytes[(start - 3)..<start].elementsEqual("end".utf8)
            var dataStart = after
            if dataStart < bytes.count, bytes[dataStart] == 0x0D { dataStart += 1 }
            guard !isEnd, dataStart < bytes.count, bytes[dataStart] == 0x0A,
                  let end = find(endWord, in: bytes, from: dataStart + 1) else {
                output += bytes[index..<after]
                index = after
                continue
            }
            dataStart += 1
            output += bytes[index..<dataStart]
            let raw = bytes[dataStart..<end]
            output += inflate(Array(raw)) ?? Array(raw)
            output += [0x0A]
            index = end
        }
        return withoutLayoutNumbers(output)
    }

    /// Drops `/Length N`, the xref table and `startxref N` (they change whenever any stream's length does) and the
    /// subset tag of font names (`/ABCDEF+CMUSerif-Roman` → `/CMUSerif-Roman`: it names which glyphs the document
    /// uses, which changes with the shown provenance; the font's name is compared).
    private static func withoutLayoutNumbers(_ bytes: [UInt8]) -> [UInt8] {
        // Latin-1 maps every byte to one character, so binary data (font programs) keep their differences.
        var text = String(data: Data(bytes), encoding: .isoLatin1) ?? ""
        for (pattern, replacement) in [("/Length [0-9]+( 0 R)?", "/Length"),
                                       ("\nxref\n[0-9 nf\r\n]*trailer", "\ntrailer"),
                                       ("startxref\\s*[0-9]+", "startxref"),
                                       ("/[A-Z]{6}\\+", "/")] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return Array(joiningKernedText(text).utf8)
    }

    /// Text shown with kerning (`[(dirt)28(y\))]TJ`, `[<01>-20<0203>]TJ`) as the one string it shows
    /// (`(dirty\))Tj`, `<010203>Tj`): the kerning follows the font and the text, which are compared, and whether
    /// a line is kerned at all changes with a shown provenance value ("commit 6598e1d (dirty)" has a "ty" pair).
    /// A gap of a quarter em or more is a space between words (a table's columns): it stays a break, `) (`.
    static func joiningKernedText(_ text: String) -> String {
        guard let kernedPiece else { return text }
        let source = text as NSString
        var joined = ""
        var last = 0
        for match in kernedPiece.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            let isHex = match.range(at: 2).location != NSNotFound
            let amount = source.substring(with: match.range(at: isHex ? 2 : 1))
            joined += source.substring(with: NSRange(location: last, length: match.range.location - last))
            if abs(Double(amount) ?? 0) >= wordGap { joined += isHex ? "> <" : ") (" }
            last = match.range.location + match.range.length
        }
        joined += source.substring(from: last)
        for (pattern, replacement) in [(#"\[\("#, "("), (#"\[<(?=[0-9A-Fa-f])"#, "<"),
                                       (#"(?<!\\)\)\s*\]\s*TJ"#, ")Tj"), (#"(?<=[0-9A-Fa-f])>\s*\]\s*TJ"#, ">Tj")] {
            joined = joined.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return joined
    }

    /// Thousandths of an em: kerning is tens, a gap between words hundreds.
    private static let wordGap = 250.0
    /// `)28(` between two shown strings, or `>-20<` between two glyph strings.
    private static let kernedPiece = try? NSRegularExpression(
        pattern: #"(?<!\\)\)(-?[0-9]*\.?[0-9]+)\(|(?<=[0-9A-Fa-f])>(-?[0-9]*\.?[0-9]+)<(?=[0-9A-Fa-f])"#)

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == first, Array(bytes[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }

    /// zlib-inflates `input`; nil when it is not a zlib stream (an uncompressed or differently encoded one).
    static func inflate(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        var source = input
        return source.withUnsafeMutableBufferPointer { inBuffer -> [UInt8]? in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let (code, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (code, out.count - Int(stream.avail_out))
                }
                output += chunk[0..<produced]
                guard output.count <= streamLimit else { return nil }
                if code == Z_STREAM_END { return output }
                guard code == Z_OK, produced > 0 || stream.avail_in > 0 else { return nil }
            }
        }
    }
}
