import Foundation

/// `--latex`: a `latex/` folder in the report with `appendix.tex`, `main.tex` and the figures, as PGF (typeset by
/// the document, the default) or as the report's PDFs (`--latex-figures pdf`).
public struct LaTeXOptions: Hashable, Sendable {
    public enum FigureFormat: String, Hashable, Sendable, CaseIterable { case pgf, pdf }
    public var figures: FigureFormat

    public init(figures: FigureFormat = .pgf) { self.figures = figures }

    /// The options as recorded on a command line (` --latex`, ` --latex-figures pdf`).
    public var commandLineSuffix: String { " --latex" + (figures == .pgf ? "" : " --latex-figures "
        + "\(figures.rawValue)") }

    /// Removes `--latex` and `--latex-figures X` from a recorded command line (for `ngd verify` of a paper report)
    /// and returns the options they asked for with the rest of the line.
    public static func extract(from invocation: String) -> (options: LaTeXOptions?, rest: String) {
        var words = invocation.split(separator: " ").map(String.init)[...]
        var kept: [String] = [], options: LaTeXOptions?
        while let word = words.popFirst() {
            switch word {
            case "--latex": options = options ?? LaTeXOptions()
            case "--latex-figures":
                let value = words.popFirst() ?? ""
                options = LaTeXOptions(figures: FigureFormat(rawValue: value) ?? .pgf)
            default: kept.append(word)
            }
        }
        return (options, kept.joined(separator: " "))
    }
}
