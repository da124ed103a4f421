import Foundation
import NGD

/// Study-side analysis helpers of the paper studies (λ₀, linear theory, K-FAC, step size, generalization,
/// pseudo-Huber): figure and series constructors and small vector measurements on run results. No model code:
/// every number comes from NGD.
public enum PaperAnalysis {
    // MARK: Figures

    public static func figure(id: String, title: String, caption: String, x: String, xScale: FigureData.Scale = .linear,
                              y: String, yScale: FigureData.Scale = .linear, series: [FigureData.Series],
                              kind: FigureKind = .convergence, width: Double = 5.5, height: Double = 3.4) -> FigureData {
        FigureData(id: id, kind: kind, title: title, caption: caption, widthInches: width, heightInches: height,
                   xAxis: .init(label: x, scale: xScale, categories: nil),
                   yAxis: .init(label: y, scale: yScale, categories: nil), series: series, heatmap: nil, arrows: [])
    }

    public static func measured(_ label: String, x: [Double], y: [Double], style: FigureData.Style = .line,
                                low: [Double]? = nil, high: [Double]? = nil) -> FigureData.Series {
        FigureData.Series(label: label, role: .measured, style: style, x: x, y: y, low: low, high: high)
    }

    public static func theory(_ label: String, x: [Double], y: [Double]) -> FigureData.Series {
        FigureData.Series(label: label, role: .theory, style: .line, x: x, y: y, low: nil, high: nil)
    }

    /// A table whose columns are numbers except those listed in `textColumns` (set as text).
    public static func table(caption: String, header: [String], rows: [[String]],
                             textColumns: Set<Int> = []) -> ReportDocument.Table {
        ReportDocument.Table(caption: caption, header: header, rows: rows,
                             columns: header.indices.map { textColumns.contains($0) ? .text : .number })
    }

    // MARK: Measurements on runs

    /// The first step k with ‖r_k‖ ≤ tolerance·‖r₀‖, or nil when the run never gets there.
    public static func stepsToReach(_ run: TrainingRun, relativeTolerance tolerance: Double) -> Int? {
        guard let r0 = run.steps.first?.residualNorm, r0 > 0 else { return nil }
        return run.steps.first(where: { $0.residualNorm <= tolerance * r0 })?.step
    }

    /// The steps a linear contraction by `factor` per step needs to reach `tolerance`: log(tol)/log(factor).
    public static func predictedSteps(factor: Double, tolerance: Double) -> Double {
        guard factor > 0, factor < 1 else { return factor <= 0 ? 1 : .infinity }
        return log(tolerance) / log(factor)
    }

    /// r_k = u_k − y flattened (n·k), for a run that recorded outputs.
    public static func residuals(_ run: TrainingRun, targets: Matrix) -> [[Double]] {
        run.steps.compactMap { step in
            step.outputs.map { u in zip(u.storage, targets.storage).map { $0 - $1 } }
        }
    }

    public static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return s
    }

    public static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    public static func difference(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 - $1 } }

    /// The Gram matrix G₀ = J₀J₀ᵀ of the network a config initialises on a data set (no training).
    public static func initialGram(_ config: TrainingConfig, on dataset: Dataset) -> Matrix {
        let model = config.model(inputDimension: dataset.dimension)
        let theta0 = model.initialParameters(initScale: config.initScale, seed: config.seed)
        let jacobian = model.jacobian(on: dataset.inputs, parameters: theta0, includesOutputLayer: config.trainOutputLayer)
        return jacobian.gram(inputGram: dataset.inputs.gram())
    }

    /// Uniform random points on the unit sphere of R^d (rows), from `Xoshiro256StarStar(seed:)`.
    public static func unitInputs(count: Int, dimension: Int, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return Matrix.unitRows(count: count, dimension: dimension, using: &rng)
    }
}
