/// The Jacobian J = ∂u/∂θ of the training outputs at one parameter point, kept in factored form.
///
/// Rows are indexed by (example i, output c) → i·k + c (the row-major order of the n×k output matrix),
/// columns by θ as in `NetworkParameters`. For the W block, ∂u_ic/∂w_r = (1/√m)·a_rc·D_ir·x_i; for the
/// optional a block, ∂u_ic/∂a_rc' = δ_cc'·ReLU(z_ir)/√m. Everything below is expressed through X, the
/// pre-activations Z, the bit-packed pattern D and a — never through the n·k × p matrix itself.
public struct JacobianOperator: Sendable {
    /// X: n×d.
    public let inputs: Matrix
    /// Z = X·Wᵀ: n×m.
    public let preactivations: Matrix
    /// D = 1{Z ≥ 0}, bit-packed.
    public let pattern: ActivationPattern
    /// a: m×k (the output weights at this point; they weight the W block).
    public let outputWeights: Matrix
    /// Whether θ includes a (then J has the extra ReLU(Z)/√m block).
    public let includesOutputLayer: Bool
    /// True when every a_rc is exactly ±1: the pattern Gram is then an exact popcount.
    public let hasSignOutputWeights: Bool

    public init(inputs: Matrix, preactivations: Matrix, outputWeights: Matrix, includesOutputLayer: Bool) {
        precondition(inputs.rows == preactivations.rows && preactivations.columns == outputWeights.rows,
                     "JacobianOperator: shape mismatch")
        self.inputs = inputs
        self.preactivations = preactivations
        self.pattern = ActivationPattern(preactivations: preactivations)
        self.outputWeights = outputWeights
        self.includesOutputLayer = includesOutputLayer
        self.hasSignOutputWeights = outputWeights.storage.allSatisfy { $0 == 1 || $0 == -1 }
    }

    /// n.
    public var count: Int { inputs.rows }
    /// m.
    public var width: Int { preactivations.columns }
    /// k.
    public var outputs: Int { outputWeights.columns }
    /// n·k, the number of rows of J.
    public var outputCount: Int { count * outputs }

    // MARK: Gram matrices

    /// The pattern part P = (D_a D_aᵀ)/m of the Gram matrix, nk×nk, entries
    /// P_(i,c),(j,c') = (1/m) Σ_r a_rc·a_rc'·D_ir·D_jr. This is also G_mᵀG_m of K-FAC.
    ///
    /// With a ∈ {±1}: diagonal blocks are popcount(D_i & D_j)/m; off-diagonal blocks use s_r = a_rc·a_rc':
    /// (popcount(D_i&D_j&S⁺) − popcount(D_i&D_j&S⁻))/m — exact integers before the one division.
    /// Otherwise (trained a) one GEMM per output pair.
    public func patternGram() -> Matrix {
        let n = count, k = outputs, m = width, nk = outputCount
        var p = Matrix(rows: nk, columns: nk)
        let invM = 1 / Double(m)
        if hasSignOutputWeights {
            let shared = pattern.sharedActiveCounts()
            for c in 0..<k {
                for c2 in c..<k {
                    var block = shared
                    if c2 != c {
                        let positive = ActivationPattern.unitMask(width: m) {
                            outputWeights[$0, c] * outputWeights[$0, c2] > 0
                        }
                        let sharedPositive = pattern.sharedActiveCounts(mask: positive)
                        for t in 0..<block.count { block[t] = 2 * sharedPositive[t] - shared[t] }
                    }
                    let divisor = Double(m)
                    block.withUnsafeBufferPointer { pb in
                        p.storage.withUnsafeMutableBufferPointer { pp in
                            for i in 0..<n {
                                for j in 0..<n {
                                    let value = Double(pb[i * n + j]) / divisor   // one correctly rounded division
                                    pp[(i * k + c) * nk + j * k + c2] = value
                                    pp[(j * k + c2) * nk + i * k + c] = value
                                }
                            }
                        }
                    }
                }
            }
        } else {
            let d = indicatorMatrix()
            for c in 0..<k {
                for c2 in c..<k {
                    var scaled = d
                    scaled.storage.withUnsafeMutableBufferPointer { ps in
                        for i in 0..<n {
                            for r in 0..<m { ps[i * m + r] *= outputWeights[r, c] * outputWeights[r, c2] }
                        }
                    }
                    let block = Matrix.product(scaled, d, transposingSecond: true, scaledBy: invM)
                    for i in 0..<n {
                        for j in 0..<n {
                            p[i * k + c, j * k + c2] = block[i, j]
                            p[j * k + c2, i * k + c] = block[i, j]
                        }
                    }
                }
            }
        }
        return p
    }

