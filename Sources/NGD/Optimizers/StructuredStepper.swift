import CKernels

/// How a training loop keeps the pre-activations Z = XWᵀ (n×m) current.
///
/// GD and NGD move W by ΔW = Bᵀ·X with B n×m (B_ir = −(η/√m)·α_i·a_r·D_ir), inside the row space of X. So
/// ΔZ = X·ΔWᵀ = (XXᵀ)·B goes through the n×n input Gram, and W itself can be kept as W_ref + CᵀX with C the
/// sum of the B's, formed only when it is read and at each exact refresh. Flops per GD/NGD step:
///
/// | form | per step | per refresh (every R steps) |
/// |---|---|---|
/// | `recomputed`: Z = XWᵀ, W += BᵀX | 2ndm + 2ndm | — |
/// | `inputGramUpdate`: Z += (XXᵀ)B, C += B | 2n²m + nm | W_ref += CᵀX, Z = XWᵀ: 2ndm + 2ndm |
///
/// so the update form is cheaper when 2n²m + 4ndm/R < 4ndm, i.e. n < 2d(1 − 1/R) (n < 1.9d for R = 20).
/// K-FAC's ΔW = Bᵀ·M with M = P⁺·diag(r)·X(XᵀX)⁺: for n ≤ d, X(XᵀX)⁺ = (XXᵀ)⁻¹X, so M = N·X and the step
/// is deferred too (NᵀB and ΔZ = XXᵀ·NᵀB: 4n²m); for n > d it keeps W explicit and pays 2ndm (ΔW) + 2n²d
/// (XMᵀ) + 2n²m (ΔZ). The update accumulates rounding, so Z is recomputed exactly every R steps.
public enum PreactivationForm: String, Codable, Hashable, Sendable {
    case recomputed
    case inputGramUpdate = "input-gram-update"

    /// The form with fewer GD/NGD flops per step for n examples of dimension d and refresh interval R.
    public static func cheaper(examples n: Int, dimension d: Int, refreshInterval r: Int = 20) -> PreactivationForm {
        n * r < 2 * d * (r - 1) ? .inputGramUpdate : .recomputed
    }
}

/// Optimizer steps of the paper's network (one output, W trained, a ∈ {±1}ᵐ fixed, squared loss) with what a
/// training loop carries between steps kept as state: XXᵀ, K-FAC's input factor X(XᵀX)⁺, the bit-packed
/// pattern, and Z = XWᵀ (held only in the `inputGramUpdate` form), plus one n×(block) work buffer.
///
/// The arithmetic is the engine's (`JacobianOperator`, `NaturalGradient`, `GradientDescent`, `KFAC`): the
/// same popcount Gram, the same `solvingSymmetric` solves, so one step equals `Trainer`'s first step up to
/// the rounding of the final GEMMs. What it saves is structural: no Jacobian, no m×m matrix, no n×m matrix
/// besides Z (and none at all in the `recomputed` form, which streams Z in blocks of units), W updated in
/// place by one GEMM with β = 1, and the constant input-side factors computed once.
public struct StructuredStepper: Sendable {
    /// X (n×d).
    public let inputs: Matrix
    /// y (n).
    public let targets: [Double]
    /// a (m), every entry ±1.
    public let outputWeights: [Double]
    /// W (m×d). In the `inputGramUpdate` form GD/NGD steps leave it as W_ref + CᵀX (see `coefficients`);
    /// reading it forms that product (2ndm flops), `materializeWeights()` folds it in.
    public var hiddenWeights: Matrix {
        guard hasPendingCoefficients else { return weights }
        var w = weights
        Self.addCoefficientProduct(coefficients, inputs: inputs, to: &w)
        return w
    }
    public let form: PreactivationForm
    /// Steps between exact recomputations of Z in the `inputGramUpdate` form.
    public var refreshInterval: Int
    /// Steps taken since Z was last recomputed exactly.
    public private(set) var stepsSinceRefresh = 0

