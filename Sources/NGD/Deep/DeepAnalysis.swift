/// `ngd analyze --depth L` for L ≥ 2: the theory's quantities for the deep network of docs/DEEP.md at
/// initialisation, without training. JSON keys are the snake_case of the property names; the two-layer
/// `Analysis` stays what `analyze` prints for L = 1.
public struct DeepAnalysis: Codable, Equatable, Sendable {
    public var dataset: DatasetDescription
    public var n: Int
    public var d: Int
    public var width: Int
    public var outputs: Int
    public var depth: Int
    public var initScale: Double
    public var seed: UInt64
    /// λ_min / λ_max of the empirical G₀ = Σₗ (InˡInˡᵀ) ∘ (BkˡBkˡᵀ) (nk×nk).
    public var gramInitLambdaMin: Double
    public var gramInitLambdaMax: Double
    /// The deep λ₀ = λ_min(Θ) (`DeepLimitGram`, input variance ν²) and ‖G₀ − Θ ⊗ I_k‖₂.
    public var lambda0: Double
    public var gramInitGap: Double
    /// ‖J₀‖_F and ‖Jˡ₀‖_F per hidden layer.
    public var jacobianInitNorm: Double
    public var layerJacobianInitNorms: [Double]
    /// ‖y − u₀‖ and Theorem 1's radius 3‖y − u₀‖/√λ_min(G₀).
    public var initialResidualNorm: Double
    public var theoremRadius: Double
    /// √(r₀ᵀG₀⁻¹r₀): how far θ travels in the linear regime.
    public var predictedWeightTravel: Double

    public init(dataset: Dataset, config: TrainingConfig) throws {
        try config.validate(for: dataset)
        let model = config.deepModel(inputDimension: dataset.dimension)
        let theta0 = model.initialParameters(initScale: config.initScale, seed: config.seed)
        let forward = model.forward(dataset.inputs, parameters: theta0)
        let jacobian = DeepJacobian(forward: forward, parameters: theta0, includesOutputLayer: config.trainOutputLayer)
        let gram = jacobian.gram()
        guard let extremes = gram.extremeSymmetricEigenvalues() else {
            throw NGDError("analysis", "eigenvalue computation of G₀ failed (non-finite inputs?)")
        }
        let limit = try DeepLimitGram.closedForm(dataset.inputs, depth: config.depth,
                                                 inputVariance: config.initScale * config.initScale,
                                                 outputs: config.outputs)
        var difference = gram
        difference.addScaled(limit, -1)
        guard let limitExtremes = limit.extremeSymmetricEigenvalues(),
              let gap = difference.extremeSymmetricEigenvalues() else {
            throw NGDError("analysis", "eigenvalue computation of Θ or G₀ − Θ failed")
        }
        lambda0 = limitExtremes.min
        gramInitGap = max(abs(gap.min), abs(gap.max))
        let r0 = forward.outputs.subtracting(dataset.targets)
        let (solved, _) = try gram.solvingSymmetric(r0.asColumn, source: "G₀ solve")
        self.dataset = DatasetDescription(dataset)
        n = dataset.count
        d = dataset.dimension
        width = config.width
        outputs = config.outputs
        depth = config.depth
        initScale = config.initScale
        seed = config.seed
        gramInitLambdaMin = extremes.min
        gramInitLambdaMax = extremes.max
        jacobianInitNorm = gram.diagonal.reduce(0, +).squareRoot()
        layerJacobianInitNorms = jacobian.layerSquaredFrobeniusNorms().map { $0.squareRoot() }
        initialResidualNorm = r0.frobeniusNorm
        theoremRadius = 3 * r0.frobeniusNorm / max(extremes.min, 0).squareRoot()
        predictedWeightTravel = max(0, r0.asColumn.dot(solved)).squareRoot()
    }
}
