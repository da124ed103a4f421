/// The paper's network: f(x) = (1/√m) Σ_r a_r ReLU(w_rᵀx), with k ≥ 1 outputs (a_r ∈ R^k), no biases.
///
/// Only the architecture lives here; parameters are a separate value (`NetworkParameters`) so that one
/// model can be evaluated at many points (training iterates, the linearisation point).
public struct TwoLayerReLU: Codable, Hashable, Sendable {
    /// d.
    public var inputDimension: Int
    /// m, the number of hidden units.
    public var width: Int
    /// k, the number of outputs (2 for Figure 1).
    public var outputs: Int

    public init(inputDimension: Int, width: Int, outputs: Int = 1) {
        self.inputDimension = inputDimension
        self.width = width
        self.outputs = outputs
    }

    /// The paper's random initialisation: w_r ~ N(0, ν²I_d), a_rc ~ Unif{−1, +1}, all independent.
    ///
    /// Draw order (reproducibility contract), from one `Xoshiro256StarStar(seed:)` stream:
    /// first W row by row (w_1 … w_m, each d `nextNormal()` values times ν), then a row by row
    /// (m·k `nextSign()` values, unit r's k signs together). `nextSign()` uses raw 64-bit outputs, so a
    /// Box–Muller spare left over from an odd m·d is simply never used.
    public func initialParameters(initScale nu: Double, seed: UInt64) -> NetworkParameters {
        var rng = Xoshiro256StarStar(seed: seed)
        var w = Matrix(rows: width, columns: inputDimension)
        for index in 0..<(width * inputDimension) { w.storage[index] = nu * rng.nextNormal() }
        var a = Matrix(rows: width, columns: outputs)
        for index in 0..<(width * outputs) { a.storage[index] = rng.nextSign() }
        return NetworkParameters(hiddenWeights: w, outputWeights: a)
    }

    /// Pre-activations Z = X·Wᵀ (n×m), one GEMM.
    public func preactivations(of inputs: Matrix, parameters: NetworkParameters) -> Matrix {
        Matrix.product(inputs, parameters.hiddenWeights, transposingSecond: true)
    }

    /// Outputs u = (1/√m)·ReLU(Z)·a (n×k) from pre-activations.
    public func outputs(preactivations z: Matrix, outputWeights a: Matrix) -> Matrix {
        Matrix.product(z.rectified(), a, scaledBy: 1 / Double(width).squareRoot())
    }

    /// Outputs u (n×k) on `inputs`.
    public func outputs(on inputs: Matrix, parameters: NetworkParameters) -> Matrix {
        outputs(preactivations: preactivations(of: inputs, parameters: parameters),
                outputWeights: parameters.outputWeights)
    }

    /// The Jacobian of the training outputs at `parameters`, as a structured operator (J is never formed).
    public func jacobian(on inputs: Matrix, parameters: NetworkParameters, includesOutputLayer: Bool = false)
        -> JacobianOperator {
        JacobianOperator(inputs: inputs, preactivations: preactivations(of: inputs, parameters: parameters),
                         outputWeights: parameters.outputWeights, includesOutputLayer: includesOutputLayer)
    }
}

extension Matrix {
    /// max(·, 0) element-wise, NaN kept (and −0 → +0), written in one pass over fresh memory.
    func rectified() -> Matrix {
        storage.withUnsafeBufferPointer { source in
            Matrix(rows: rows, columns: columns) { out in
                for i in 0..<out.count {
                    let v = source[i]
                    out[i] = v > 0 || v.isNaN ? v : 0
                }
            }
        }
    }
}