    /// XXᵀ (n×n), fixed by the data; held in the `inputGramUpdate` form only (the other form makes it when
    /// needed, which costs n²d flops and saves an n×n array).
    let inputGram: Matrix?
    /// X(XᵀX)⁺ (n×d), K-FAC's constant input factor; computed on the first K-FAC step.
    private var whitened: Matrix?
    /// (XXᵀ)⁻¹ (n×n), the same factor's n×n form when n ≤ d in the update form; computed on first use.
    private var inputGramInverse: Matrix?
    /// n×blockWidth scratch for Nᵀ·B (K-FAC in the update form).
    private var transformedBlock: [Double] = []
    /// Z (n×m, row-major) in the `inputGramUpdate` form; empty otherwise.
    private var preactivations: [Double]
    /// W_ref: W up to the pending coefficients.
    private var weights: Matrix
    /// C (n×m) with W = W_ref + CᵀX. GD and NGD steps move W by BᵀX (B n×m), inside the row space of X, so
    /// in the `inputGramUpdate` form a step only adds B to C (n·m flops) and Z += (XXᵀ)·B (2n²m) — the 2ndm
    /// GEMM that forms ΔW is paid once per refresh instead of once per step. Empty in the `recomputed` form.
    private var coefficients: [Double]
    private var hasPendingCoefficients = false
    /// n×blockWidth scratch: a block of Z (recomputed form) or of the coefficient matrix B.
    private var block: [Double]
    /// Units per block, a multiple of 64 so that blocks start on pattern words.
    let blockWidth: Int
    /// Threads of the C kernels (pattern, coefficients, popcount Gram): `popcountThreads` when made; tests set
    /// others to check that results do not depend on it.
    var kernelThreads = StructuredStepper.popcountThreads

    public var count: Int { inputs.rows }
    public var dimension: Int { inputs.columns }
    public var width: Int { weights.rows }

    /// The current parameters (a as an m×1 matrix).
    public var parameters: NetworkParameters {
        NetworkParameters(hiddenWeights: hiddenWeights,
                          outputWeights: Matrix(rows: width, columns: 1, storage: outputWeights) ?? Matrix(rows: width, columns: 1))
    }

    /// A stepper at θ for data (X, y). Throws when the shapes do not match, the model has more than one
    /// output, or a is not ±1 (those runs go through `Trainer`). `form` nil picks `PreactivationForm.cheaper`.
    public init(inputs: Matrix, targets: Matrix, parameters: NetworkParameters, form: PreactivationForm? = nil,
                refreshInterval: Int = 20) throws {
        let n = inputs.rows, d = inputs.columns, m = parameters.hiddenWeights.rows
        guard n > 0, d > 0, m > 0 else { throw NGDError("stepper", "empty problem (n = \(n), d = \(d), m = \(m))") }
        guard parameters.hiddenWeights.columns == d else {
            throw NGDError("stepper", "W has \(parameters.hiddenWeights.columns) columns but the inputs have d = \(d)")
        }
        guard targets.rows == n, targets.columns == 1, parameters.outputWeights.rows == m,
              parameters.outputWeights.columns == 1 else {
            throw NGDError("stepper", "the structured stepper handles one output (targets n×1, a m×1)")
        }
        guard parameters.outputWeights.storage.allSatisfy({ $0 == 1 || $0 == -1 }) else {
            throw NGDError("stepper", "the structured stepper needs output weights a ∈ {±1}")
        }
        guard refreshInterval > 0 else { throw NGDError("stepper", "refresh interval must be positive") }
        self.inputs = inputs
        self.targets = targets.storage
        self.outputWeights = parameters.outputWeights.storage
        self.weights = parameters.hiddenWeights
        let chosen = form ?? PreactivationForm.cheaper(examples: n, dimension: d, refreshInterval: refreshInterval)
        self.form = chosen
        self.refreshInterval = refreshInterval
        self.inputGram = chosen == .inputGramUpdate ? inputs.gram() : nil
        // At most 1024 units and ≈ 2M doubles (16 MB), at least one 64-unit word: at n = 2048, 256-unit blocks
        // left the K = 64 GEMMs of X·W_bᵀ well under the dgemm rate and 1024 do not; wider blocks only cost
        // memory (two n×b buffers in K-FAC's update form).
        let words = (m + 63) / 64
        self.blockWidth = 64 * Swift.max(1, Swift.min(words, 16, (1 << 21) / (64 * n)))
        self.block = [Double](repeating: 0, count: n * Swift.min(blockWidth, m))
        self.preactivations = []
        self.coefficients = []
        if chosen == .inputGramUpdate {
            preactivations = [Double](repeating: 0, count: n * m)
            coefficients = [Double](repeating: 0, count: n * m)
            recomputePreactivations()
        }
    }

