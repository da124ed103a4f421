import CLapack

/// Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix, from LAPACK `dsyevd`.
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
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            let info = v.storage.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "L")),
                                   lapack_int(n), pa.baseAddress, lapack_int(n), pw.baseAddress)
                }
            }
            guard info == 0 else { return nil }
        }
        values = w
        vectors = v
    }
}

extension Matrix {
    /// All eigenvalues of a symmetric matrix, ascending (`dsyevd` without vectors); `nil` on failure.
    public func symmetricEigenvalues() -> [Double]? {
        guard rows == columns, storage.allSatisfy({ $0.isFinite }) else { return nil }
        var a = self
        var w = [Double](repeating: 0, count: rows)
        guard rows > 0 else { return w }
        let info = a.storage.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "L")),
                               lapack_int(rows), pa.baseAddress, lapack_int(rows), pw.baseAddress)
            }
        }
        return info == 0 ? w : nil
    }

    /// The smallest and largest eigenvalue of a symmetric matrix; `nil` on failure.
    ///
    /// One values-only `dsyevd` call: its cost is the O(n³) tridiagonal reduction, which an index-range
    /// `dsyevr` would pay once per requested end, so asking for both ends together is the cheap query.
    public func extremeSymmetricEigenvalues() -> (min: Double, max: Double)? {
        guard rows > 0, let values = symmetricEigenvalues(), let low = values.first, let high = values.last else {
            return nil
        }
        return (low, high)
    }
}
