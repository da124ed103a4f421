import Foundation
import Render

/// The report's PDF seam connected to Render's document writer: the same `ReportDocument` as the HTML, laid out
/// as A4 pages with a title block, numbered sections (PDF bookmarks), vector figures with numbered captions,
/// tables, the claims table and provenance.
public struct CairoReportPDFWriter: ReportPDFWriter {
    public var theme: Theme

    public init(theme: Theme = .paper) {
        self.theme = theme
    }

    public func pdf(for document: ReportDocument, figures: [String: FigureData],
                    rendered: [String: RenderedFigure]) throws -> Data {
        let provenance = document.provenance
        let prose = Self.prose(scripts: document.scriptsInProse)
        var pdf = PDFDocument(title: document.title, author: "\(provenance.tool) \(provenance.toolVersion)",
                              subject: document.description)
        let passed = document.passedClaims, total = document.claims.count
        var titleLines = ["\(provenance.tool) \(provenance.toolVersion), commit \(provenance.gitCommit.prefix(12))"
                          + (provenance.gitDirty == true ? " (dirty)" : "")]
        if total > 0 { titleLines.append(passed == total ? "All \(total) claims passed." : "\(total - passed) of "
            + "\(total) claims failed.") }
        if let date = provenance.sourceDate { titleLines.append(date) }
        pdf.addTitleBlock(subtitle: nil, lines: titleLines)
        for paragraph in (document.description ?? "").components(separatedBy: "\n\n")
            .map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !paragraph.isEmpty {
            pdf.addParagraph(markup: prose(paragraph))
        }

        for (index, section) in document.sections.enumerated() {
            pdf.addHeading(markup: "\(index + 1)  " + prose(section.title), level: 1)
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    pdf.addParagraph(markup: prose(text))
                case .figure(let block):
                    guard let data = figures[block.id] else { continue }
                    let title = block.title.map { "\($0). " } ?? ""
                    pdf.addFigure(CairoFigureRenderer.figure(for: data, theme: theme),
                                  caption: prose(title + block.caption))
                case .table(let table):
                    pdf.addTable(PDFDocument.Table(
                        header: table.header.map(prose),
                        rows: table.rows.map { $0.map(prose) },
                        alignments: table.columns.map { $0 == .number ? .right : .left },
                        caption: table.caption.isEmpty ? nil : prose(table.caption)))
                case .claims:
                    addClaims(document.claims, prose: prose, to: &pdf)
                }
            }
        }

        pdf.addHeading("\(document.sections.count + 1)  Provenance", level: 1)
        pdf.addTable(PDFDocument.Table(
            header: ["item", "value"],
            rows: HTMLReportWriter.provenanceRows(provenance).map { [PDFDocument.escape($0.0), PDFDocument.escape($0.1)] },
            alignments: [.left, .left]))
        return try pdf.pdfData()
    }

    /// Text → Pango markup: with scripts (`λ_max` → λ with a subscript) or escaped as it is.
    static func prose(scripts: Bool) -> (String) -> String {
        scripts ? LabelMarkup.proseMarkup(from:) : PDFDocument.escape
    }

    /// The claims table with short columns only (long statements squeeze the numbers on a page), then one paragraph
    /// per claim with its statement and the numbers behind the verdict.
    private func addClaims(_ claims: [ClaimOutcome], prose: (String) -> String, to pdf: inout PDFDocument) {
        guard !claims.isEmpty else { return }
        let rows = claims.map { claim -> [String] in
            let verdict = claim.passed ? "<b>✓ pass</b>" : "<b>✗ FAIL</b>"
            let comparison = claim.comparison == "<=" ? "≤" : claim.comparison == ">=" ? "≥" : claim.comparison
            let tolerance = (claim.tolerance ?? 0) > 0 ? " ± " + formatMeasure(claim.tolerance ?? 0) : ""
            return [PDFDocument.escape(claim.id), claim.measured.map(formatMeasure) ?? "—",
                    PDFDocument.escape(comparison + " " + (claim.predicted.map(formatMeasure) ?? "—") + tolerance),
                    verdict]
        }
        pdf.addTable(PDFDocument.Table(header: ["claim", "measured", "predicted", "verdict"], rows: rows,
                                       alignments: [.left, .right, .left, .center]))
        for claim in claims {
            let detail = claim.detail.isEmpty ? "" : " — " + prose(claim.detail)
            pdf.addParagraph(markup: "<b>\(PDFDocument.escape(claim.id))</b> "
                             + (claim.passed ? "" : "<b>(failed)</b> ") + prose(claim.statement) + detail)
        }
    }
}