    /// G = J·Jᵀ (nk×nk): (XXᵀ ⊗ 1_k1_kᵀ) ∘ P, plus δ_cc'·ReLU(Z)ReLU(Z)ᵀ/m when a is trained.
    /// `inputGram` is XXᵀ (n×n), passed in because it does not change during training.
    public func gram(inputGram: Matrix, patternGram given: Matrix? = nil) -> Matrix {
        let n = count, k = outputs
        let nk = outputCount
        var g = given ?? patternGram()
        let block = includesOutputLayer ? preactivations.rectified().gram(scaledBy: 1 / Double(width)) : nil
        g.storage.withUnsafeMutableBufferPointer { pg in
            inputGram.storage.withUnsafeBufferPointer { px in
                for i in 0..<n {
                    for c in 0..<k {
                        let row = (i * k + c) * nk
                        for j in 0..<n {
                            let scale = px[i * n + j]
                            for c2 in 0..<k { pg[row + j * k + c2] *= scale }
                        }
                    }
                }
            }
            if let block {
                block.storage.withUnsafeBufferPointer { pa in
                    for i in 0..<n {
                        for j in 0..<n {
                            for c in 0..<k { pg[(i * k + c) * nk + j * k + c] += pa[i * n + j] }
                        }
                    }
                }
            }
        }
        return g
    }

    // MARK: Products with J

    /// Jᵀv for v an n×k output-space matrix (flattened as the rows of J):
    /// ΔW = (1/√m)·(D ∘ (v·aᵀ))ᵀ·X — one small GEMM for v·aᵀ, one mask, one GEMM — and, when a is trained,
    /// Δa = (1/√m)·ReLU(Z)ᵀ·v.
    public func transposeApplied(to v: Matrix) -> NetworkParameters {
        precondition(v.rows == count && v.columns == outputs, "transposeApplied: v must be n×k")
        let scale = 1 / Double(width).squareRoot()
        var weighted = Matrix.product(v, outputWeights, transposingSecond: true)   // n×m: Σ_c v_ic a_rc
        maskInactive(&weighted)
        let deltaW = Matrix.product(weighted, inputs, transposingFirst: true, scaledBy: scale)  // m×d
        let deltaA = includesOutputLayer
            ? Matrix.product(preactivations.rectified(), v, transposingFirst: true, scaledBy: scale)
            : Matrix(rows: width, columns: outputs)
        return NetworkParameters(hiddenWeights: deltaW, outputWeights: deltaA)
    }

    /// J·δ for a parameter direction δ, as an n×k output-space matrix:
    /// (1/√m)·(D ∘ (X·δWᵀ))·a (+ (1/√m)·ReLU(Z)·δa when a is trained).
    public func applied(to delta: NetworkParameters) -> Matrix {
        let scale = 1 / Double(width).squareRoot()
        var projected = Matrix.product(inputs, delta.hiddenWeights, transposingSecond: true)   // n×m
        maskInactive(&projected)
        var result = Matrix.product(projected, outputWeights, scaledBy: scale)
        if includesOutputLayer {
            result.addScaled(Matrix.product(preactivations.rectified(), delta.outputWeights, scaledBy: scale), 1)
        }
        return result
    }

    /// K-FAC's preconditioned gradient through the m×m factor without forming it:
    /// Σ_c (D ∘ a_c)ᵀ·M_c/√m = G_m·M, where M (nk×d) has row (i,c) for column g_ic of G_m.
    public func outputGradientFactorApplied(to rows: Matrix) -> Matrix {
        precondition(rows.rows == outputCount, "outputGradientFactorApplied: expected nk rows")
        let n = count, k = outputs, m = width, d = rows.columns
        var result = Matrix(rows: m, columns: d)
        for c in 0..<k {
            let block = k == 1 ? rows : rows.selectingRows((0..<n).map { $0 * k + c })     // M_c: n×d
            var masked = Matrix(rows: n, columns: m)                                         // D ∘ a_c
            preactivations.storage.withUnsafeBufferPointer { pz in
                outputWeights.storage.withUnsafeBufferPointer { pa in
                    masked.storage.withUnsafeMutableBufferPointer { pm in
                        for i in 0..<n {
                            for r in 0..<m where pz[i * m + r] >= 0 { pm[i * m + r] = pa[r * k + c] }
                        }
                    }
                }
            }
            result.addScaled(Matrix.product(masked, block, transposingFirst: true), 1 / Double(m).squareRoot())
        }
        return result
    }

