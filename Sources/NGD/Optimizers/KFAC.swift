/// K-FAC for the first layer as the paper analyses it, computed entirely in its n×n (nk×nk) forms.
///
/// Factors (summed, not averaged — see docs/CLAIMS.md, claim 14): A = XᵀX (d×d) and S = G_mG_mᵀ (m×m) with
/// G_m = [g_ic], g_ic = (1/√m)·a_c ∘ 1{Wx_i ≥ 0}; the step is ΔW = −η·S⁺·∇_W L·A⁺ with
/// ∇_W L = G_m·diag(∇_uL)·X̃ (X̃ repeats x_i for each output c). For k > 1 outputs, S sums over examples
/// *and* outputs (the Gauss–Newton Fisher of k independent unit-variance outputs) while A sums over
/// examples once; then J(A⊗S)⁺Jᵀ = diag(h_i) ⊗ I_k and K-FAC equals NGD in output space when n ≤ d.
///
/// Never forms an m×m matrix: S⁺G_m = G_m(G_mᵀG_m)⁺ and G_mᵀG_m is the pattern Gram P (nk×nk);
/// X·A⁺ = (XXᵀ)⁺X, using the n×n or the d×d side, whichever is smaller.
///
/// `damping` λ > 0 switches to factored Tikhonov damping (Martens & Grosse 2015):
/// (A + π√λ·I) ⊗ (S + (√λ/π)·I) with π = √((tr A/d)/(tr S/m)); the m×m side then uses the push-through
/// (Woodbury) identity (S + γI)⁻¹G_m = G_m(G_mᵀG_m + γI)⁻¹. Damping is a deviation from the theory.
public struct KFAC: UpdateRule {
    public var learningRate: Double
    public var damping: Double

    public init(learningRate: Double, damping: Double = 0) {
        self.learningRate = learningRate
        self.damping = damping
    }

    /// The damping split (γ_A added to A, γ_S added to S) for the current factors.
    public func factorDamping(inputs: Matrix, patternGram: Matrix, width: Int) -> (input: Double, output: Double) {
        guard damping > 0 else { return (0, 0) }
        let traceA = inputs.rowSquaredNorms().reduce(0, +)
        let traceS = patternGram.diagonal.reduce(0, +)   // tr(G_mG_mᵀ) = tr(G_mᵀG_m)
        let pi = (traceA / Double(inputs.columns) / (traceS / Double(width))).squareRoot()
        let root = damping.squareRoot()
        guard pi.isFinite, pi > 0 else { return (root, root) }
        return (pi * root, root / pi)
    }

    public func update(for state: OptimizationState) throws -> ParameterUpdate {
        let jacobian = state.jacobian
        guard !jacobian.includesOutputLayer else {
            throw NGDError("--optimizer", "kfac preconditions the hidden layers only; it cannot train the output layer",
                           usage: true)
        }
        let (gammaA, gammaS) = factorDamping(inputs: jacobian.inputs, patternGram: state.patternGram,
                                             width: jacobian.width)
        // X̂ = X·(XᵀX + γ_A I)⁺ (n×d).
        let (whitened, inputReport) = try KFAC.whitenedInputs(jacobian.inputs, inputGram: state.inputGram,
                                                              damping: gammaA)
        // R: row (i,c) = ∇_u L_ic · x̂_i  (nk×d).
        let n = jacobian.count, k = jacobian.outputs, d = jacobian.inputs.columns
        var rows = Matrix(rows: n * k, columns: d)
        for i in 0..<n {
            for c in 0..<k {
                let g = state.outputGradient[i, c]
                for j in 0..<d { rows[i * k + c, j] = g * whitened[i, j] }
            }
        }
        // M = (G_mᵀG_m + γ_S I)⁺·R, then ΔW = −η·G_m·M.
        let (m, outputReport) = try state.patternGram.solvingSymmetric(rows, damping: gammaS, source: "K-FAC solve")
        let step = jacobian.outputGradientFactorApplied(to: m)
        var delta = state.parameters.zero
        delta.hiddenWeights.addScaled(step, -learningRate)
        return ParameterUpdate(delta: delta, solves: [outputReport, inputReport])
    }

    /// X·(XᵀX + γI)⁺ computed on the smaller side: (XXᵀ + γI)⁺X when n ≤ d, else X(XᵀX + γI)⁺.
    public static func whitenedInputs(_ inputs: Matrix, inputGram: Matrix? = nil,
                                      damping: Double = 0) throws -> (Matrix, SolveReport) {
        if inputs.rows <= inputs.columns {
            let gram = inputGram ?? inputs.gram()
            return try gram.solvingSymmetric(inputs, damping: damping, source: "K-FAC input factor")
        }
        let covariance = inputs.gram(transposing: true)          // d×d
        let (solved, report) = try covariance.solvingSymmetric(inputs.transposed, damping: damping,
                                                              source: "K-FAC input factor")
        return (solved.transposed, report)
    }

    /// Leverage scores h_i = x_iᵀ(XᵀX)⁺x_i (each in [0, 1], summing to rank X): the per-example
    /// output-space contraction rates of undamped K-FAC.
    public static func leverageScores(of inputs: Matrix) throws -> [Double] {
        let (whitened, _) = try whitenedInputs(inputs)
        return (0..<inputs.rows).map { i in
            var s = 0.0
            for j in 0..<inputs.columns { s += inputs[i, j] * whitened[i, j] }
            return s
        }
    }
}
