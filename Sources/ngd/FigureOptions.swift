import ArgumentParser
import Foundation
import NGD
import Render

/// The options of every command that writes one figure file (`figure1`, `plot`): its size, theme, file and
/// format, parsed and checked in one place.
struct FigureOptions: ParsableArguments {
    static let formats = ["pdf", "svg", "png", "pgf"]

    @Option(help: "Figure size: a preset (height = the figure's aspect × width) or WxH in inches (e.g. 5x4).")
    var size: FigureSizeChoice = .preset(.neurips)

    @Option(help: "Theme.")
    var theme: Theme.Name = .paper

    @Option(help: "Output file: .pdf, .svg, .png or .pgf (the CSV of its data is written beside it).")
    var out: String

    @Option(name: .customLong("format"),
            help: "pdf, svg, png or pgf (PGF for LaTeX: text set by the document); default: from --out.")
    var outputFormat: String?

    /// The format of `--out`: its extension, which `--format` (when given) must agree with.
    func format() throws -> String {
        let ext = (out as NSString).pathExtension.lowercased()
        if let requested = outputFormat {
            guard Self.formats.contains(requested) else {
                throw NGDError("--format", "expected pdf, svg, png or pgf, got '\(requested)'", usage: true)
            }
            guard ext == requested else {
                throw NGDError("--out", "expected a .\(requested) file for --format \(requested), got '\(out)'",
                               usage: true)
            }
        }
        guard Self.formats.contains(ext) else {
            throw NGDError("--out", "expected a .pdf, .svg, .png or .pgf file, got '\(out)'", usage: true)
        }
        return ext
    }

    /// The CSV written beside the figure.
    var csvPath: String { (out as NSString).deletingPathExtension + ".csv" }
}
