/// The theory's quantities for one data set and one initialised network, without training:
/// what `ngd analyze` prints. JSON keys are the snake_case of the property names.
public struct Analysis: Codable, Equatable, Sendable {
    public var dataset: DatasetDescription
    /// n, d, m, k.
    public var n: Int
    public var d: Int
    public var width: Int
    public var outputs: Int
    public var initScale: Double
    public var seed: UInt64
    /// λ₀ = λ_min(H∞) and λ_max(H∞) (closed form).
    public var lambda0: Double
    public var hInfLambdaMax: Double
    /// λ_min / λ_max of G₀ = J₀J₀ᵀ (nk×nk).
    public var gramInitLambdaMin: Double
    public var gramInitLambdaMax: Double
    /// ‖G₀ − H∞ ⊗ I_k‖₂.
    public var gramInitGap: Double
    /// λ_min(G₀)/λ₀ ≥ 3/4 is Condition 1 in the form of Du et al.'s Lemma 3.1.
    public var gramInitRatio: Double
    /// λ_max(XᵀX) and λ_min over the non-trivial part (0 if d > n).
    public var inputGramLambdaMax: Double
    public var inputGramLambdaMin: Double
    /// Leverage scores h_i = x_iᵀ(XᵀX)⁺x_i: range and all values (K-FAC's per-example rates).
    public var kfacLeverageMin: Double
    public var kfacLeverageMax: Double
    public var kfacLeverageScores: [Double]
    /// K-FAC's worst-mode bound 1 − 1/λ_max(XᵀX) (at η = 1).
    public var kfacRateBound: Double
    /// √(2·yᵀ(H∞)⁻¹y/n) (Arora et al.'s generalisation quantity; summed over target columns).
    public var generalizationBound: Double
    /// ‖J₀‖_F.
    public var jacobianInitNorm: Double
    /// √(r₀ᵀG₀⁻¹r₀): the distance ‖W_∞ − W₀‖_F the weights travel in the linear regime (docs/CLAIMS.md, claim 11b).
    public var predictedWeightTravel: Double

    /// Computes every quantity for `dataset` and the network that `config` initialises on it. `initialGram` is G₀
    /// when the caller already has it (a trainer's `Outcome`), so that it is not built twice. For a deep network
    /// (depth ≥ 2) G₀, u₀ and ‖J₀‖ are the deep network's and the limit is the deep Θ (docs/DEEP.md).
    public init(dataset: Dataset, config: TrainingConfig, initialGram: Matrix? = nil) throws {
        try config.validate(for: dataset)
        let inputs = dataset.inputs
        let n = dataset.count, k = config.outputs
        let model = config.model(inputDimension: dataset.dimension)
        let theta0 = model.initialParameters(initScale: config.initScale, seed: config.seed)
        let jacobian = model.jacobian(on: inputs, parameters: theta0, includesOutputLayer: config.trainOutputLayer)
        let deep = config.depth > 1 ? try DeepInitialPoint(dataset: dataset, config: config) : nil
        let gram = try initialGram ?? deep?.gram ?? jacobian.gram(inputGram: inputs.gram())
        // The deep Θ when this build has it; without it every limit quantity is NaN rather than the two-layer H∞.
        let limit = deep == nil ? LimitGram.closedForm(inputs)
            : deep?.limit ?? Matrix(rows: n, columns: n, repeating: .nan)

        guard let gExtremes = gram.extremeSymmetricEigenvalues(),
              let inputSpectrum = inputs.gram(transposing: inputs.columns <= n).symmetricEigenvalues() else {
            throw NGDError("analysis", "eigenvalue computation failed (non-finite inputs?)")
        }
        // G₀ − H∞ ⊗ I_k
        var difference = gram
        for i in 0..<n { for j in 0..<n { for c in 0..<k { difference[i * k + c, j * k + c] -= limit[i, j] } } }
        let hExtremes = limit.extremeSymmetricEigenvalues() ?? (.nan, .nan)
        let gapExtremes = difference.extremeSymmetricEigenvalues() ?? (.nan, .nan)
        guard deep != nil || !(hExtremes.min.isNaN || gapExtremes.min.isNaN) else {
            throw NGDError("analysis", "eigenvalue computation of H∞ or G₀ − H∞ failed")
        }
        let leverage = try KFAC.leverageScores(of: inputs)

        let u0 = deep?.outputs ?? model.outputs(preactivations: jacobian.preactivations, outputWeights: theta0.outputWeights)
        let r0 = u0.subtracting(dataset.targets)
        let (solved, _) = try gram.solvingSymmetric(r0.asColumn, source: "G₀ solve")

        self.dataset = DatasetDescription(dataset)
        self.n = n
        self.d = dataset.dimension
        self.width = config.width
        self.outputs = k
        self.initScale = config.initScale
        self.seed = config.seed
        lambda0 = hExtremes.min
        hInfLambdaMax = hExtremes.max
        gramInitLambdaMin = gExtremes.min
        gramInitLambdaMax = gExtremes.max
        gramInitGap = max(abs(gapExtremes.min), abs(gapExtremes.max))
        gramInitRatio = gExtremes.min / hExtremes.min
        inputGramLambdaMax = inputSpectrum.last ?? 0
        inputGramLambdaMin = inputs.columns <= n ? (inputSpectrum.first ?? 0) : 0
        kfacLeverageMin = leverage.min() ?? 0
        kfacLeverageMax = leverage.max() ?? 0
        kfacLeverageScores = leverage
        kfacRateBound = 1 - 1 / (inputSpectrum.last ?? 1)
        generalizationBound = try deep.map { $0.generalizationBound(targets: dataset.targets) }
            ?? LimitGram.generalizationBound(inputs: inputs, targets: dataset.targets)
        jacobianInitNorm = deep.map { $0.gram.diagonal.reduce(0, +).squareRoot() }
            ?? jacobian.squaredFrobeniusNorm().squareRoot()
        predictedWeightTravel = max(0, r0.asColumn.dot(solved)).squareRoot()
    }
}
