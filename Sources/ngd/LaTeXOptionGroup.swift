import ArgumentParser
import NGD
import Report

/// `--latex` and `--latex-figures` of `ngd report` and `ngd paper`.
struct LaTeXOptionGroup: ParsableArguments {
    @Flag(name: .long, help: "Also write latex/: appendix.tex (figures, claims table, provenance), main.tex and the figures.")
    var latex = false

    @Option(name: .customLong("latex-figures"), help: "Figures of latex/: pgf (typeset by the document, default) or pdf.")
    var latexFigures: String?

    /// The options asked for, or nil without --latex; a usage error for a bad value or --latex-figures alone.
    func options() throws -> LaTeXOptions? {
        var figures = LaTeXOptions.FigureFormat.pgf
        if let value = latexFigures {
            guard let format = LaTeXOptions.FigureFormat(rawValue: value) else {
                throw NGDError("--latex-figures", "expected pgf or pdf, got '\(value)'", usage: true)
            }
            guard latex else { throw NGDError("--latex-figures", "needs --latex", usage: true) }
            figures = format
        }
        return latex ? LaTeXOptions(figures: figures) : nil
    }
}
