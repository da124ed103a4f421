import CKernels
import CLapack

/// LAPACKE's `lapack_int` is a C macro (int32_t in the Debian build), which Swift does not import.
typealias lapack_int = Int32

// Every BLAS call of the engine lives in this folder (see docs/ARCHITECTURE.md): a macOS Accelerate path
// replaces these few functions and nothing else. Matrices are row-major, so CblasRowMajor throughout.

extension Matrix {
    /// op(A)·op(B) with `op` = transpose when the flag is set (one `dgemm`).
    ///
    /// Dimensions are preconditions (programming errors, not user input): callers build the shapes.
    public static func product(_ a: Matrix, _ b: Matrix, transposingFirst: Bool = false,
                               transposingSecond: Bool = false, scaledBy alpha: Double = 1) -> Matrix {
        let (m, ka) = transposingFirst ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposingSecond ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(ka == kb, "product: inner dimensions \(ka) and \(kb) differ")
        guard m > 0, n > 0, ka > 0 else { return Matrix(rows: m, columns: n) }
        // With β = 0 dgemm writes C without reading it (BLAS: "C need not be set on input"), so C is not zeroed.
        return a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                Matrix(rows: m, columns: n) { pc in
                    BLAS.gemm(transposingA: transposingFirst, transposingB: transposingSecond, rows: m, columns: n,
                              inner: ka, alpha: alpha, a: pa.baseAddress, lda: max(a.columns, 1), b: pb.baseAddress,
                              ldb: max(b.columns, 1), beta: 0, c: pc.baseAddress, ldc: max(n, 1))
                }
            }
        }
    }

    /// A·Aᵀ (rows×rows, `transposing: false`) or Aᵀ·A (columns×columns, `transposing: true`) with one `dsyrk`;
    /// both triangles are filled so the result is an ordinary symmetric matrix.
    public func gram(transposing: Bool = false, scaledBy alpha: Double = 1) -> Matrix {
        let n = transposing ? columns : rows
        let k = transposing ? rows : columns
        var c = Matrix(rows: n, columns: n)
        guard n > 0, k > 0 else { return c }
        storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(CblasRowMajor, CblasUpper, transposing ? CblasTrans : CblasNoTrans,
                            blasint(n), blasint(k), alpha, pa.baseAddress, blasint(max(columns, 1)),
                            0, pc.baseAddress, blasint(n))
                for i in 0..<n {
                    for j in 0..<i { pc[i * n + j] = pc[j * n + i] }
                }
            }
        }
        return c
    }

    /// A·Aᵀ (rows×rows) with one `dsyrk`, its upper triangle only (the strict lower triangle is zero): for
    /// kernels that read one triangle and write both (`ActivationPattern.writeScaledGram`), which saves the
    /// serial mirroring pass of `gram()`.
    public func upperTriangleOfGram() -> Matrix {
        let n = rows, k = columns
        var c = Matrix(rows: n, columns: n)
        guard n > 0, k > 0 else { return c }
        storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, blasint(n), blasint(k), 1, pa.baseAddress,
                            blasint(k), 0, pc.baseAddress, blasint(n))
            }
        }
        return c
    }

    /// A·x for a vector x (one `dgemv`).
    public func applied(to x: [Double]) -> [Double] {
        precondition(x.count == columns, "applied(to:): vector length \(x.count) ≠ columns \(columns)")
        var y = [Double](repeating: 0, count: rows)
        guard rows > 0, columns > 0 else { return y }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(CblasRowMajor, CblasNoTrans, blasint(rows), blasint(columns), 1,
                                pa.baseAddress, blasint(columns), px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return y
    }
}

/// The raw BLAS entry points for hot loops that work on slices of larger buffers (blocks of units, with
/// leading dimensions): everything else goes through `Matrix`. Row-major, like `Matrix`.
enum BLAS {
    /// C ← α·op(A)·op(B) + β·C with op(A) rows×inner and op(B) inner×columns (one `dgemm`).
    static func gemm(transposingA: Bool, transposingB: Bool, rows: Int, columns: Int, inner: Int, alpha: Double = 1,
                     a: UnsafePointer<Double>?, lda: Int, b: UnsafePointer<Double>?, ldb: Int,
                     beta: Double, c: UnsafeMutablePointer<Double>?, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transposingA ? CblasTrans : CblasNoTrans, transposingB ? CblasTrans : CblasNoTrans,
                    blasint(rows), blasint(columns), blasint(inner), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    /// Threads the BLAS runs with (OPENBLAS_NUM_THREADS).
    static var threads: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with the BLAS on one thread, handing it a dgemm that the C tile kernels call from the worker
    /// pool's threads (each on its own tile, so the pool is the parallelism); the thread count is restored after.
    static func withOneThreadGEMM<Result>(_ body: (ngd_gemm_function) -> Result) -> Result {
        let saved = openblas_get_num_threads()
        if saved != 1 { openblas_set_num_threads(1) }
        defer { if saved != 1 { openblas_set_num_threads(saved) } }
        return body(rowMajorGEMM)
    }

    private static let rowMajorGEMM: ngd_gemm_function = { transposeA, transposeB, rows, columns, inner, alpha, a, lda,
                                                            b, ldb, beta, c, ldc in
        cblas_dgemm(CblasRowMajor, transposeA != 0 ? CblasTrans : CblasNoTrans, transposeB != 0 ? CblasTrans : CblasNoTrans,
                    blasint(rows), blasint(columns), blasint(inner), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }
}
