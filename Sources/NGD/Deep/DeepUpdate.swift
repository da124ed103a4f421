/// One update of the deep network by GD, exact NGD or block-diagonal K-FAC, from the structured Jacobian at θ_k
/// (J₀ for the linearised model), its Gram G and ∇_uL (n×k). The rules are the two-layer ones layer by layer;
/// docs/DEEP.md states the K-FAC contract the numpy peer (benchmarks/peers) implements too.
public struct DeepUpdate: Sendable {
    public var optimizer: OptimizerKind
    public var learningRate: Double
    /// NGD: λ in (G + λI); K-FAC: factored Tikhonov damping λ (`KFAC.factorDamping`). 0 = the theory.
    public var damping: Double

    public init(optimizer: OptimizerKind, learningRate: Double, damping: Double = 0) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.damping = damping
    }

    /// Δθ and the reports of the solves it needed (NGD: one; K-FAC: two per layer, output side first, as `KFAC`).
    /// `gram` is G when the caller has it (NGD builds it otherwise; GD and K-FAC do not need it).
    public func delta(jacobian: DeepJacobian, gram: Matrix? = nil, outputGradient g: Matrix) throws
        -> (delta: DeepParameters, solves: [SolveReport]) {
        switch optimizer {
        case .gd:
            return (scaled(jacobian.transposeApplied(to: g)), [])
        case .ngd:
            let (alpha, report) = try (gram ?? jacobian.gram()).solvingSymmetric(g.asColumn, damping: damping,
                                                            source: "natural gradient solve")
            let direction = jacobian.transposeApplied(to: alpha.reshaped(rows: g.rows, columns: g.columns))
            return (scaled(direction), [report])
        case .kfac:
            return try kfacDelta(jacobian: jacobian, outputGradient: g)
        }
    }

    /// −η·direction, as 0 + (−η)·direction (the two-layer rules' `zero.adding(_:scaledBy:)`: a −0 becomes +0).
    private func scaled(_ direction: DeepParameters) -> DeepParameters {
        DeepParameters(hiddenWeights: direction.hiddenWeights.map { $0.scaledFromZero(by: -learningRate) },
                       outputWeights: direction.outputWeights.scaledFromZero(by: -learningRate))
    }

    /// Block-diagonal K-FAC: per layer, Aˡ = InˡᵀInˡ and Sˡ = Bkˡᵀ Bkˡ (summed over examples and outputs), and
    /// ΔWˡ = −η·(Sˡ + γ_S I)⁺·∇_{Wˡ}L·(Aˡ + γ_A I)⁺ with γ_A, γ_S from `KFAC.factorDamping`. Computed as
    /// ΔWˡ = −η·Bkˡᵀ·(BkˡBkˡᵀ + γ_S I)⁺·R with R_(i,c) = ∇_uL_ic·x̂ˡ_i and x̂ˡ_i the rows of Inˡ(Aˡ + γ_A I)⁺:
    /// only nk×nk and n×n (or d×d for the first layer, as the two-layer `KFAC`) systems, never an m×m one.
    func kfacDelta(jacobian: DeepJacobian, outputGradient g: Matrix) throws
        -> (delta: DeepParameters, solves: [SolveReport]) {
        guard !jacobian.includesOutputLayer else {
            throw NGDError("--optimizer", "kfac preconditions the hidden layers only; it cannot train the output layer",
                           usage: true)
        }
        let rule = KFAC(learningRate: learningRate, damping: damping)
        let n = jacobian.count, k = jacobian.outputs
        var delta = DeepParameters(hiddenWeights: [], outputWeights: Matrix(rows: jacobian.width, columns: k))
        var solves: [SolveReport] = []
        for l in 0..<jacobian.depth {
            let inputs = jacobian.layerInputs[l], factor = jacobian.backwardFactors[l]
            let outputGram = factor.gram()   // BkˡBkˡᵀ, nk×nk: the m×m Sˡ's push-through side
            let (gammaA, gammaS) = rule.factorDamping(inputs: inputs, patternGram: outputGram, width: jacobian.width)
            let (whitened, inputReport) = l == 0
                ? try KFAC.whitenedInputs(inputs, damping: gammaA)
                : try inputs.gram().solvingSymmetric(inputs, damping: gammaA, source: "K-FAC input factor")
            let d = inputs.columns
            var rows = Matrix(rows: n * k, columns: d)
            for i in 0..<n {
                for c in 0..<k {
                    let s = g[i, c]
                    for j in 0..<d { rows.storage[(i * k + c) * d + j] = s * whitened.storage[i * d + j] }
                }
            }
            let (m, outputReport) = try outputGram.solvingSymmetric(rows, damping: gammaS, source: "K-FAC solve")
            delta.hiddenWeights.append(Matrix.product(factor, m, transposingFirst: true, scaledBy: -learningRate))
            solves += [outputReport, inputReport]
        }
        return (delta, solves)
    }

    /// One whole step of the squared loss from θ on (X, y): forward pass, Jacobian factors, the update (and G for
    /// NGD). What `ngd bench --depth` times and the numpy peer computes.
    public func step(from parameters: DeepParameters, model: DeepReLU, inputs: Matrix, targets: Matrix) throws
        -> DeepParameters {
        let forward = model.forward(inputs, parameters: parameters)
        let jacobian = DeepJacobian(forward: forward, parameters: parameters, includesOutputLayer: false)
        let residuals = forward.outputs.subtracting(targets)
        return parameters.adding(try delta(jacobian: jacobian, outputGradient: residuals).delta)
    }
}