    // MARK: Norms

    /// ‖J‖²_F = (1/m) Σ_{i,r} D_ir ‖x_i‖² Σ_c a_rc² (+ (k/m)‖ReLU(Z)‖²_F when a is trained).
    public func squaredFrobeniusNorm() -> Double {
        let norms = inputs.rowSquaredNorms()
        let m = width, k = outputs
        let unitWeight = (0..<m).map { r in (0..<k).reduce(0.0) { $0 + outputWeights[r, $1] * outputWeights[r, $1] } }
        var total = 0.0
        for i in 0..<count {
            var s = 0.0
            for r in 0..<m where pattern.isActive(example: i, unit: r) { s += unitWeight[r] }
            total += s * norms[i]
        }
        total /= Double(m)
        if includesOutputLayer {
            let relu = preactivations.rectified().frobeniusNorm
            total += Double(k) * relu * relu / Double(m)
        }
        return total
    }

    /// ‖J − J_ref‖²_F without forming either Jacobian. With unchanged ±1 output weights this is the
    /// identity (k/m) Σ_i ‖x_i‖²·popcount(D_i XOR D⁰_i); otherwise the general
    /// (1/m) Σ_{i,r,c} (a_rc D_ir − a⁰_rc D⁰_ir)² ‖x_i‖² (+ (k/m)‖ReLU(Z) − ReLU(Z⁰)‖²_F for a trained a).
    public func squaredDistance(to reference: JacobianOperator) -> Double {
        precondition(count == reference.count && width == reference.width && outputs == reference.outputs,
                     "squaredDistance: shape mismatch")
        let norms = inputs.rowSquaredNorms()
        let m = width, k = outputs
        var total = 0.0
        if hasSignOutputWeights && outputWeights == reference.outputWeights {
            let differing = pattern.differingCounts(from: reference.pattern)
            for i in 0..<count { total += Double(differing[i]) * norms[i] }
            total *= Double(k) / Double(m)
        } else {
            for i in 0..<count {
                var s = 0.0
                for r in 0..<m {
                    let on = pattern.isActive(example: i, unit: r) ? 1.0 : 0.0
                    let on0 = reference.pattern.isActive(example: i, unit: r) ? 1.0 : 0.0
                    for c in 0..<k {
                        let diff = outputWeights[r, c] * on - reference.outputWeights[r, c] * on0
                        s += diff * diff
                    }
                }
                total += s * norms[i]
            }
            total /= Double(m)
        }
        if includesOutputLayer {
            var diff = preactivations.rectified()
            diff.addScaled(reference.preactivations.rectified(), -1)
            let f = diff.frobeniusNorm
            total += Double(k) * f * f / Double(m)
        }
        return total
    }

    // MARK: Helpers

    /// Sets entries (i, r) of an n×m matrix to zero where unit r is inactive on example i.
    private func maskInactive(_ values: inout Matrix) {
        preactivations.storage.withUnsafeBufferPointer { pz in
            values.storage.withUnsafeMutableBufferPointer { pv in
                for t in 0..<pv.count where !(pz[t] >= 0) { pv[t] = 0 }
            }
        }
    }

    /// D as a dense 0/1 matrix (n×m), for the GEMM path when a is not ±1.
    private func indicatorMatrix() -> Matrix {
        var d = Matrix(rows: count, columns: width)
        preactivations.storage.withUnsafeBufferPointer { pz in
            d.storage.withUnsafeMutableBufferPointer { pd in
                for t in 0..<pd.count where pz[t] >= 0 { pd[t] = 1 }
            }
        }
        return d
    }
}

extension Matrix {
    /// ‖row_i‖² for every row.
    public func rowSquaredNorms() -> [Double] {
        storage.withUnsafeBufferPointer { p in
            (0..<rows).map { i in
                var s = 0.0
                for j in 0..<columns { s += p[i * columns + j] * p[i * columns + j] }
                return s
            }
        }
    }
}
