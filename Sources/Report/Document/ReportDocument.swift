import Foundation

/// The report's content as a value, consumed by both the HTML writer and the PDF writer (a thin translation each):
/// title, numbered sections of blocks (paragraphs, figures, tables, the claims table), and provenance.
public struct ReportDocument: Codable, Hashable, Sendable {
    public var title: String
    public var description: String?
    public var sections: [Section]
    public var provenance: Provenance
    public var claims: [ClaimOutcome]

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
    }

    /// All figure blocks in order.
    public var figures: [FigureBlock] {
        sections.flatMap(\.blocks).compactMap { if case .figure(let figure) = $0 { return figure } else { return nil } }
    }

    public var passedClaims: Int { claims.filter(\.passed).count }
}

/// SEAM (connected by the lead to Render's document writer): draws the report as a multi-page PDF with an outline.
/// `figures` holds each figure's rendered forms by figure id (embed the PDF for vector output).
public protocol ReportPDFWriter: Sendable {
    func pdf(for document: ReportDocument, figures: [String: RenderedFigure]) throws -> Data
}

extension ReportDocument {
    /// Lays out a report: summary, claims, figures (grouped by their `section`), runs. Deterministic: only
    /// values from the spec, the results and provenance enter it.
    public static func make(experiment: ResolvedExperiment, results: [String: RunResult], figures: [FigureData],
                            claims: [ClaimOutcome], provenance: Provenance) -> ReportDocument {
        let spec = experiment.spec
        var sections: [Section] = []

        var summary: [Block] = []
        if let description = spec.description { summary.append(.paragraph(description)) }
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
            rows.append([member.label, run.optimizer.kind.rawValue.uppercased(), run.optimizer.learningRate.description,
                         String(run.model.width), run.dataset.kind.rawValue, run.dataset.count.map(String.init) ?? "—",
                         run.dataset.dimension.map(String.init) ?? "—", String(run.steps), String(run.model.seed),
                         String(member.key.prefix(12))])
            for note in results[member.key]?.notes ?? [] { notes.append(.paragraph("\(member.label): \(note)")) }
        }
        sections.append(Section(id: "runs", title: "Runs", blocks: [
            .table(Table(caption: "Every run of the report. The key names its cached result runs/<key>.json.",
                         header: ["run", "optimizer", "η", "width m", "data", "n", "d", "steps", "seed", "key"], rows: rows)),
        ] + notes))

        return ReportDocument(title: spec.title, description: spec.description, sections: sections,
                              provenance: provenance, claims: claims)
    }
}