    /// What one step saw and did.
    public struct StepReport: Sendable {
        /// L = ½‖u − y‖² at the point the step started from.
        public var lossBefore: Double
        /// The linear solves of the step (none for GD).
        public var solves: [SolveReport]
    }

    /// One step of `optimizer` with step size η (NGD: damping λ in G + λI; K-FAC: undamped only).
    @discardableResult
    public mutating func step(_ optimizer: OptimizerKind, learningRate eta: Double,
                              damping: Double = 0) throws -> StepReport {
        let n = count, m = width
        var tiledInputGram = optimizer == .ngd ? tiledInputGramStorage() : nil
        let (pattern, outputs) = forwardPass(inputGramRows: &tiledInputGram)
        var residuals = outputs
        for i in 0..<n { residuals[i] -= targets[i] }
        let loss = 0.5 * residuals.reduce(0) { $0 + $1 * $1 }
        let scale = -eta / Double(m).squareRoot()
        var solves: [SolveReport] = []
        switch optimizer {
        case .gd:
            applyUpdate(pattern: pattern, rowWeights: residuals, scale: scale, rowFactor: inputs, inputSide: inputGram,
                        rowFactorIsInputs: true)
        case .ngd:
            var gram = self.gram(pattern: pattern, upperInputGram: &tiledInputGram)
            let rhs = Matrix(rows: n, columns: 1, storage: residuals) ?? Matrix(rows: n, columns: 1)
            let (alpha, report) = try Matrix.solveSymmetric(overwriting: &gram, rhs, damping: damping,
                                                            source: "natural gradient solve")
            solves.append(report)
            applyUpdate(pattern: pattern, rowWeights: alpha.storage, scale: scale, rowFactor: inputs,
                        inputSide: inputGram, rowFactorIsInputs: true)
        case .kfac:
            guard damping == 0 else {
                throw NGDError("stepper", "the structured stepper runs the theory's undamped K-FAC; use Trainer for damping")
            }
            var patternGram = Matrix(rows: n, columns: n, repeating: 1)
            pattern.scaleBySharedActiveFraction(&patternGram, threads: kernelThreads)   // 1·(count/m) exactly
            let ones = [Double](repeating: 1, count: n)
            if let gramInput = inputGram, n <= dimension {
                // n ≤ d: X(XᵀX)⁺ = (XXᵀ)⁻¹X, so M = P⁺·diag(r)·(XXᵀ)⁻¹·X = N·X and ΔW = (Nᵀ·B)ᵀ·X with
                // B = −(η/√m)(D∘a): a step of the same form as GD/NGD, deferred into C. 4n²m flops
                // (NᵀB and ΔZ = XXᵀ·NᵀB) instead of 2ndm + 2n²d + 2n²m.
                if inputGramInverse == nil {
                    let (inverse, report) = try gramInput.solvingSymmetric(Matrix.identity(n), source: "K-FAC input factor")
                    inputGramInverse = inverse
                    solves.append(report)
                }
                guard var rows = inputGramInverse else { break }
                rows.storage.withUnsafeMutableBufferPointer { pr in
                    for i in 0..<n { for j in 0..<n { pr[i * n + j] *= residuals[i] } }
                }
                let (solution, report) = try Matrix.solveSymmetric(overwriting: &patternGram, rows, source: "K-FAC solve")
                solves.insert(report, at: 0)
                applyUpdate(pattern: pattern, rowWeights: ones, scale: scale, rowFactor: inputs, inputSide: gramInput,
                            rowFactorIsInputs: true, leftFactor: solution.transposed)
            } else {
                materializeWeights()   // ΔW = BᵀM is not of the form BᵀX here: W must be explicit
                if whitened == nil {
                    let (x, report) = try KFAC.whitenedInputs(inputs, inputGram: inputGram)
                    whitened = x
                    solves.append(report)
                }
                guard let x = whitened else { break }
                // R = diag(r)·X(XᵀX)⁺, M = P⁺R, ΔW = −(η/√m)·(D∘a)ᵀ·M.
                var rows = x
                rows.storage.withUnsafeMutableBufferPointer { pr in
                    let d = dimension
                    for i in 0..<n { for j in 0..<d { pr[i * d + j] *= residuals[i] } }
                }
                let (solution, report) = try Matrix.solveSymmetric(overwriting: &patternGram, rows, source: "K-FAC solve")
                solves.insert(report, at: 0)
                let side = form == .inputGramUpdate ? Matrix.product(inputs, solution, transposingSecond: true) : nil
                applyUpdate(pattern: pattern, rowWeights: ones, scale: scale, rowFactor: solution, inputSide: side,
                            rowFactorIsInputs: false)
            }
        }
        if form == .inputGramUpdate {
            stepsSinceRefresh += 1
            if stepsSinceRefresh >= refreshInterval { recomputePreactivations() }
        }
        return StepReport(lossBefore: loss, solves: solves)
    }

