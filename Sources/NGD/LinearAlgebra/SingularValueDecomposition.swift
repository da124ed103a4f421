import CLapack

/// The thin SVD A = U·diag(σ)·Vᵀ from LAPACK `dgesdd` (divide and conquer).
public struct SingularValueDecomposition: Sendable {
    /// rows×r left singular vectors (r = min(rows, columns)), as columns.
    public var u: Matrix
    /// Singular values, descending.
    public var singularValues: [Double]
    /// r×columns: the right singular vectors as rows.
    public var vTransposed: Matrix

    /// `nil` when LAPACK does not converge or `a` has non-finite entries.
    public init?(_ a: Matrix) {
        guard a.storage.allSatisfy({ $0.isFinite }) else { return nil }
        let m = a.rows, n = a.columns, r = min(m, n)
        var work = a
        var s = [Double](repeating: 0, count: r)
        var uu = Matrix(rows: m, columns: r)
        var vt = Matrix(rows: r, columns: n)
        if r > 0 {
            let info = work.storage.withUnsafeMutableBufferPointer { pa in
                s.withUnsafeMutableBufferPointer { ps in
                    uu.storage.withUnsafeMutableBufferPointer { pu in
                        vt.storage.withUnsafeMutableBufferPointer { pv in
                            LAPACKE_dgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), lapack_int(m), lapack_int(n),
                                           pa.baseAddress, lapack_int(n), ps.baseAddress, pu.baseAddress,
                                           lapack_int(r), pv.baseAddress, lapack_int(n))
                        }
                    }
                }
            }
            guard info == 0 else { return nil }
        }
        u = uu
        singularValues = s
        vTransposed = vt
    }

    /// The cut-off below which singular values count as zero in a pseudo-inverse: σ_max·max(m,n)·ε
    /// unless `relativeCutoff` is given (then σ_max·relativeCutoff).
    public func cutoff(relativeCutoff: Double? = nil) -> Double {
        let top = singularValues.first ?? 0
        let relative = relativeCutoff ?? Double(max(u.rows, vTransposed.columns)) * Double.ulpOfOne
        return top * relative
    }

    /// X = A⁺·B, the minimum-norm least-squares solution of A·X ≈ B.
    public func pseudoInverseSolve(_ b: Matrix, relativeCutoff: Double? = nil) -> Matrix {
        precondition(b.rows == u.rows, "pseudoInverseSolve: right-hand side has \(b.rows) rows, expected \(u.rows)")
        let tol = cutoff(relativeCutoff: relativeCutoff)
        var coefficients = Matrix.product(u, b, transposingFirst: true)   // r×p
        for j in 0..<singularValues.count {
            let s = singularValues[j]
            let scale = s > tol ? 1 / s : 0
            for c in 0..<coefficients.columns { coefficients[j, c] *= scale }
        }
        return Matrix.product(vTransposed, coefficients, transposingFirst: true)
    }
}

extension Matrix {
    /// The Moore–Penrose pseudo-inverse via SVD; `nil` if the SVD fails.
    public func pseudoInverse(relativeCutoff: Double? = nil) -> Matrix? {
        guard let svd = SingularValueDecomposition(self) else { return nil }
        return svd.pseudoInverseSolve(Matrix.identity(rows), relativeCutoff: relativeCutoff)
    }
}
