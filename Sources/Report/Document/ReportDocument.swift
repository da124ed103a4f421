import Foundation

/// The report's content as a value, consumed by both the HTML writer and the PDF writer (a thin translation each):
/// title, numbered sections of blocks (paragraphs, figures, tables, the claims table), and provenance.
public struct ReportDocument: Codable, Hashable, Sendable {
    public var title: String
    public var description: String?
    public var sections: [Section]
    public var provenance: Provenance
    public var claims: [ClaimOutcome]
    /// Whether the text (paragraphs, captions, tables, claims) writes its math as `λ_max`, `r_{k+1}`, `R^10`, to be
    /// set with sub- and superscripts (`LabelMarkup.proseMarkup`). The paper report does; spec reports, whose
    /// text may hold snake_case names, do not.
    public var scriptsInProse = false

    public struct Section: Codable, Hashable, Sendable {
        /// HTML anchor / PDF outline id.
        public var id: String
        public var title: String
        public var blocks: [Block]
    }

    public enum Block: Codable, Hashable, Sendable {
        case paragraph(String)
        case figure(FigureBlock)
        case table(Table)
        /// The claims table (the document's `claims`).
        case claims
    }

    public struct FigureBlock: Codable, Hashable, Sendable {
        /// 1-based, in document order: "Figure 3: …".
        public var number: Int
        public var id: String
        public var title: String?
        public var caption: String
        /// Paths relative to the output directory.
        public var csvPath: String
        public var pdfPath: String
        public var svgPath: String
        public var pngPath: String
    }

    public struct Table: Codable, Hashable, Sendable {
        public var caption: String
        public var header: [String]
        public var rows: [[String]]
        /// How each column is set: numbers right-aligned, codes (keys, hashes) in monospace.
        public var columns: [ColumnKind]
    }

    public enum ColumnKind: String, Codable, Hashable, Sendable { case text, number, code }

    /// All figure blocks in order.
    public var figures: [FigureBlock] {
        sections.flatMap(\.blocks).compactMap { if case .figure(let figure) = $0 { return figure } else { return nil } }
    }

    public var passedClaims: Int { claims.filter(\.passed).count }
}

/// Draws the report as a multi-page PDF with bookmarks.
/// `figures` holds each figure's data by figure id (translate it to a Render `Figure` exactly as the
/// `FigureRenderer` does, for vector drawing); `rendered` holds the bytes already drawn. Must be deterministic.
public protocol ReportPDFWriter: Sendable {
    func pdf(for document: ReportDocument, figures: [String: FigureData], rendered: [String: RenderedFigure]) throws -> Data
}

extension ReportDocument {
    /// Lays out a report: summary, claims, figures (grouped by their `section`), runs. Deterministic: only
    /// values from the spec, the results and provenance enter it.
    public static func make(experiment: ResolvedExperiment, results: [String: RunResult], figures: [FigureData],
                            claims: [ClaimOutcome], provenance: Provenance) -> ReportDocument {
        let spec = experiment.spec
        var sections: [Section] = []

        // The description opens the document (title block); the summary gives the counts and the verdict.
        var summary: [Block] = []
        let distinct = experiment.runs.count
        summary.append(.paragraph("\(experiment.members.count) run\(experiment.members.count == 1 ? "" : "s") "
            + "(\(distinct) distinct computation\(distinct == 1 ? "" : "s")), \(figures.count) figure\(figures.count == 1 ? "" : "s"), "
            + "\(claims.count) claim\(claims.count == 1 ? "" : "s") checked."))
        if !claims.isEmpty {
            let failed = claims.filter { !$0.passed }
            summary.append(.paragraph(failed.isEmpty
                ? "All \(claims.count) claims passed."
                : "\(claims.count - failed.count) of \(claims.count) claims passed; failed: \(failed.map(\.id).joined(separator: ", "))."))
        }
        sections.append(Section(id: "summary", title: "Summary", blocks: summary))

        if !claims.isEmpty {
            sections.append(Section(id: "claims", title: "Claims", blocks: [
                .paragraph("Each claim compares a quantity measured from the runs with the value the theory predicts. "
                    + "A failed claim is shown with its numbers; tolerances are those of the spec."),
                .claims,
            ]))
        }

        var number = 0
        var figureSections: [(title: String, blocks: [Block])] = []
        for figure in figures {
            number += 1
            let title = (spec.figures ?? []).first { $0.id == figure.id }?.section ?? "Figures"
            let block = Block.figure(FigureBlock(number: number, id: figure.id, title: figure.title, caption: figure.caption,
                                                 csvPath: "figures/\(figure.id).csv", pdfPath: "figures/\(figure.id).pdf",
                                                 svgPath: "figures/\(figure.id).svg", pngPath: "figures/\(figure.id).png"))
            if let index = figureSections.firstIndex(where: { $0.title == title }) {
                figureSections[index].blocks.append(block)
            } else {
                figureSections.append((title, [block]))
            }
        }
        for (index, section) in figureSections.enumerated() {
            sections.append(Section(id: index == 0 ? "figures" : "figures-\(index + 1)", title: section.title,
                                    blocks: section.blocks))
        }

        var rows: [[String]] = []
        var notes: [Block] = []
        for member in experiment.members {
            let run = member.run
            rows.append([member.label, run.optimizer.kind.rawValue.uppercased(), run.optimizer.learningRate.displayText,
                         String(run.model.width), run.dataset.kind.rawValue, run.dataset.count.map(String.init) ?? "—",
                         run.dataset.dimension.map(String.init) ?? "—", String(run.steps), String(run.model.seed),
                         String(member.key.prefix(8))])
            for note in results[member.key]?.notes ?? [] { notes.append(.paragraph("\(member.label): \(note)")) }
        }
        sections.append(Section(id: "runs", title: "Runs", blocks: [
            .table(Table(caption: "Every run of the report. The key begins the name of its cached result, "
                + "runs/<key>.json.",
                         header: ["run", "optimizer", "η", "width "
                             + "m", "data", "n", "d", "steps", "seed", "key"], rows: rows,
                         columns: [.text, .text, .number, .number, .text, .number, .number, .number, .number, .code])),
        ] + notes))

        return ReportDocument(title: spec.title, description: spec.description, sections: sections,
                              provenance: provenance, claims: claims)
    }
}