    /// L = ½‖u − y‖² at the current W, from a fresh Z = XWᵀ (streamed in blocks through the scratch buffer,
    /// hence `mutating`; the held Z is not used).
    public mutating func loss() -> Double {
        materializeWeights()
        let outputs = forwardPass(fresh: true).1
        var s = 0.0
        for i in 0..<count { s += (outputs[i] - targets[i]) * (outputs[i] - targets[i]) }
        return 0.5 * s
    }

    /// G = (XXᵀ) ∘ (D Dᵀ)/m at the current W, the pattern taken from a fresh Z = XWᵀ (scratch buffer reused).
    public mutating func gram() -> Matrix {
        materializeWeights()
        var tiledInputGram = tiledInputGramStorage()
        let (pattern, _) = forwardPass(fresh: true, outputs: false, inputGramRows: &tiledInputGram)
        return gram(pattern: pattern, upperInputGram: &tiledInputGram)
    }

    /// Recomputes the held Z = XWᵀ exactly (no-op in the `recomputed` form).
    public mutating func recomputePreactivations() {
        stepsSinceRefresh = 0
        guard form == .inputGramUpdate else { return }
        materializeWeights()
        let n = count, d = dimension, m = width
        inputs.storage.withUnsafeBufferPointer { px in
            weights.storage.withUnsafeBufferPointer { pw in
                preactivations.withUnsafeMutableBufferPointer { pz in
                    BLAS.gemm(transposingA: false, transposingB: true, rows: n, columns: m, inner: d,
                              alpha: 1, a: px.baseAddress, lda: d, b: pw.baseAddress, ldb: d,
                              beta: 0, c: pz.baseAddress, ldc: m)
                }
            }
        }
    }

    /// max |Z_held − XWᵀ| over all entries (0 in the `recomputed` form, which holds no Z).
    public func preactivationDrift() -> Double {
        guard form == .inputGramUpdate else { return 0 }
        let fresh = Matrix.product(inputs, hiddenWeights, transposingSecond: true)   // W_ref + CᵀX, formed
        var worst = 0.0
        for t in 0..<preactivations.count { worst = Swift.max(worst, abs(preactivations[t] - fresh.storage[t])) }
        return worst
    }

