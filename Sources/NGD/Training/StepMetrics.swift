/// Diagnostics at one iterate θ_k (step 0 = initialisation). JSON keys are the snake_case of the names
/// (`residual_norm`, `gram_lambda_min`, …). Non-finite values (after divergence) encode as "nan"/"inf".
public struct StepMetrics: Codable, Equatable, Sendable {
    public var step: Int
    /// L(u_k).
    public var loss: Double
    /// ‖u_k − y‖.
    public var residualNorm: Double
    /// λ_min / λ_max of G_k = J_kJ_kᵀ (nk×nk).
    public var gramLambdaMin: Double
    public var gramLambdaMax: Double
    /// ‖J_k − J₀‖_F / ‖J₀‖_F (0 for the linearised model, whose Jacobian is J₀).
    public var jacobianDrift: Double
    /// ‖W_k − W₀‖_F / ‖W₀‖_F.
    public var weightDrift: Double
    /// ‖W_k − W₀‖_F (tends to √(r₀ᵀG₀⁻¹r₀) in the wide limit, docs/CLAIMS.md claim 11b).
    public var weightDistance: Double
    /// max_r ‖w_r(k) − w_r(0)‖.
    public var maxNeuronMove: Double
    /// Fraction of activation-pattern entries D_ir that differ from D⁰.
    public var flipFraction: Double
    /// ρ_k = ‖r_{k+1}‖ / ‖r_k‖ (nil at the last step).
    public var contractionRatio: Double?
    /// cos∠(r_{k+1}, r_k) (nil at the last step).
    public var residualCosine: Double?
    /// How the linear system of the update taken *from* this step was solved (nil for GD / last step).
    public var solverMethod: SolveReport.Method?
    /// True when that solve fell back from Cholesky to the eigen pseudo-inverse.
    public var solverFallback: Bool?
    /// The fallback's eigenvalue cut-off.
    public var solverCutoff: Double?
    /// Outputs u_k (n×k), when the run records outputs.
    public var outputs: Matrix?

    // Deep networks only (depth ≥ 2; absent for the two-layer model): see docs/DEEP.md.
    /// ‖Jˡ_k − Jˡ₀‖_F / ‖Jˡ₀‖_F for each hidden layer l.
    public var layerJacobianDrift: [Double]?
    /// ‖Jˡ_k − Jˡ₀‖₂ for each hidden layer (exact spectral norm).
    public var layerJacobianDistance: [Double]?
    /// ‖J_k − J₀‖₂ (exact spectral norm).
    public var jacobianDistance: Double?
    /// Condition 2's C_k = 3‖J_k − J₀‖₂ / √λ_min(G₀) (the theorem needs C ≤ 1/2).
    public var conditionTwoRatio: Double?
    /// ‖θ_k − θ₀‖ over every trained parameter (the theorem's ball has radius `theorem_radius`).
    public var parameterDistance: Double?
    /// ‖Wˡ_k − Wˡ₀‖_F / ‖Wˡ₀‖_F for each hidden layer.
    public var layerWeightDrift: [Double]?
    /// Fraction of layer l's activation pattern (n·m entries) that differs from the one at θ₀.
    public var layerFlipFraction: [Double]?
}
