/// The Jacobian J = ∂f/∂θ of the deep network's training outputs, kept in factored form, one block per layer.
///
/// Rows are (example i, output c) → i·k + c. Layer l's block of row (i,c) is the outer product
/// Bkˡ_(i,c) ⊗ Inˡ_i, with Inˡ the layer's input as it multiplies Wˡ (In¹ = X, In^{l+1} = √(2/m)·hˡ) and
/// Bkˡ_(i,c) = ∂f_c(x_i)/∂gˡ (m entries). So G = JJᵀ = Σₗ (InˡInˡᵀ ⊗ 1_k1_kᵀ) ∘ (BkˡBkˡᵀ), Jᵀv is one GEMM per
/// layer, and the n·k × p matrix is never formed. Bkˡ is built backwards: Bk^L = (1/√m)·(a_c ∘ D^L_i) and
/// Bkˡ = √(2/m)·(Bk^{l+1}W^{l+1}) ∘ Dˡ, with D = 1{g ≥ 0} (ReLU′(0) = 1, as `ActivationPattern`).
public struct DeepJacobian: Sendable {
    /// Inˡ (n × d for l = 1, n × m after).
    public let layerInputs: [Matrix]
    /// Bkˡ (nk × m), row i·k + c.
    public let backwardFactors: [Matrix]
    /// Dˡ, bit-packed (for activation flips).
    public let patterns: [ActivationPattern]
    /// ReLU(g^L) (n×m): the output layer's input, scaled by 1/√m in f.
    public let topActivations: Matrix
    /// a (m×k).
    public let outputWeights: Matrix
    /// Whether θ includes a.
    public let includesOutputLayer: Bool

    public init(forward: DeepForward, parameters: DeepParameters, includesOutputLayer: Bool) {
        let depth = parameters.depth, m = parameters.outputWeights.rows, k = parameters.outputWeights.columns
        let n = forward.outputs.rows
        var factors = [Matrix](repeating: Matrix(rows: 0, columns: 0), count: depth)
        let invRoot = 1 / Double(m).squareRoot()
        let last = forward.preactivations[depth - 1].storage.withUnsafeBufferPointer { top in
            parameters.outputWeights.storage.withUnsafeBufferPointer { a in
                Matrix(rows: n * k, columns: m) { out in
                    for i in 0..<n {
                        for c in 0..<k {
                            let row = (i * k + c) * m
                            for r in 0..<m { out[row + r] = top[i * m + r] >= 0 ? invRoot * a[r * k + c] : 0 }
                        }
                    }
                }
            }
        }
        factors[depth - 1] = last
        let scale = (2 / Double(m)).squareRoot()
        for l in stride(from: depth - 2, through: 0, by: -1) {
            var b = Matrix.product(factors[l + 1], parameters.hiddenWeights[l + 1], scaledBy: scale)
            b.keepActive(forward.preactivations[l], outputs: k)
            factors[l] = b
        }
        self.layerInputs = forward.layerInputs
        self.backwardFactors = factors
        self.patterns = forward.preactivations.map(ActivationPattern.init(preactivations:))
        self.topActivations = forward.topActivations
        self.outputWeights = parameters.outputWeights
        self.includesOutputLayer = includesOutputLayer
    }

    /// n.
    public var count: Int { layerInputs[0].rows }
    /// m.
    public var width: Int { outputWeights.rows }
    /// k.
    public var outputs: Int { outputWeights.columns }
    /// L.
    public var depth: Int { backwardFactors.count }

    // MARK: Gram

    /// Layer l's share of G: (InˡInˡᵀ ⊗ 1_k1_kᵀ) ∘ (BkˡBkˡᵀ), nk×nk (two `dsyrk`s and a Hadamard product).
    public func layerGram(_ l: Int) -> Matrix {
        var g = backwardFactors[l].gram()
        g.multiplyExpanded(by: layerInputs[l].gram(), outputs: outputs)
        return g
    }

    /// G = JJᵀ (nk×nk): the layers' shares, plus (ReLU(g^L)ReLU(g^L)ᵀ/m) ⊗ I_k when a is trained. Summed on the
    /// upper triangle and mirrored once: the numbers of Σₗ `layerGram(l)`, without each share's mirroring pass.
    public func gram() -> Matrix {
        let nk = count * outputs
        var g = Matrix(rows: nk, columns: nk)
        for l in 0..<depth {
            g.accumulateUpperProduct(backwardFactors[l].upperTriangleOfGram(), layerInputs[l].upperTriangleOfGram(),
                                     outputs: outputs, assigning: l == 0)
        }
        g.mirrorUpperTriangle()
        if includesOutputLayer { g.addOutputLayerBlock(topActivations.gram(), outputs: outputs, width: width) }
        return g
    }

    // MARK: Products

    /// Vˡ (n×m) with row i = Σ_c v_ic·Bkˡ_(i,c): the backward pass of v through layer l.
    func weightedFactor(_ l: Int, by v: Matrix) -> Matrix {
        let b = backwardFactors[l], n = count, k = outputs, m = width
        if k == 1 { return b.rowsScaled(by: v.storage) }
        var out = Matrix(rows: n, columns: m)
        out.storage.withUnsafeMutableBufferPointer { p in
            b.storage.withUnsafeBufferPointer { pb in
                for i in 0..<n {
                    for c in 0..<k {
                        let s = v.storage[i * k + c], row = (i * k + c) * m
                        for r in 0..<m { p[i * m + r] += s * pb[row + r] }
                    }
                }
            }
        }
        return out
    }

