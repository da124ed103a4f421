import ArgumentParser
import Foundation
import NGD
import Render
import Report

/// `ngd plot RUN.json … --out FILE`: overlays saved `ngd train` runs (log-y), optionally with each run's predicted rate.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Overlay saved `ngd train --format json` runs on a log-y axis, with --theory the predicted rates "
            + "(dashed).",
        discussion: "The format comes from the extension of --out (.pdf, .svg, .png, or .pgf for LaTeX: text set by "
            + "the document); FILE.csv beside it holds the data.")

    @Argument(help: "Runs written by `ngd train --format json`.")
    var runs: [String]

    @Option(help: "Per-step metric to plot (residual_norm, loss, gram_lambda_min, jacobian_drift, …).")
    var metric: String = "residual_norm"

    @Flag(help: "Draw the rate the theory predicts for each run as a dashed line.")
    var theory = false

    @Flag(help: "Name each line at its right end (direct labels) instead of in a legend.")
    var directLabels = false

    @OptionGroup var figureOptions: FigureOptions

    @Option(help: "PNG resolution in dots per inch.")
    var dpi: Double = 300

    func run() throws {
        _ = try figureOptions.format()
        let out = figureOptions.out
        // Checked before any run is read. The CSV beside the figure is replaced only when ngd wrote it: its first
        // line is the figure-data header.
        try CommandOutput.check(out, inputs: runs)
        try CommandErrors.translating {
            try OutputLocation.checkSidecar(figureOptions.csvPath, of: out,
                                            header: CSVExport.header, inputs: runs)
        }
        let loaded = try runs.map { path -> (label: String, run: TrainingRun) in
            guard let data = FileManager.default.contents(atPath: path) else { throw NGDError(path, "cannot read the "
                + "run file") }
            do {
                let run = try TrainingRun.makeDecoder().decode(TrainingRun.self, from: data)
                return (Self.label(for: run), run)
            } catch {
                throw NGDError(path, "is not a run written by `ngd train --format json` (\(Self.reason(error)))")
            }
        }
        let figure = try RunComparisonPlot(runs: loaded, metric: metric, showsTheory: theory,
                                           directLabels: directLabels)
            .figure(size: figureOptions.size.size(), theme: figureOptions.theme.theme)
        let url = URL(fileURLWithPath: out)
        do { try figure.write(to: url, dpi: dpi) } catch { throw NGDError(out, "cannot write the figure: \(error)") }
    }

    /// "NGD, η = 0.5, m = 4096" (+ ", linearised").
    static func label(for run: TrainingRun) -> String {
        let eta = String(format: "%.3g", run.summary.learningRate)
        return "\(run.config.optimizer.displayName), η = \(eta), m = "
            + "\(run.config.width)" + (run.config.linearized ? ", linearised" : "")
    }

    static func reason(_ error: Error) -> String {
        if case DecodingError.keyNotFound(let key, _) = error { return "missing key '\(key.stringValue)'" }
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.typeMismatch(_, let context) = error {
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        }
        return "\(error)"
    }
}
