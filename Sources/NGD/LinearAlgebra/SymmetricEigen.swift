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

    /// The smallest and largest eigenvalue of a symmetric matrix, from two index-range `dsyevr` calls
    /// (cheaper than the full spectrum: only the tridiagonal reduction is O(n³)). `nil` on failure.
    public func extremeSymmetricEigenvalues() -> (min: Double, max: Double)? {
        guard rows == columns, rows > 0, storage.allSatisfy({ $0.isFinite }) else { return nil }
        let n = rows
        func eigenvalue(index: Int) -> Double? {
            var a = self
            var found: lapack_int = 0
            var w = [Double](repeating: 0, count: n)
            var z = [Double](repeating: 0, count: 1)
            var support = [lapack_int](repeating: 0, count: 2)
            let info = a.storage.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    z.withUnsafeMutableBufferPointer { pz in
                        support.withUnsafeMutableBufferPointer { ps in
                            LAPACKE_dsyevr(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "I")),
                                           CChar(UInt8(ascii: "L")), lapack_int(n), pa.baseAddress, lapack_int(n),
                                           0, 0, lapack_int(index), lapack_int(index), 0, &found, pw.baseAddress,
                                           pz.baseAddress, 1, ps.baseAddress)
                        }
                    }
                }
            }
            return info == 0 && found == 1 ? w[0] : nil
        }
        guard let low = eigenvalue(index: 1), let high = eigenvalue(index: n) else { return nil }
        return (low, high)
    }
}
