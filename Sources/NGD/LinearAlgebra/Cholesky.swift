import CLapack

/// The Cholesky factor L (A = L·Lᵀ) of a symmetric positive-definite matrix, from LAPACK `dpotrf`.
///
/// Creation fails (returns `nil`, never crashes) when A is not numerically positive definite, which is
/// how callers detect a singular Gram matrix and switch to an eigen/pseudo-inverse solve.
///
/// LAPACK is called column-major on the row-major storage: a symmetric matrix's row-major lower triangle is
/// its column-major upper one, so "U" there factors in place, without the two n×n transposed copies that
/// LAPACKE's row-major wrappers make.
public struct CholeskyFactorization: Sendable {
    /// Row-major storage whose lower triangle holds L; the strict upper triangle still holds A's.
    private var factor: Matrix
    /// A's diagonal, which the factorisation overwrote: with the upper triangle it gives A back.
    private let inputDiagonal: [Double]
    /// LAPACK's estimate (`dpocon`) of 1/κ₁(A). A "successful" factorisation of an exactly singular matrix
    /// can end on a rounding-level positive pivot; callers compare this with n·ε to catch that.
    public let reciprocalCondition: Double

    /// Factors the symmetric matrix `a` (only its lower triangle is read); `nil` if `a` is not square or
    /// `dpotrf` reports a non-positive pivot.
    public init?(_ a: Matrix) {
        var copy = a
        self.init(overwriting: &copy)
    }

    /// Factors `a` in its own storage (no n×n copy): on success `a` is left empty and the factor owns the
    /// storage; on failure `a` is given back unchanged.
    init?(overwriting a: inout Matrix) {
        guard a.rows == a.columns else { return nil }
        let n = a.rows
        let diagonal = (0..<n).map { a[$0, $0] }
        var rcond = 1.0
        if n > 0 {
            let upper = CChar(UInt8(ascii: "U"))
            let anorm = a.storage.withUnsafeBufferPointer { p in
                LAPACKE_dlansy(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "1")), upper, lapack_int(n), p.baseAddress,
                               lapack_int(n))
            }
            let info = a.storage.withUnsafeMutableBufferPointer { p in
                LAPACKE_dpotrf(LAPACK_COL_MAJOR, upper, lapack_int(n), p.baseAddress, lapack_int(n))
            }
            // A factor with non-finite entries (Inf/NaN input) is no factor.
            guard info == 0, a.storage.allSatisfy({ $0.isFinite }) else {
                Self.restore(&a, diagonal: diagonal)
                return nil
            }
            let conditionInfo = a.storage.withUnsafeBufferPointer { p in
                LAPACKE_dpocon(LAPACK_COL_MAJOR, upper, lapack_int(n), p.baseAddress, lapack_int(n), anorm, &rcond)
            }
            if conditionInfo != 0 { rcond = 0 }
        }
        factor = a
        a = Matrix(rows: 0, columns: 0)
        inputDiagonal = diagonal
        reciprocalCondition = rcond
    }

    /// A itself again, from the untouched strict upper triangle and the saved diagonal.
    public var input: Matrix {
        var a = factor
        Self.restore(&a, diagonal: inputDiagonal)
        return a
    }

    /// Rebuilds a symmetric matrix whose lower triangle and diagonal were overwritten.
    private static func restore(_ a: inout Matrix, diagonal: [Double]) {
        let n = a.rows
        a.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                p[i * n + i] = diagonal[i]
                for j in 0..<i { p[i * n + j] = p[j * n + i] }
            }
        }
    }

    public var dimension: Int { factor.rows }

    /// L as a matrix (zeros above the diagonal).
    public var lower: Matrix {
        var l = factor
        let n = l.rows
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { l[i, j] = 0 } }
        return l
    }

    /// Solves A·X = B for X (B has `dimension` rows, any number of columns): L·Y = B, then Lᵀ·X = Y, two
    /// row-major `dtrsm` calls on B's own copy.
    public func solve(_ b: Matrix) -> Matrix {
        precondition(b.rows == dimension, "Cholesky solve: right-hand side has \(b.rows) rows, expected \(dimension)")
        var x = b
        guard dimension > 0, b.columns > 0 else { return x }
        factor.storage.withUnsafeBufferPointer { pf in
            x.storage.withUnsafeMutableBufferPointer { px in
                for transpose in [CblasNoTrans, CblasTrans] {
                    cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, transpose, CblasNonUnit, blasint(dimension),
                                blasint(b.columns), 1, pf.baseAddress, blasint(dimension), px.baseAddress,
                                blasint(b.columns))
                }
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
