/// Plain gradient descent: θ ← θ − η·Jᵀ∇_uL (= −η∇_θL).
/// In output space, to first order, r ← (I − ηG)·r for the squared loss.
public struct GradientDescent: UpdateRule {
    public var learningRate: Double

    public init(learningRate: Double) { self.learningRate = learningRate }

    public func update(for state: OptimizationState) throws -> ParameterUpdate {
        let gradient = state.jacobian.transposeApplied(to: state.outputGradient)
        return ParameterUpdate(delta: gradient.zero.adding(gradient, scaledBy: -learningRate))
    }
}