    /// Jᵀv for v an n×k output-space matrix: ∇_{Wˡ} = Vˡᵀ·Inˡ (one GEMM per layer) and, when a is trained,
    /// Δa = (1/√m)·ReLU(g^L)ᵀ·v.
    public func transposeApplied(to v: Matrix) -> DeepParameters {
        let layers = (0..<depth).map { l in
            Matrix.product(weightedFactor(l, by: v), layerInputs[l], transposingFirst: true)
        }
        let a = includesOutputLayer
            ? Matrix.product(topActivations, v, transposingFirst: true, scaledBy: 1 / Double(width).squareRoot())
            : Matrix(rows: width, columns: outputs)
        return DeepParameters(hiddenWeights: layers, outputWeights: a)
    }

    /// J·δ as an n×k matrix: Σₗ row-wise ⟨Inˡ_i·δWˡᵀ, Bkˡ_(i,c)⟩ (one GEMM per layer), plus
    /// (1/√m)·ReLU(g^L)·δa when a is trained.
    public func applied(to delta: DeepParameters) -> Matrix {
        let n = count, k = outputs, m = width
        var out = includesOutputLayer
            ? Matrix.product(topActivations, delta.outputWeights, scaledBy: 1 / Double(m).squareRoot())
            : Matrix(rows: n, columns: k)
        for l in 0..<depth {
            let t = Matrix.product(layerInputs[l], delta.hiddenWeights[l], transposingSecond: true)
            let b = backwardFactors[l]
            for i in 0..<n {
                for c in 0..<k {
                    var s = 0.0
                    for r in 0..<m { s += t.storage[i * m + r] * b.storage[(i * k + c) * m + r] }
                    out.storage[i * k + c] += s
                }
            }
        }
        return out
    }

    /// ‖Jˡ‖²_F = Σ_(i,c) ‖Bkˡ_(i,c)‖²·‖Inˡ_i‖² for every layer (the output-layer block not included).
    public func layerSquaredFrobeniusNorms() -> [Double] {
        (0..<depth).map { l in
            let inputs = layerInputs[l].rowSquaredNorms(), factors = backwardFactors[l].rowSquaredNorms()
            return factors.indices.reduce(0) { $0 + factors[$1] * inputs[$1 / outputs] }
        }
    }
}

extension Matrix {
    /// Zeroes entry (i·k + c, r) where g_ir < 0 (the rows of a backward factor masked by the pattern of g).
    mutating func keepActive(_ preactivations: Matrix, outputs k: Int) {
        let m = columns
        preactivations.storage.withUnsafeBufferPointer { pg in
            storage.withUnsafeMutableBufferPointer { p in
                for row in 0..<rows {
                    let i = row / k
                    for r in 0..<m where !(pg[i * m + r] >= 0) { p[row * m + r] = 0 }
                }
            }
        }
    }

    /// self(i·k + c, j·k + c′) *= factor(i, j): the Hadamard product with factor ⊗ 1_k1_kᵀ.
    mutating func multiplyExpanded(by factor: Matrix, outputs k: Int) {
        let nk = rows, n = factor.rows
        factor.storage.withUnsafeBufferPointer { pf in
            storage.withUnsafeMutableBufferPointer { p in
                for row in 0..<nk {
                    let i = row / k
                    for column in 0..<nk { p[row * nk + column] *= pf[i * n + column / k] }
                }
            }
        }
    }

    /// On the upper triangle (row ≤ column): self = (or, not `assigning`, self +=) factor ∘ (inputs ⊗ 1_k1_kᵀ), with
    /// `factor` and `inputs` upper triangles of symmetric matrices (`upperTriangleOfGram`).
    mutating func accumulateUpperProduct(_ factor: Matrix, _ inputs: Matrix, outputs k: Int, assigning: Bool) {
        let nk = rows, n = inputs.rows
        factor.storage.withUnsafeBufferPointer { pf in
            inputs.storage.withUnsafeBufferPointer { pi in
                storage.withUnsafeMutableBufferPointer { p in
                    for row in 0..<nk {
                        let inputRow = (row / k) * n
                        for column in row..<nk {
                            let share = pf[row * nk + column] * pi[inputRow + column / k]
                            p[row * nk + column] = assigning ? share : p[row * nk + column] + share
                        }
                    }
                }
            }
        }
    }

    /// The strict lower triangle set from the upper one.
    mutating func mirrorUpperTriangle() {
        let n = rows
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                for j in 0..<i { p[i * n + j] = p[j * n + i] }
            }
        }
    }

    /// self(i·k + c, j·k + c) += block(i, j)/m: the trained output layer's (hhᵀ/m) ⊗ I_k.
    mutating func addOutputLayerBlock(_ block: Matrix, outputs k: Int, width m: Int) {
        let n = block.rows, nk = rows, scale = 1 / Double(m)
        for i in 0..<n {
            for j in 0..<n {
                for c in 0..<k { storage[(i * k + c) * nk + j * k + c] += scale * block[i, j] }
            }
        }
    }
}