    /// Replaces W (same shape) and recomputes what depends on it; buffers are reused.
    public mutating func reset(hiddenWeights w: Matrix) throws {
        guard w.rows == width, w.columns == dimension else {
            throw NGDError("stepper", "reset: W must be \(width)×\(dimension)")
        }
        weights.storage.withUnsafeMutableBufferPointer { dst in
            w.storage.withUnsafeBufferPointer { src in
                guard let d = dst.baseAddress, let s = src.baseAddress else { return }
                d.update(from: s, count: src.count)
            }
        }
        if hasPendingCoefficients {
            coefficients.withUnsafeMutableBufferPointer { pc in pc.update(repeating: 0) }
            hasPendingCoefficients = false
        }
        recomputePreactivations()
    }

    /// Folds the pending coefficients into W (W_ref += CᵀX, C = 0); a no-op when none are pending.
    public mutating func materializeWeights() {
        guard hasPendingCoefficients else { return }
        Self.addCoefficientProduct(coefficients, inputs: inputs, to: &weights)
        coefficients.withUnsafeMutableBufferPointer { pc in pc.update(repeating: 0) }
        hasPendingCoefficients = false
    }

    /// w += Cᵀ·X (C n×m, X n×d, w m×d): one GEMM.
    static func addCoefficientProduct(_ c: [Double], inputs: Matrix, to w: inout Matrix) {
        let n = inputs.rows, d = inputs.columns, m = w.rows
        c.withUnsafeBufferPointer { pc in
            inputs.storage.withUnsafeBufferPointer { px in
                w.storage.withUnsafeMutableBufferPointer { pw in
                    BLAS.gemm(transposingA: true, transposingB: false, rows: m, columns: d, inner: n,
                              alpha: 1, a: pc.baseAddress, lda: m, b: px.baseAddress, ldb: d,
                              beta: 1, c: pw.baseAddress, ldc: d)
                }
            }
        }
    }

    // MARK: Kernels

    /// Workers for the popcount Gram: as many as BLAS threads (so OPENBLAS_NUM_THREADS=1 means one).
    static var popcountThreads: Int { Swift.max(1, BLAS.threads) }

    /// G_ij = (XXᵀ)_ij · (popcount(D_i & D_j)/m), entry for entry as `JacobianOperator.gram`: read from the
    /// held XXᵀ into a new matrix, or, when the form holds none, written over XXᵀ's upper triangle — the one the
    /// forward pass's tiles made (`upperInputGram`, taken over and set to nil, so that its storage is not copied
    /// on write), else a fresh `dsyrk` (n²d flops, one n×n array less); the popcount kernel mirrors and scales in
    /// the same pass.
    private func gram(pattern: ActivationPattern, upperInputGram: inout Matrix?) -> Matrix {
        guard let inputGram else {
            var g: Matrix
            if let made = upperInputGram {
                g = made
                upperInputGram = nil
            } else {
                g = inputs.upperTriangleOfGram()
            }
            pattern.writeScaledGram(into: &g, threads: kernelThreads)
            return g
        }
        var g = Matrix(rows: count, columns: count)
        pattern.writeScaledGram(into: &g, upperTriangleOf: inputGram, threads: kernelThreads)
        return g
    }

    /// The pattern D and the outputs u at the current W: from the held Z, or (`fresh` or the `recomputed`
    /// form) from Z = XWᵀ made tile by tile on the worker pool, each tile read from cache for its signs and
    /// sums (`ngd_pack_signs_of_product`), or block by block into the scratch buffer where tiles do not pay
    /// (`tilesPreactivations`) or their scratch cannot be had. Signs and output sums are formed by the C kernel over blocks of rows on `kernelThreads` threads
    /// (each row's sum in order of units, block by block: the outputs do not depend on the thread count);
    /// `outputs: false` skips the sums (u is zero).
    mutating func forwardPass(fresh: Bool = false, outputs: Bool = true) -> (ActivationPattern, [Double]) {
        var noInputGram: Matrix?
        return forwardPass(fresh: fresh, outputs: outputs, inputGramRows: &noInputGram)
    }

