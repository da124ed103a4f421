/// How a symmetric positive (semi)definite system was solved, recorded in step metrics and run summaries
/// so that a fallback away from the exact solve is never silent.
public struct SolveReport: Codable, Hashable, Sendable {
    public enum Method: String, Codable, Hashable, Sendable {
        /// Cholesky (`dpotrf`, then two triangular solves) on A + damping·I: the exact solve.
        case cholesky
        /// Cholesky failed, or succeeded with a reciprocal condition number below n·ε (A numerically
        /// singular): eigen-decomposition of A + damping·I with eigenvalues ≤ `cutoff` discarded, i.e. a
        /// pseudo-inverse solve.
        case eigenPseudoInverse = "eigen-pinv"
    }

    public var method: Method
    /// The Tikhonov damping added to the diagonal before solving.
    public var damping: Double
    /// Eigenvalue cut-off of the pseudo-inverse (nil for Cholesky).
    public var cutoff: Double?
    /// Number of eigen-directions dropped by the pseudo-inverse (0 for Cholesky).
    public var discardedDirections: Int

    public var isFallback: Bool { method != .cholesky }
}

extension Matrix {
    /// Solves (A + damping·I)·X = B for a symmetric positive semidefinite A (`self`).
    ///
    /// Tries Cholesky first; if it fails or reports 1/κ₁ < n·ε (an exactly singular matrix can factor with a
    /// rounding-level pivot, which would blow the null-space component up to noise), falls back to the eigen
    /// pseudo-inverse with the LAPACK-style cut-off n·ε·|μ|_max (μ = eigenvalues of A + damping·I). The
    /// returned report says which path ran. Throws only if even the eigen-decomposition fails (non-finite input).
    public func solvingSymmetric(_ b: Matrix, damping: Double = 0,
                                 source: String = "solver") throws -> (solution: Matrix, report: SolveReport) {
        var a = self
        return try Matrix.solveSymmetric(overwriting: &a, b, damping: damping, source: source)
    }

    /// `solvingSymmetric` that factors A in its own storage, for callers that no longer need A: no n×n copy.
    /// `a` is left unspecified (empty after a Cholesky solve).
    public static func solveSymmetric(overwriting a: inout Matrix, _ b: Matrix, damping: Double = 0,
                                      source: String = "solver") throws -> (solution: Matrix, report: SolveReport) {
        precondition(a.rows == a.columns && b.rows == a.rows, "solvingSymmetric: shape mismatch")
        let n = a.rows
        if damping != 0 { for i in 0..<n { a[i, i] += damping } }
        let damped: Matrix   // A + damping·I again, for the fallback
        if let cholesky = CholeskyFactorization(overwriting: &a) {
            if cholesky.reciprocalCondition >= Double(n) * Double.ulpOfOne {
                return (cholesky.solve(b), SolveReport(method: .cholesky, damping: damping, cutoff: nil,
                                                       discardedDirections: 0))
            }
            damped = cholesky.input
        } else {
            damped = a   // given back unchanged
        }
        guard let eigen = SymmetricEigendecomposition(damped) else {
            throw NGDError(source, "eigen-decomposition failed (matrix has non-finite entries)")
        }
        let largest = eigen.values.map(abs).max() ?? 0
        let cutoff = Double(n) * Double.ulpOfOne * largest
        // X = V · diag(1/μ for μ > cutoff) · Vᵀ · B
        var coefficients = Matrix.product(eigen.vectors, b, transposingFirst: true)
        var discarded = 0
        for j in 0..<n {
            let mu = eigen.values[j]
            let scale: Double
            if mu > cutoff { scale = 1 / mu } else { scale = 0; discarded += 1 }
            for c in 0..<coefficients.columns { coefficients[j, c] *= scale }
        }
        let x = Matrix.product(eigen.vectors, coefficients)
        return (x, SolveReport(method: .eigenPseudoInverse, damping: damping, cutoff: cutoff,
                               discardedDirections: discarded))
    }
}
