import Foundation
import Testing
@testable import Report

/// Control characters are not allowed in HTML (nor in the inline SVG's XML) and Mustache's escaping leaves them
/// alone: whatever text reaches the HTML writer with one (a figure's SVG, a data-derived table cell, a template
/// context built by another caller than the spec loader, which refuses them) comes out as visible `\u{..}` text.
@Suite("HTML control characters")
struct HTMLControlCharacterTests {
    private static let hostile = "a\u{1B}[31mred\u{07}\u{0}\u{7F}\u{9B}x\r"

    private func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
    }

    private func html(scriptsInProse: Bool) throws -> String {
        let provenance = Provenance.collect(seeds: [0], compute: nil, graphics: nil, sourceDirectory: nil, environment: [:])
        let table = ReportDocument.Table(caption: "cap \(Self.hostile)", header: ["h \(Self.hostile)"],
                                         rows: [["cell \(Self.hostile)"]], columns: [.text])
        let document = ReportDocument(
            title: "title \(Self.hostile)", description: "description \(Self.hostile)\n\nsecond\tparagraph",
            sections: [.init(id: "s", title: "section \(Self.hostile)",
                             blocks: [.paragraph("paragraph \(Self.hostile)"), .table(table)])],
            provenance: provenance, claims: [], scriptsInProse: scriptsInProse)
        return try HTMLReportWriter().html(for: document, svgs: [:])
    }

    @Test("no C0 (but tab and newline), DEL or C1 control reaches the HTML; each is written visibly",
          arguments: [false, true])
    func controlsAreMadeVisible(scriptsInProse: Bool) throws {
        let page = try html(scriptsInProse: scriptsInProse)
        #expect(!hasControl(page))
        for text in ["title a\\u{1B}[31mred\\u{7}\\u{0}\\u{7F}\\u{9B}x\\u{D}", "section a\\u{1B}", "paragraph a\\u{1B}",
                     "cell a\\u{1B}", "h a\\u{1B}", "cap a\\u{1B}", "description a\\u{1B}"] {
            #expect(page.contains(text), "missing \(text)")
        }
        #expect(page.contains("second\tparagraph"), "tab is ordinary text")
    }

    @Test("an inline SVG with a control character is cleaned the same way; clean text is left byte for byte")
    func svgAndCleanText() {
        #expect(HTMLReportWriter.visibleControlCharacters("<text>\u{1B}x</text>") == "<text>\\u{1B}x</text>")
        let clean = "λ₀ = 0.5\n\t<svg id=\"f1\"/>"
        #expect(HTMLReportWriter.visibleControlCharacters(clean) == clean)
        let context = HTMLReportWriter.withoutControlCharacters(["a": [["b": "\u{85}"]], "n": 3] as [String: Any])
        let nested = (context as? [String: Any])?["a"] as? [[String: Any]]
        #expect(nested?.first?["b"] as? String == "\\u{85}")
        #expect((context as? [String: Any])?["n"] as? Int == 3)
    }
}
