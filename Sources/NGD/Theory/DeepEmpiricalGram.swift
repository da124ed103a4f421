/// The finite-width counterpart of `DeepLimitGram`: the empirical NTK G = J·Jᵀ of one L-layer ReLU net with one
/// output, computed as Σₗ (Inˡ Inˡᵀ)∘(Bkˡ Bkˡᵀ) from GEMMs — Inˡ the layer input as it multiplies Wˡ (In¹ = X,
/// In^{l+1} = √(2/m)·hˡ) and Bkˡ = ∂f/∂gˡ (n×m) — never the n×p Jacobian. Averaged over random nets it is the
/// Monte Carlo estimator of Θ that the closed form is tested against.
public enum DeepEmpiricalGram {
    /// A sampled net: W¹ (m×d), W²…W^L (m×m) and the output signs a (m).
    public struct Weights: Equatable, Sendable {
        public var layers: [Matrix]
        public var output: [Double]

        public init(layers: [Matrix], output: [Double]) {
            self.layers = layers
            self.output = output
        }

        /// W¹ entries ν·N(0, 1), a ∈ {±1}, then W^{l≥2} entries N(0, 1), from one `Xoshiro256StarStar(seed:)`
        /// stream in that order, each matrix row by row: the deep model's draw order (at depth 1 the two-layer
        /// model's), so the same seed gives the same net.
        public init(inputDimension d: Int, width m: Int, depth: Int, inputVariance: Double, seed: UInt64) {
            var rng = Xoshiro256StarStar(seed: seed)
            let nu = inputVariance.squareRoot()
            var first = Matrix(rows: m, columns: d)
            for t in 0..<(m * d) { first.storage[t] = nu * rng.nextNormal() }
            self.output = (0..<m).map { _ in rng.nextSign() }
            var layers = [first]
            for _ in 1..<max(depth, 1) {
                var w = Matrix(rows: m, columns: m)
                for t in 0..<(m * m) { w.storage[t] = rng.nextNormal() }
                layers.append(w)
            }
            self.layers = layers
        }
    }

    /// G (n×n) of the net `weights` on `inputs`: one forward GEMM and one backward GEMM per layer, one `dsyrk`
    /// per factor, and an n×n Hadamard product per layer.
    public static func gram(_ inputs: Matrix, weights: Weights) -> Matrix {
        let m = weights.output.count
        let layerScale = (2 / Double(m)).squareRoot()
        // Forward: layer inputs In¹…In^L and the activity masks of g¹…g^L.
        var layerInputs = [inputs]
        var masks: [Matrix] = []
        for (l, w) in weights.layers.enumerated() {
            let g = Matrix.product(layerInputs[l], w, transposingSecond: true)   // n×m
            masks.append(g.activityMask())
            if l + 1 < weights.layers.count {
                var input = g.rectified()
                input.scaleEntries(by: layerScale)
                layerInputs.append(input)
            }
        }
        // Backward: Bk^L = (1/√m)·a∘1{g^L ≥ 0}, Bkˡ = (√(2/m)·Bk^{l+1}W^{l+1})∘1{gˡ ≥ 0}.
        let n = inputs.rows
        var backward = Matrix(rows: n, columns: m)
        let outputScale = 1 / Double(m).squareRoot()
        for i in 0..<n { for r in 0..<m { backward[i, r] = outputScale * weights.output[r] } }
        backward.multiplyElementwise(by: masks[masks.count - 1])
        var gram = Matrix(rows: n, columns: n)
        for l in stride(from: weights.layers.count - 1, through: 0, by: -1) {
            var term = layerInputs[l].gram()
            term.multiplyElementwise(by: backward.gram())
            gram.addScaled(term, 1)
            if l > 0 {
                backward = Matrix.product(backward, weights.layers[l], scaledBy: layerScale)
                backward.multiplyElementwise(by: masks[l - 1])
            }
        }
        return gram
    }

    /// The mean of G over `networks` independent nets (seeds `seed`, `seed + 1`, …): the Monte Carlo estimate of
    /// Θ at width m, with per-entry error O((m·networks)^(−1/2)).
    public static func monteCarlo(_ inputs: Matrix, depth: Int, width: Int, networks: Int = 1,
                                  inputVariance: Double = DeepLimitGram.defaultInputVariance,
                                  seed: UInt64) throws -> Matrix {
        try DeepLimitGram.validate(inputs, depth: depth, inputVariance: inputVariance)
        guard width >= 1, networks >= 1 else {
            throw NGDError("Monte Carlo", "expected width ≥ 1 and at least one net, got \(width) and \(networks)",
                           usage: true)
        }
        var mean = Matrix(rows: inputs.rows, columns: inputs.rows)
        for t in 0..<networks {
            let weights = Weights(inputDimension: inputs.columns, width: width, depth: depth,
                                  inputVariance: inputVariance, seed: seed &+ UInt64(t))
            mean.addScaled(gram(inputs, weights: weights), 1 / Double(networks))
        }
        return mean
    }
}

// fileprivate: the deep model in Sources/NGD/Deep keeps its own kernels; these serve the estimator only.
extension Matrix {
    /// 1{x ≥ 0} element-wise (ReLU′ with ReLU′(0) = 1, the convention of `ActivationPattern`).
    fileprivate func activityMask() -> Matrix {
        var out = self
        out.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = p[i] >= 0 ? 1 : 0 }
        }
        return out
    }

    /// self ∘= other (same shape).
    fileprivate mutating func multiplyElementwise(by other: Matrix) {
        precondition(rows == other.rows && columns == other.columns, "multiplyElementwise: shape mismatch")
        other.storage.withUnsafeBufferPointer { src in
            storage.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] *= src[i] }
            }
        }
    }

    /// self ·= scale element-wise.
    fileprivate mutating func scaleEntries(by scale: Double) {
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] *= scale }
        }
    }
}
