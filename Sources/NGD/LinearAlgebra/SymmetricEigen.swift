import CLapack

/// Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix, from LAPACK `dsyevd`.
///
/// Like the Cholesky wrapper, LAPACK runs column-major on the row-major storage ("U" = the row-major lower
/// triangle), which spares LAPACKE's two transposed n×n copies.
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues in ascending order.
    public var values: [Double]
    /// Eigenvectors as columns: column j belongs to `values[j]`.
    public var vectors: Matrix

    /// Decomposes the symmetric matrix `a` (lower triangle read). `nil` when `a` is not square or LAPACK
    /// does not converge (e.g. non-finite entries).
    public init?(_ a: Matrix) {
        guard a.rows == a.columns, a.storage.allSatisfy({ $0.isFinite }) else { return nil }
        let n = a.rows
        var v = a
        guard let w = Matrix.symmetricEigen(of: &v, vectors: true) else { return nil }
        // Column-major eigenvectors are the rows of the row-major storage: transpose in place.
        v.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { for j in 0..<i { p.swapAt(i * n + j, j * n + i) } }
        }
        values = w
        vectors = v
    }
}

extension Matrix {
    /// `dsyevd` on `a`'s storage (lower triangle read, contents destroyed; with `vectors`, the eigenvectors
    /// are left column-major, i.e. as the rows of `a`). Eigenvalues ascending; `nil` on failure.
    fileprivate static func symmetricEigen(of a: inout Matrix, vectors: Bool) -> [Double]? {
        let n = a.rows
        var w = [Double](repeating: 0, count: n)
        guard n > 0 else { return w }
        let info = a.storage.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: vectors ? "V" : "N")), CChar(UInt8(ascii: "U")),
                               lapack_int(n), pa.baseAddress, lapack_int(n), pw.baseAddress)
            }
        }
        return info == 0 ? w : nil
    }

    /// All eigenvalues of a symmetric matrix, ascending (`dsyevd` without vectors); `nil` on failure.
    public func symmetricEigenvalues() -> [Double]? {
        var a = self
        return Matrix.symmetricEigenvalues(destroying: &a)
    }

    /// `symmetricEigenvalues()` computed in `a`'s own storage, which it destroys: no n×n copy, for callers that
    /// are done with the matrix.
    public static func symmetricEigenvalues(destroying a: inout Matrix) -> [Double]? {
        guard a.rows == a.columns, a.storage.allSatisfy({ $0.isFinite }) else { return nil }
        return symmetricEigen(of: &a, vectors: false)
    }

    /// The smallest and largest eigenvalue of a symmetric matrix; `nil` on failure.
    ///
    /// One values-only `dsyevd` call: its cost is the O(n³) tridiagonal reduction, which an index-range
    /// `dsyevr` would pay once per requested end, so asking for both ends together is the cheap query.
    public func extremeSymmetricEigenvalues() -> (min: Double, max: Double)? {
        var a = self
        return Matrix.extremeSymmetricEigenvalues(destroying: &a)
    }

    /// `extremeSymmetricEigenvalues()` in `a`'s own storage, which it destroys.
    public static func extremeSymmetricEigenvalues(destroying a: inout Matrix) -> (min: Double, max: Double)? {
        guard a.rows > 0, let values = symmetricEigenvalues(destroying: &a), let low = values.first,
              let high = values.last else { return nil }
        return (low, high)
    }
}
