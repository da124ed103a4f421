import Foundation
import NGD

/// The report's training seam connected to the NGD engine: a resolved run becomes a `TrainingConfig`, is trained
/// with `Trainer`, and its per-step metrics and summary become the named numbers of a `RunResult`.
///
/// Besides the run itself it records:
/// - `<metric>_theory` series: the same optimizer on the linearised model u₀ + J₀Δθ (the exact theory curve —
///   (1 − η)^k r₀ for NGD, (I − ηG₀)^k r₀ for GD, the leverage-score curve for K-FAC);
/// - the scalars of `NGD.Analysis` (λ₀, λ_max(G₀), ‖G₀ − H∞‖₂, λ_max(XᵀX), …) and the input condition number;
/// - `outputs_initial`, `outputs_next`, `targets` (n × k) for output-space figures.
public struct NGDRunExecutor: RunExecutor {
    public init() {}

    public func execute(_ run: ResolvedRun, shouldStop: @Sendable () -> Bool) throws -> RunResult {
        if shouldStop() { throw ReportError.interrupted }
        var dataset = try run.dataset.load()
        // The key was computed from the files' content: make sure that is what was loaded.
        try InputDigest.check(run.dataset)
        if let kappa = run.inputConditioning { dataset = try dataset.stretched(toConditioning: kappa) }

        let config = TrainingConfig(width: run.model.width, outputs: run.model.outputs, initScale: run.model.initScale,
                                    seed: run.model.seed, trainOutputLayer: run.model.trainOutputLayer,
                                    optimizer: OptimizerKind(rawValue: run.optimizer.kind.rawValue) ?? .ngd,
                                    learningRate: run.optimizer.learningRate, damping: run.optimizer.damping,
                                    linearized: run.optimizer.linearized, steps: run.steps, recordOutputs: true,
                                    data: run.dataset, depth: run.model.layers)
        // The trainer resolves c/λ_max(G₀) and hands back the G₀ it built; the analysis and the spectrum reuse it.
        let outcome = try Trainer(config: config, dataset: dataset).runKeepingInitialGram()
        let training = outcome.run, gram = outcome.initialGram
        let analysis = try Analysis(dataset: dataset, config: config, initialGram: gram)
        if shouldStop() { throw ReportError.interrupted }
        var theoryConfig = training.config
        theoryConfig.linearized = true
        theoryConfig.recordOutputs = false
        let theory = run.optimizer.linearized ? training : try Trainer(config: theoryConfig, dataset: dataset).run()

        var result = RunResult()
        result.series = try Self.series(of: training.steps)
        for (name, values) in try Self.series(of: theory.steps) where ["residual_norm", "loss"].contains(name) {
            result.series["\(name)_theory"] = values
        }
        let (summaryScalars, summaryVectors) = try Self.numbers(in: training.summary)
        let (analysisScalars, analysisVectors) = try Self.numbers(in: analysis)
        result.scalars = analysisScalars.merging(summaryScalars) { _, summary in summary }
        result.vectors = analysisVectors.merging(summaryVectors) { _, summary in summary }
        result.scalars["lambda_max"] = analysis.gramInitLambdaMax
        result.scalars["input_gram_condition"] = analysis.inputGramLambdaMax / analysis.inputGramLambdaMin
        if training.steps.count > 1, let first = training.steps[0].outputs, let next = training.steps[1].outputs {
            result.matrices["outputs_initial"] = MatrixValue(first)
            result.matrices["outputs_next"] = MatrixValue(next)
            result.matrices["targets"] = MatrixValue(dataset.targets)
        }
        if let eigenvalues = outcome.initialGramEigenvalues { result.vectors["gram_eigenvalues"] = eigenvalues }
        if gram.rows <= Self.largestStoredGram { result.matrices["gram_initial"] = MatrixValue(gram) }
        if training.summary.solverFallbacks > 0 {
            result.notes.append("The n×n solve fell back from Cholesky to an eigen pseudo-inverse at "
                                + "\(training.summary.solverFallbacks) step(s) (G nearly singular).")
        }
        if training.summary.diverged {
            result.notes.append("Diverged at step \(training.summary.divergedAtStep ?? training.steps.count - 1).")
        }
        return result
    }

    /// G₀ is stored whole (for heatmaps) only up to this many rows, to keep cached results small.
    static let largestStoredGram = 200

    /// Per-step metrics as series keyed by their snake_case names (numbers only; absent values become NaN).
    static func series(of steps: [StepMetrics]) throws -> [String: [Double]] {
        let rows = try steps.map { try numbers(in: $0).scalars }
        let names = Set(rows.flatMap(\.keys))
        var series: [String: [Double]] = [:]
        for name in names { series[name] = rows.map { $0[name] ?? .nan } }
        return series
    }

    /// The numeric fields of an engine value, by their JSON (snake_case) names: numbers and arrays of numbers.
    static func numbers<T: Encodable>(in value: T) throws -> (scalars: [String: Double], vectors: [String: [Double]]) {
        let data = try TrainingRun.makeEncoder().encode(value)
        let fields = try JSONDecoder().decode([String: NumericField].self, from: data)
        var scalars: [String: Double] = [:]
        var vectors: [String: [Double]] = [:]
        for (key, field) in fields {
            switch field {
            case .number(let number): scalars[key] = number
            case .numbers(let numbers) where !numbers.isEmpty: vectors[key] = numbers
            default: break
            }
        }
        return (scalars, vectors)
    }
}

/// A JSON field seen only for its numbers (the engine writes NaN/±Inf as "nan"/"inf"/"-inf").
private enum NumericField: Decodable {
    case number(Double)
    case numbers([Double])
    case other

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if (try? container.decode(Bool.self)) != nil {
            self = .other
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self), let number = Self.special(text) {
            self = .number(number)
        } else if let numbers = try? container.decode([Double].self) {
            self = .numbers(numbers)
        } else {
            self = .other
        }
    }

    private static func special(_ text: String) -> Double? {
        switch text {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return nil
        }
    }
}

extension MatrixValue {
    init(_ matrix: Matrix) {
        self.init(rows: matrix.rows, columns: matrix.columns, values: matrix.storage)
    }
}
