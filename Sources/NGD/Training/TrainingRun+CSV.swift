import Foundation

extension TrainingRun {
    /// The columns of `csv`, in order.
    public static let csvHeader = ["step", "loss", "residual_norm", "gram_lambda_min", "gram_lambda_max",
                                   "jacobian_drift", "weight_drift", "weight_distance", "max_neuron_move",
                                   "flip_fraction", "contraction_ratio", "residual_cosine", "solver_method",
                                   "solver_fallback"]

    /// The per-step metrics as CSV (`ngd train --format csv`): one row per step, empty cells where a value does
    /// not apply.
    public func csv() -> String {
        func number(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        var lines = [Self.csvHeader.joined(separator: ",")]
        for s in steps {
            let cells = ["\(s.step)", number(s.loss), number(s.residualNorm), number(s.gramLambdaMin),
                         number(s.gramLambdaMax), number(s.jacobianDrift), number(s.weightDrift),
                         number(s.weightDistance), number(s.maxNeuronMove), number(s.flipFraction),
                         number(s.contractionRatio), number(s.residualCosine), s.solverMethod?.rawValue ?? "",
                         s.solverFallback.map { $0 ? "true" : "false" } ?? ""]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
