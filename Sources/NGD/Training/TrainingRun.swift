import Foundation

/// The result of one run: the resolved config, one `StepMetrics` per iterate, and a summary.
/// Contains no wall-clock times, so identical inputs give byte-identical JSON.
public struct TrainingRun: Codable, Equatable, Sendable {
    public var config: TrainingConfig
    /// The data the run saw.
    public var dataset: DatasetDescription
    public var steps: [StepMetrics]
    public var summary: TrainingSummary

    /// The JSON encoder every tool should use for runs: sorted snake_case keys, non-finite numbers as
    /// "nan"/"inf"/"-inf" strings.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf",
                                                                      negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The matching decoder.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf",
                                                                        negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

/// Name and shape of the data a run or analysis used.
public struct DatasetDescription: Codable, Equatable, Sendable {
    public var name: String
    public var count: Int
    public var dimension: Int
    public var outputs: Int

    public init(_ dataset: Dataset) {
        name = dataset.name
        count = dataset.count
        dimension = dataset.dimension
        outputs = dataset.outputs
    }
}

/// What a run ended with.
public struct TrainingSummary: Codable, Equatable, Sendable {
    public var finalLoss: Double
    public var initialResidualNorm: Double
    public var finalResidualNorm: Double
    /// The step size actually used.
    public var learningRate: Double
    /// Updates performed (≤ config.steps; fewer when the run diverged).
    public var stepsCompleted: Int
    /// Loss NaN/Inf or ‖r_k‖ > 1e6·‖r₀‖.
    public var diverged: Bool
    public var divergedAtStep: Int?
    /// λ₀ = λ_min(H∞) of the inputs (closed form).
    public var lambda0: Double
    /// λ_min / λ_max of G₀.
    public var gramInitLambdaMin: Double
    public var gramInitLambdaMax: Double
    /// Number of updates whose solve fell back from Cholesky to an eigen pseudo-inverse.
    public var solverFallbacks: Int
    /// The steps (the iterate the update started from) that needed the fallback.
    public var solverFallbackSteps: [Int]
    /// Largest eigenvalue cut-off a fallback used (nil when none did).
    public var solverMaxCutoff: Double?
    /// Damping used by the solves (NGD: λ; K-FAC: λ before the π split).
    public var damping: Double
    /// K-FAC: leverage scores h_i = x_iᵀ(XᵀX)⁺x_i (the per-example output-space rates) and their range.
    public var kfacLeverageScores: [Double]?
    public var kfacLeverageMin: Double?
    public var kfacLeverageMax: Double?
    /// Final parameters, when the config asks to record weights (deep networks: W¹ and a).
    public var finalParameters: NetworkParameters?

    // Deep networks only (depth ≥ 2; absent for the two-layer model): see docs/DEEP.md.
    /// L, the number of hidden layers.
    public var depth: Int?
    /// The radius 3‖y − u₀‖/√λ_min(G₀) of the ball Theorem 1 keeps θ_k in.
    public var theoremRadius: Double?
    /// max_k C_k, the largest Condition-2 ratio the run met.
    public var conditionTwoRatioMax: Double?
    /// W², …, W^L at the end, when the config asks to record weights.
    public var finalUpperWeights: [Matrix]?
}
