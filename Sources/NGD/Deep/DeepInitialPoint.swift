/// The deep network at θ₀ as `Analysis` needs it for a config of depth ≥ 2: G₀, u₀ and the limit Θ.
struct DeepInitialPoint {
    var gram: Matrix
    var outputs: Matrix
    /// Θ (n×n) of docs/DEEP.md, or nil when this build lacks the closed form.
    var limit: Matrix?

    init(dataset: Dataset, config: TrainingConfig) throws {
        let model = config.deepModel(inputDimension: dataset.dimension)
        let theta0 = model.initialParameters(initScale: config.initScale, seed: config.seed)
        let forward = model.forward(dataset.inputs, parameters: theta0)
        gram = DeepJacobian(forward: forward, parameters: theta0, includesOutputLayer: config.trainOutputLayer).gram()
        outputs = forward.outputs
        limit = Self.limitGram(of: dataset.inputs, depth: config.depth, initScale: config.initScale)
    }

    /// The deep Θ (`DeepLimitGram`) of the inputs for the network's ν (input variance ν²); nil when it cannot be
    /// computed (e.g. a zero input row).
    static func limitGram(of inputs: Matrix, depth: Int, initScale: Double) -> Matrix? {
        try? DeepLimitGram.closedForm(inputs, depth: depth, inputVariance: initScale * initScale)
    }

    /// √(2·Σ_c y_cᵀΘ⁻¹y_c / n), the deep analogue of `LimitGram.generalizationBound` (NaN without Θ).
    func generalizationBound(targets: Matrix) -> Double {
        guard let limit, let (solved, _) = try? limit.solvingSymmetric(targets, source: "Θ solve") else { return .nan }
        return (2 * targets.dot(solved) / Double(targets.rows)).squareRoot()
    }
}
