import Foundation
import Render

/// Writes `latex/` into a report's staging directory: `appendix.tex`, `main.tex` and `figures/` (PGF with the PNGs
/// of their raster layers, or the report's PDFs). Deterministic: the same document and figures give the same bytes,
/// and the files are hashed into the manifest like every other output.
struct LaTeXReportWriter {
    var options: LaTeXOptions
    /// What drew the report's figures (theme, direct labels): PGF figures are laid out the same way.
    var renderer: CairoFigureRenderer

    func write(into staging: String, document: ReportDocument, figures: [FigureData],
               rendered: [String: RenderedFigure], reproduce: [String]) throws {
        let root = (staging as NSString).appendingPathComponent("latex")
        let figureDirectory = (root as NSString).appendingPathComponent("figures")
        do {
            try FileManager.default.createDirectory(atPath: figureDirectory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.io(path: figureDirectory, message: "cannot create: \(error.localizedDescription)")
        }
        var files: [String: String] = [:]
        for (index, data) in figures.enumerated() {
            let stem = LaTeXAppendix.key(data.id) == data.id ? data.id : "figure\(index + 1)"
            switch options.figures {
            case .pgf:
                let pgf: PGFFigure
                do {
                    pgf = try renderer.figure(for: data).pgf(imageStem: stem)
                } catch {
                    throw FigureError(figure: data.id, message: "cannot be drawn as PGF: \(error)")
                }
                for image in pgf.images {
                    try AtomicFile.write(image.png, to: (figureDirectory as NSString).appendingPathComponent(image.name))
                }
                try AtomicFile.write(Data(pgf.text.utf8), to: (figureDirectory as NSString).appendingPathComponent(stem + ".pgf"))
                files[data.id] = stem + ".pgf"
            case .pdf:
                guard let pdf = rendered[data.id]?.pdf else { continue }
                try AtomicFile.write(pdf, to: (figureDirectory as NSString).appendingPathComponent(stem + ".pdf"))
                files[data.id] = stem + ".pdf"
            }
        }
        let appendix = LaTeXAppendix(document: document, figureFiles: files, figureFormat: options.figures, reproduce: reproduce)
        try AtomicFile.write(Data(appendix.appendix.utf8), to: (root as NSString).appendingPathComponent("appendix.tex"))
        try AtomicFile.write(Data(LaTeXAppendix.main.utf8), to: (root as NSString).appendingPathComponent("main.tex"))
    }
}

extension ReportConfiguration {
    /// The LaTeX writer for this configuration, or nil without `--latex`.
    var latexWriter: LaTeXReportWriter? {
        latex.map { LaTeXReportWriter(options: $0,
            renderer: (renderer as? CairoFigureRenderer) ?? CairoFigureRenderer()) }
    }
}
