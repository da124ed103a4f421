import CLapack

/// The Cholesky factor L (A = L·Lᵀ) of a symmetric positive-definite matrix, from LAPACK `dpotrf`.
///
/// Creation fails (returns `nil`, never crashes) when A is not numerically positive definite, which is
/// how callers detect a singular Gram matrix and switch to an eigen/pseudo-inverse solve.
public struct CholeskyFactorization: Sendable {
    /// Row-major storage whose lower triangle holds L (the upper triangle is stale input).
    private var factor: Matrix
    /// LAPACK's estimate (`dpocon`) of 1/κ₁(A). A "successful" factorisation of an exactly singular matrix
    /// can end on a rounding-level positive pivot; callers compare this with n·ε to catch that.
    public let reciprocalCondition: Double

    /// Factors the symmetric matrix `a` (only its lower triangle is read); `nil` if `a` is not square or
    /// `dpotrf` reports a non-positive pivot.
    public init?(_ a: Matrix) {
        guard a.rows == a.columns else { return nil }
        var f = a
        let n = a.rows
        var rcond = 1.0
        if n > 0 {
            let anorm = a.storage.withUnsafeBufferPointer { p in
                LAPACKE_dlansy(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "1")), CChar(UInt8(ascii: "L")), lapack_int(n),
                               p.baseAddress, lapack_int(n))
            }
            let info = f.storage.withUnsafeMutableBufferPointer { p in
                LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), lapack_int(n), p.baseAddress,
                               lapack_int(n))
            }
            guard info == 0 else { return nil }
            // A factor with non-finite entries (Inf/NaN input) is no factor.
            guard f.storage.allSatisfy({ $0.isFinite }) else { return nil }
            let conditionInfo = f.storage.withUnsafeBufferPointer { p in
                LAPACKE_dpocon(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), lapack_int(n), p.baseAddress,
                               lapack_int(n), anorm, &rcond)
            }
            if conditionInfo != 0 { rcond = 0 }
        }
        factor = f
        reciprocalCondition = rcond
    }

    public var dimension: Int { factor.rows }

    /// L as a matrix (zeros above the diagonal).
    public var lower: Matrix {
        var l = factor
        let n = l.rows
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { l[i, j] = 0 } }
        return l
    }

    /// Solves A·X = B for X (B has `dimension` rows, any number of columns) with `dpotrs`.
    public func solve(_ b: Matrix) -> Matrix {
        precondition(b.rows == dimension, "Cholesky solve: right-hand side has \(b.rows) rows, expected \(dimension)")
        var x = b
        guard dimension > 0, b.columns > 0 else { return x }
        factor.storage.withUnsafeBufferPointer { pf in
            x.storage.withUnsafeMutableBufferPointer { px in
                _ = LAPACKE_dpotrs(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), lapack_int(dimension),
                                   lapack_int(b.columns), pf.baseAddress, lapack_int(dimension), px.baseAddress,
                                   lapack_int(b.columns))
            }
        }
        return x
    }

    /// Solves A·x = b for a vector.
    public func solve(_ b: [Double]) -> [Double] {
        guard let column = Matrix(rows: b.count, columns: 1, storage: b) else { return b }
        return solve(column).storage
    }
}