    /// An n×n matrix for the input Gram's upper rows where the forward pass makes Z in tiles and no XXᵀ is
    /// held (the tiles then make those rows too, on the pool's threads, and no BLAS thread wakes for a `dsyrk`).
    func tiledInputGramStorage() -> Matrix? {
        inputGram == nil && tilesPreactivations ? Matrix(rows: count, columns: count) : nil
    }

    /// The forward pass; where Z is made in tiles and `inputGramRows` is an n×n matrix, the tiles also write the
    /// upper triangle of XXᵀ there (row-major). It is set to nil where they did not (Z made block by block).
    mutating func forwardPass(fresh: Bool = false, outputs: Bool = true,
                              inputGramRows: inout Matrix?) -> (ActivationPattern, [Double]) {
        let n = count, m = width, words = (m + 63) / 64, threads = Int32(clamping: kernelThreads)
        var bits = [UInt64](repeating: 0, count: n * words)
        var sums = [Double](repeating: 0, count: n)
        let useHeld = form == .inputGramUpdate && !fresh
        var noSums: [Double] = []
        var gramRows = inputGramRows?.storage ?? []
        inputGramRows = nil   // its storage is only in gramRows now: written without a copy
        let tiled = !useHeld && tilesPreactivations
            && (outputs ? productTiles(bits: &bits, sums: &sums, inputGram: &gramRows)
                        : productTiles(bits: &bits, sums: &noSums, inputGram: &gramRows))
        if tiled, !gramRows.isEmpty { inputGramRows = Matrix(rows: n, columns: n, storage: gramRows) }
        var start = tiled ? m : 0
        while start < m {
            let b = Swift.min(blockWidth, m - start)
            if !useHeld { computePreactivationBlock(start: start, width: b) }
            let source = useHeld ? preactivations : block
            let stride = useHeld ? m : b
            let offset = useHeld ? start : 0
            source.withUnsafeBufferPointer { pz in
                bits.withUnsafeMutableBufferPointer { pb in
                    outputWeights.withUnsafeBufferPointer { pa in
                        sums.withUnsafeMutableBufferPointer { ps in
                            guard let z0 = pz.baseAddress, let b0 = pb.baseAddress, let a0 = pa.baseAddress,
                                  let s0 = ps.baseAddress else { return }
                            ngd_pack_signs(z0 + offset, n, b, stride, b0 + start / 64, words, a0 + start,
                                           outputs ? s0 : nil, threads)
                        }
                    }
                }
            }
            start += b
        }
        let root = Double(m).squareRoot()
        for i in 0..<n { sums[i] /= root }
        return (ActivationPattern(count: n, width: m, words: bits), sums)
    }

    /// Z = XWᵀ made as the forward pass makes it (tile by tile, or block by block through the scratch buffer),
    /// nothing else: the GEMM share of `gram()`, for `ngd bench`'s breakdown.
    mutating func streamPreactivations() {
        var noBits: [UInt64] = [], noSums: [Double] = [], noInputGram: [Double] = []
        if tilesPreactivations && productTiles(bits: &noBits, sums: &noSums, inputGram: &noInputGram) { return }
        var start = 0
        while start < width {
            let b = Swift.min(blockWidth, width - start)
            computePreactivationBlock(start: start, width: b)
            start += b
        }
    }

    /// Whether Z = XWᵀ is made in tiles on the worker pool: each tile's dgemm packs a block of W again, which pays
    /// only while that block stays in cache (≤ 2¹⁶ doubles, 512 KB: d ≤ 64 at 1024-unit blocks). With d = 784 the
    /// tiles re-read 6 MB blocks from memory: the fresh Gram at (1024, 784, 8192) took 451 ms on one thread
    /// against 202 ms block by block.
    private var tilesPreactivations: Bool { blockWidth * dimension <= 1 << 16 }

    /// Whether W += BᵀR is made in tiles of units on the pool: each tile's dgemm packs R (n×d) again, which pays
    /// only while R stays in cache (≤ 2¹⁷ doubles, 1 MB).
    private var tilesUpdate: Bool { count * dimension <= 1 << 17 }

