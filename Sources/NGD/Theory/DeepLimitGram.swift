#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The infinite-width NTK Θ of the L-layer ReLU network (docs/DEEP-THEORY.md):
/// g¹ = W¹x (W¹ entries N(0, ν²)), hˡ = ReLU(gˡ), g^{l+1} = √(2/m)·W^{l+1}hˡ (entries N(0, 1)),
/// f = (1/√m)·aᵀh^L with a fixed. With Σ¹ = ν²xᵀx′, E(l) = E[ReLU(u)ReLU(v)] and Ė(l) = E[ReLU′(u)ReLU′(v)]
/// under (u, v) ~ N(0, Σˡ): Σ^{l+1} = 2E(l), layer inputs I¹ = xᵀx′, I^{l+1} = Σ^{l+1}, backward factors
/// B^L = Ė(L), Bˡ = 2Ė(l)B^{l+1}, and Θ = Σₗ Iˡ∘Bˡ. Depth 1 is `LimitGram.closedForm` (H∞).
public enum DeepLimitGram {
    /// The default input variance ν² (the model's default `--init-scale` ν = 1).
    public static let defaultInputVariance = 1.0

    /// Θ (n×n) for unit or general nonzero rows.
    ///
    /// The diagonal of Σˡ is ν²‖x‖² at every layer (2E(l) on the diagonal is Σˡₓₓ), so each entry needs only
    /// the cosine recursion c^{l+1} = (sin θₗ + (π − θₗ)cos θₗ)/π with the scale ν²‖x‖‖x′‖; cos θ is clamped to
    /// [−1, 1] before arccos. The diagonal is set to its exact value ‖x‖²/2 + (L − 1)ν²‖x‖²/2 (θ = 0), so depth 1
    /// reproduces `LimitGram.closedForm` bit for bit (the same expressions in the same order).
    public static func closedForm(_ inputs: Matrix, depth: Int,
                                  inputVariance: Double = defaultInputVariance) throws -> Matrix {
        try validate(inputs, depth: depth, inputVariance: inputVariance)
        let n = inputs.rows
        var theta = inputs.gram()
        let squaredNorms = inputs.rowSquaredNorms()
        let norms = squaredNorms.map { $0.squareRoot() }
        var cosines = [Double](repeating: 0, count: depth)
        for i in 0..<n {
            theta[i, i] = squaredNorms[i] / 2 + Double(depth - 1) * inputVariance * squaredNorms[i] / 2
            for j in 0..<i {
                let dot = theta[i, j]
                let value = entry(dot: dot, normProduct: norms[i] * norms[j], depth: depth,
                                  inputVariance: inputVariance, cosines: &cosines)
                theta[i, j] = value
                theta[j, i] = value
            }
        }
        return theta
    }

    /// Θ ⊗ I_k (nk×nk, row (i, c) at i·k + c, the Gram's ordering for k outputs): the limit of G₀ with k outputs.
    public static func closedForm(_ inputs: Matrix, depth: Int, inputVariance: Double = defaultInputVariance,
                                  outputs k: Int) throws -> Matrix {
        guard k >= 1 else { throw NGDError("outputs", "expected at least one output, got \(k)", usage: true) }
        let theta = try closedForm(inputs, depth: depth, inputVariance: inputVariance)
        let n = theta.rows
        var expanded = Matrix(rows: n * k, columns: n * k)
        for i in 0..<n { for j in 0..<n { for c in 0..<k { expanded[i * k + c, j * k + c] = theta[i, j] } } }
        return expanded
    }

    /// λ₀ = λ_min(Θ), the deep analogue of Du et al.'s λ₀.
    public static func lambda0(of inputs: Matrix, depth: Int,
                               inputVariance: Double = defaultInputVariance) throws -> Double {
        let theta = try closedForm(inputs, depth: depth, inputVariance: inputVariance)
        guard let extremes = theta.extremeSymmetricEigenvalues() else {
            throw NGDError("deep limit Gram", "the eigenvalue computation of Θ failed")
        }
        return extremes.min
    }

    /// ‖G₀ − Θ ⊗ I_k‖₂ for an empirical Gram `gram` (nk×nk, row (i, c) at i·k + c) of the net with hidden
    /// weights only trained, on `inputs` (n rows): what `ngd analyze --depth L` reports beside λ₀. Pass
    /// ν² = (--init-scale)² as `inputVariance`.
    public static func spectralGap(of gram: Matrix, inputs: Matrix, depth: Int,
                                   inputVariance: Double = defaultInputVariance) throws -> Double {
        let n = inputs.rows
        guard n > 0, gram.rows == gram.columns, gram.rows % n == 0 else {
            throw NGDError("deep limit Gram", "a \(gram.rows)×\(gram.columns) Gram does not fit \(n) inputs")
        }
        let k = gram.rows / n
        let theta = try closedForm(inputs, depth: depth, inputVariance: inputVariance)
        var difference = gram
        for i in 0..<n { for j in 0..<n { for c in 0..<k { difference[i * k + c, j * k + c] -= theta[i, j] } } }
        guard let extremes = difference.extremeSymmetricEigenvalues() else {
            throw NGDError("deep limit Gram", "the eigenvalue computation of G₀ − Θ failed")
        }
        return max(abs(extremes.min), abs(extremes.max))
    }

    /// One off-diagonal entry: the forward cosines c¹…c^L, then Σₗ Iˡ·Bˡ accumulated from the last layer back.
    /// Bˡ is carried unnormalised as Pˡ = 2π·Bˡ (P^L = π − θ_L, Pˡ = P^{l+1}(π − θₗ)/π) so that depth 1 evaluates
    /// `dot·(π − θ)/(2π)` exactly as `LimitGram` does.
    static func entry(dot: Double, normProduct: Double, depth: Int, inputVariance: Double,
                      cosines: inout [Double]) -> Double {
        var cosine = min(1, max(-1, dot / normProduct))
        for l in 0..<depth {
            cosines[l] = cosine
            let angle = acos(cosine)
            cosine = min(1, max(-1, (sin(angle) + (Double.pi - angle) * cosine) / Double.pi))
        }
        let scale = inputVariance * normProduct      // √(Σₓₓ Σₓ′ₓ′), the same at every layer
        var total = 0.0
        var backward = 1.0                           // Π_{l′>l} (π − θ_l′)/π, then times (π − θ_l)
        for l in stride(from: depth - 1, through: 0, by: -1) {
            let opening = Double.pi - acos(cosines[l])
            let product = l == depth - 1 ? opening : backward * opening / Double.pi
            let input = l == 0 ? dot : scale * cosines[l]        // I¹ = xᵀx′, I^{l+1} = Σ^{l+1}
            total += input * product / (2 * Double.pi)
            backward = product
        }
        return total
    }

    static func validate(_ inputs: Matrix, depth: Int, inputVariance: Double) throws {
        guard depth >= 1 else { throw NGDError("--depth", "expected a depth L ≥ 1, got \(depth)", usage: true) }
        guard inputVariance > 0, inputVariance.isFinite else {
            throw NGDError("input variance", "expected a positive finite ν², got \(inputVariance)", usage: true)
        }
        for (i, squaredNorm) in inputs.rowSquaredNorms().enumerated() {
            guard squaredNorm.isFinite else {
                throw NGDError("inputs", "row \(i + 1) has a non-finite entry; Θ needs finite inputs")
            }
            guard squaredNorm > 0 else {
                throw NGDError("inputs", "row \(i + 1) is zero; Θ's angles need nonzero inputs")
            }
        }
    }
}
