/// Everything an update rule may look at when it computes one step: the point θ_k, the structured
/// Jacobian there, its Gram matrices, and the gradient of the loss with respect to the outputs.
///
/// Built once per step by the trainer and shared with the diagnostics, so G is formed once.
public struct OptimizationState: Sendable {
    /// θ_k.
    public var parameters: NetworkParameters
    /// J at θ_k (J₀ for the linearised model).
    public var jacobian: JacobianOperator
    /// XXᵀ (n×n), fixed by the data.
    public var inputGram: Matrix
    /// P = (D_aD_aᵀ)/m (nk×nk); equals G_mᵀG_m of K-FAC.
    public var patternGram: Matrix
    /// G = JJᵀ (nk×nk).
    public var gram: Matrix
    /// ∇_u L (n×k); r = u − y for the squared loss.
    public var outputGradient: Matrix

    public init(parameters: NetworkParameters, jacobian: JacobianOperator, inputGram: Matrix, patternGram: Matrix,
                gram: Matrix, outputGradient: Matrix) {
        self.parameters = parameters
        self.jacobian = jacobian
        self.inputGram = inputGram
        self.patternGram = patternGram
        self.gram = gram
        self.outputGradient = outputGradient
    }
}

/// One computed step: θ_{k+1} = θ_k + delta, plus how any linear system on the way was solved.
public struct ParameterUpdate: Sendable {
    public var delta: NetworkParameters
    /// Reports of the linear solves this step needed (empty for GD).
    public var solves: [SolveReport]

    public init(delta: NetworkParameters, solves: [SolveReport] = []) {
        self.delta = delta
        self.solves = solves
    }
}

/// An optimizer as a small value with one job: turn a state into a parameter update (optax-style).
/// Rules hold only their hyper-parameters; they keep no hidden state between steps.
public protocol UpdateRule: Sendable {
    func update(for state: OptimizationState) throws -> ParameterUpdate
}

extension Matrix {
    /// The n·k vector of an n×k output-space matrix as an nk×1 column (same storage, same order).
    var asColumn: Matrix { Matrix(rows: storage.count, columns: 1, storage: storage) ?? self }

    /// Reshapes storage to rows×columns (same element order).
    func reshaped(rows: Int, columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: storage) ?? self
    }
}