    /// `ngd_pack_signs_of_product` on the current W (tiles of rows, `blockWidth` units at a time): the signs into
    /// `bits` (n × words) and the output sums added to `sums` (n), each skipped when its array is empty. False
    /// when the kernel wrote nothing (its scratch could not be allocated).
    private func productTiles(bits: inout [UInt64], sums: inout [Double], inputGram: inout [Double]) -> Bool {
        let n = count, d = dimension, m = width, words = (m + 63) / 64, threads = Int32(clamping: kernelThreads)
        return BLAS.withOneThreadGEMM { gemm in
            inputs.storage.withUnsafeBufferPointer { px in
                weights.storage.withUnsafeBufferPointer { pw in
                    outputWeights.withUnsafeBufferPointer { pa in
                        bits.withUnsafeMutableBufferPointer { pb in
                            sums.withUnsafeMutableBufferPointer { ps in
                                inputGram.withUnsafeMutableBufferPointer { pg in
                                    guard let x = px.baseAddress, let w = pw.baseAddress, let a = pa.baseAddress else {
                                        return false
                                    }
                                    // An empty array may still have a base address: nil is what says "skip".
                                    return ngd_pack_signs_of_product(x, n, d, w, m, blockWidth, a,
                                                                     pb.isEmpty ? nil : pb.baseAddress, words,
                                                                     ps.isEmpty ? nil : ps.baseAddress,
                                                                     pg.isEmpty ? nil : pg.baseAddress, gemm, threads) == 0
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// block = X·W[start..<start+b]ᵀ (n×b).
    private mutating func computePreactivationBlock(start: Int, width b: Int) {
        let n = count, d = dimension
        inputs.storage.withUnsafeBufferPointer { px in
            weights.storage.withUnsafeBufferPointer { pw in
                block.withUnsafeMutableBufferPointer { pz in
                    BLAS.gemm(transposingA: false, transposingB: true, rows: n, columns: b, inner: d,
                              alpha: 1, a: px.baseAddress, lda: d, b: pw.baseAddress.map { $0 + start * d }, ldb: d,
                              beta: 0, c: pz.baseAddress, ldc: b)
                }
            }
        }
    }

    /// W += Bᵀ·R (R n×d) by `ngd_add_pattern_product`: tiles of units on the worker pool, each tile's n×t block of
    /// B (t ≤ 1024 units, at most 2¹⁷ doubles, so it stays in cache) multiplied into its rows of W. False when the
    /// kernel wrote nothing (its scratch could not be allocated).
    private mutating func addPatternProduct(pattern: ActivationPattern, rowCoefficients: [Double], rowFactor: Matrix) -> Bool {
        let n = count, d = dimension, m = width, threads = Int32(clamping: kernelThreads)
        let tile = 64 * Swift.max(1, Swift.min(16, (1 << 17) / (64 * n)))
        return BLAS.withOneThreadGEMM { gemm in
            pattern.words.withUnsafeBufferPointer { pb in
                rowCoefficients.withUnsafeBufferPointer { pc in
                    outputWeights.withUnsafeBufferPointer { pa in
                        rowFactor.storage.withUnsafeBufferPointer { pr in
                            weights.storage.withUnsafeMutableBufferPointer { pw in
                                guard let bits = pb.baseAddress, let c = pc.baseAddress, let a = pa.baseAddress,
                                      let r = pr.baseAddress, let w = pw.baseAddress else { return false }
                                return ngd_add_pattern_product(bits, pattern.wordsPerRow, n, m, tile, c, a, r, d, w,
                                                               gemm, threads) == 0
                            }
                        }
                    }
                }
            }
        }
    }

    /// W += Bᵀ·R and, in the update form, Z += S·B, with B_ir = scale·w_i·a_r·D_ir built one block of
    /// units at a time (R n×d: X or K-FAC's M; S n×n: XXᵀ or X·Mᵀ).
    private mutating func applyUpdate(pattern: ActivationPattern, rowWeights: [Double], scale: Double,
                                      rowFactor: Matrix, inputSide: Matrix?, rowFactorIsInputs: Bool,
                                      leftFactor: Matrix? = nil) {
        let n = count, d = dimension, m = width, words = pattern.wordsPerRow
        // GD/NGD (R = X) in the update form: defer the ΔW GEMM into the coefficients.
        let deferred = form == .inputGramUpdate && inputSide != nil && rowFactorIsInputs
        if deferred { hasPendingCoefficients = true }
        let rowCoefficients = rowWeights.map { scale * $0 }
        if !deferred, leftFactor == nil, inputSide == nil, tilesUpdate,
           addPatternProduct(pattern: pattern, rowCoefficients: rowCoefficients, rowFactor: rowFactor) {
            return
        }
        var start = 0
        while start < m {
            let b = Swift.min(blockWidth, m - start)
            // B's block (and, deferred without a left factor, C[:, block] += B in the same pass) over row blocks.
            let fused = deferred && leftFactor == nil
            pattern.words.withUnsafeBufferPointer { pb in
                outputWeights.withUnsafeBufferPointer { pa in
                    rowCoefficients.withUnsafeBufferPointer { pr in
                        block.withUnsafeMutableBufferPointer { pc in
                            coefficients.withUnsafeMutableBufferPointer { pk in
                                guard let bits = pb.baseAddress, let a = pa.baseAddress, let r = pr.baseAddress,
                                      let out = pc.baseAddress else { return }
                                ngd_pattern_coefficients(bits + start / 64, words, n, b, r, a + start, out, b,
                                                         fused ? pk.baseAddress.map { $0 + start } : nil, m,
                                                         Int32(clamping: kernelThreads))
                            }
                        }
                    }
                }
            }
            if let leftFactor {
                // B ← L·B (n×n times n×b), through the second scratch buffer.
                if transformedBlock.count != block.count { transformedBlock = [Double](repeating: 0, count: block.count) }
                leftFactor.storage.withUnsafeBufferPointer { pl in
                    block.withUnsafeBufferPointer { pb in
                        transformedBlock.withUnsafeMutableBufferPointer { pt in
                            BLAS.gemm(transposingA: false, transposingB: false, rows: n, columns: b, inner: n,
                                      alpha: 1, a: pl.baseAddress, lda: n, b: pb.baseAddress, ldb: b,
                                      beta: 0, c: pt.baseAddress, ldc: b)
                        }
                    }
                }
                swap(&block, &transformedBlock)
            }
            if fused {
                // C[:, block] += B was added with the block.
            } else if deferred {
                // C[:, block] += B (W = W_ref + CᵀX stays exact; the GEMM is paid at the next refresh).
                block.withUnsafeBufferPointer { pb in
                    coefficients.withUnsafeMutableBufferPointer { pc in
                        for i in 0..<n { for q in 0..<b { pc[i * m + start + q] += pb[i * b + q] } }
                    }
                }
            } else {
                block.withUnsafeBufferPointer { pc in
                    rowFactor.storage.withUnsafeBufferPointer { pr in
                        weights.storage.withUnsafeMutableBufferPointer { pw in
                            BLAS.gemm(transposingA: true, transposingB: false, rows: b, columns: d, inner: n,
                                      alpha: 1, a: pc.baseAddress, lda: b, b: pr.baseAddress, ldb: d,
                                      beta: 1, c: pw.baseAddress.map { $0 + start * d }, ldc: d)
                        }
                    }
                }
            }
            if let inputSide {
                block.withUnsafeBufferPointer { pc in
                    inputSide.storage.withUnsafeBufferPointer { ps in
                        preactivations.withUnsafeMutableBufferPointer { pz in
                            BLAS.gemm(transposingA: false, transposingB: false, rows: n, columns: b, inner: n,
                                      alpha: 1, a: ps.baseAddress, lda: n, b: pc.baseAddress, ldb: b,
                                      beta: 1, c: pz.baseAddress.map { $0 + start }, ldc: m)
                        }
                    }
                }
            }
            start += b
        }
    }
}
