#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The infinite-width Gram matrix H∞ of the two-layer ReLU network (Du et al. 2019):
/// H∞_ij = E_{w~N(0,I)}[x_iᵀx_j·1{wᵀx_i ≥ 0}·1{wᵀx_j ≥ 0}] = x_iᵀx_j·(π − θ_ij)/(2π),
/// θ_ij the angle between x_i and x_j. Independent of the init scale ν (the indicator is scale-free).
public enum LimitGram {
    /// The closed form. The cosine is clamped to [−1, 1] before arccos (rounding can push |cos| past 1 for
    /// near-parallel rows, where arccos would return NaN); the diagonal is set to exactly ‖x_i‖²/2
    /// (θ_ii = 0), which is 1/2 for unit rows.
    public static func closedForm(_ inputs: Matrix) -> Matrix {
        let n = inputs.rows
        var h = inputs.gram()
        let squaredNorms = inputs.rowSquaredNorms()
        let norms = squaredNorms.map { $0.squareRoot() }
        for i in 0..<n {
            for j in 0..<n {
                if i == j { h[i, j] = squaredNorms[i] / 2; continue }
                let dot = h[i, j]
                let scale = norms[i] * norms[j]
                guard scale > 0 else { h[i, j] = 0; continue }
                let cosine = min(1, max(-1, dot / scale))
                h[i, j] = dot * (Double.pi - acos(cosine)) / (2 * Double.pi)
            }
        }
        return h
    }

    /// Monte Carlo estimate with `samples` draws of w ~ N(0, I_d) from `Xoshiro256StarStar(seed:)`
    /// (each w drawn as d consecutive normals). For tests and for illustrating the O(N^{-1/2}) error.
    public static func monteCarlo(_ inputs: Matrix, samples: Int, seed: UInt64) -> Matrix {
        let d = inputs.columns
        var rng = Xoshiro256StarStar(seed: seed)
        var w = Matrix(rows: samples, columns: d)
        for t in 0..<(samples * d) { w.storage[t] = rng.nextNormal() }
        let z = Matrix.product(inputs, w, transposingSecond: true)      // n×N
        var h = inputs.gram()
        // h_ij ·= (shared active samples)/N: the pattern Gram's kernel, with the same two roundings.
        ActivationPattern(preactivations: z).scaleBySharedActiveFraction(&h, threads: BLAS.threads)
        return h
    }

    /// λ₀ = λ_min(H∞); nil if the eigen solver fails.
    public static func lambda0(of inputs: Matrix) -> Double? {
        closedForm(inputs).extremeSymmetricEigenvalues()?.min
    }

    /// Arora et al.'s data-dependent generalisation quantity √(2·Σ_c y_cᵀ(H∞)⁻¹y_c / n) over the target
    /// columns y_c (pseudo-inverse if H∞ is singular).
    public static func generalizationBound(inputs: Matrix, targets: Matrix) throws -> Double {
        let h = closedForm(inputs)
        let (solved, _) = try h.solvingSymmetric(targets, source: "H∞ solve")
        return (2 * targets.dot(solved) / Double(inputs.rows)).squareRoot()
    }
}
