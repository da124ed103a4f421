/// Exact natural gradient (generalised-inverse Fisher = Gauss–Newton for squared error), solved in the
/// nk-dimensional output space: θ ← θ − η·Jᵀ(JJᵀ + λI)⁻¹∇_uL.
///
/// λ = 0 is the paper's update. The solve is Cholesky on G + λI; if that fails (G numerically singular,
/// e.g. near-duplicate inputs), an eigen pseudo-inverse is used and the returned `SolveReport` says so,
/// with the cut-off. For a non-squared loss this is variant (a) of the general-loss extension (Zhang et al. 2019 §4): Δu ≈ −η∇_uL, gradient
/// descent in output space.
public struct NaturalGradient: UpdateRule {
    public var learningRate: Double
    /// Tikhonov damping λ ≥ 0 added to G.
    public var damping: Double

    public init(learningRate: Double, damping: Double = 0) {
        self.learningRate = learningRate
        self.damping = damping
    }

    public func update(for state: OptimizationState) throws -> ParameterUpdate {
        let g = state.outputGradient
        let (alpha, report) = try state.gram.solvingSymmetric(g.asColumn, damping: damping,
                                                              source: "natural gradient solve")
        let direction = state.jacobian.transposeApplied(to: alpha.reshaped(rows: g.rows, columns: g.columns))
        return ParameterUpdate(delta: direction.zero.adding(direction, scaledBy: -learningRate), solves: [report])
    }
}
