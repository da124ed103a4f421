import Foundation
import NGD
import Render

/// `ngd plot`: saved `ngd train` runs overlaid on one log-y panel, each optionally with the rate the theory
/// predicts for it, drawn dashed in the run's colour:
/// - NGD: ‖r₀‖(1 − η)^k (the linear theory; the theorem's bound on ‖r‖² is (1 − η)^k‖r₀‖²);
/// - K-FAC: ‖r₀‖(1 − η·h_min)^k, the slowest example's rate (h_i the leverage scores; Zhang et al. 2019 §5);
/// - GD: ‖r₀‖(1 − η·λ_min(G₀))^k, the slowest mode of the linearised dynamics.
/// For `loss` (½‖r‖²) each factor is squared.
public struct RunComparisonPlot {
    public var runs: [(label: String, run: TrainingRun)]
    public var metric: String
    public var showsTheory: Bool
    /// Lines named at their right ends instead of in a legend.
    public var directLabels: Bool

    public init(runs: [(label: String, run: TrainingRun)], metric: String, showsTheory: Bool,
        directLabels: Bool = false) {
        self.runs = runs
        self.metric = metric
        self.showsTheory = showsTheory
        self.directLabels = directLabels
    }

    /// Metrics that have a theory line.
    public static let metricsWithTheory: Set<String> = ["residual_norm", "loss"]

    public func figure(size: FigureSize, theme: Theme) throws -> Figure {
        if showsTheory && !Self.metricsWithTheory.contains(metric) {
            throw NGDError("--theory", "theory lines exist for residual_norm and loss, not for \(metric)", usage: true)
        }
        var layers: [Layer] = []
        for (index, item) in runs.enumerated() {
            let series = try NGDRunExecutor.series(of: item.run.steps)
            guard let values = series[metric] else {
                let known = series.keys.sorted().joined(separator: ", ")
                throw NGDError("--metric", "\(item.label) has no per-step metric '\(metric)'; it has: "
                    + "\(known)", usage: true)
            }
            let colour = theme.palette.isEmpty ? Color(hex: 0) : theme.palette[index % theme.palette.count]
            let steps = values.indices.map(Double.init)
            layers.append(.line(Line(x: steps, y: values, label: item.label, color: colour, style: .solid)))
            if showsTheory, let (factor, description) = Self.predictedFactor(of: item.run) {
                let power = metric == "loss" ? 2.0 : 1.0
                let start = values.first ?? .nan
                let theory = steps.map { start * Foundation.pow(abs(factor), power * $0) }
                layers.append(.line(Line(x: steps, y: theory, label: "\(description)", color: colour, style: .dashed)))
            }
        }
        let yLabel = metric == "residual_norm" ? "‖u(k) − y‖" : metric.replacingOccurrences(of: "_", with: " ")
        return Figure(size: size, theme: theme, title: "ngd plot: \(metric)", panels: [
            Panel(x: .linear("step k"), y: .log10(yLabel), legend: .best, directLabels: directLabels, layers: layers),
        ])
    }

    /// The per-step contraction factor the theory predicts for a run, and its legend text.
    static func predictedFactor(of run: TrainingRun) -> (Double, String)? {
        let eta = run.summary.learningRate
        let etaText = formatMeasure(eta)
        switch run.config.optimizer {
        case .ngd:
            return (1 - eta, "(1 − η)^k, η = \(etaText)")
        case .kfac:
            guard let hMin = run.summary.kfacLeverageMin else { return nil }
            return (1 - eta * hMin, "(1 − η h_min)^k, h_min = \(formatMeasure(hMin))")
        case .gd:
            return (1 - eta * run.summary.gramInitLambdaMin,
                    "(1 − η λ_min(G_0))^k, η = \(etaText)")
        }
    }
}
