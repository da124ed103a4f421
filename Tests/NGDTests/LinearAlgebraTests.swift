import Testing
@testable import NGD

@Suite struct LinearAlgebraTests {
    let spd = Matrix(rowArrays: [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]])!

    @Test func productHonoursTransposeFlags() {
        let a = Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])!          // 2×3
        let b = Matrix(rowArrays: [[1, 0], [0, 1], [1, 1]])!        // 3×2
        #expect(Matrix.product(a, b) == Matrix(rowArrays: [[4, 5], [10, 11]])!)
        #expect(Matrix.product(a, a, transposingSecond: true) == Matrix(rowArrays: [[14, 32], [32, 77]])!)
        #expect(Matrix.product(a, a, transposingFirst: true) == Matrix(rowArrays: [[17, 22, 27], [22, 29, 36], [27, 36, 45]])!)
        #expect(Matrix.product(b, a, transposingFirst: true, transposingSecond: true, scaledBy: 2)
                == Matrix.product(a, b).transposed.scaled(2))
    }

    @Test func gramMatchesProductBothWays() {
        let a = randomMatrix(rows: 5, columns: 3, seed: 1)
        #expect(maxAbsDifference(a.gram(), Matrix.product(a, a, transposingSecond: true)) < 1e-14)
        #expect(maxAbsDifference(a.gram(transposing: true), Matrix.product(a, a, transposingFirst: true)) < 1e-14)
    }

    @Test func choleskySolvesKnownSystem() throws {
        let x = Matrix(rowArrays: [[1, -1], [2, 0.5], [-3, 2]])!
        let b = Matrix.product(spd, x)
        let cholesky = try #require(CholeskyFactorization(spd))
        #expect(maxAbsDifference(cholesky.solve(b), x) < 1e-13)
        let l = cholesky.lower
        #expect(maxAbsDifference(Matrix.product(l, l, transposingSecond: true), spd) < 1e-13)
    }

    @Test func choleskyReportsFailureOnIndefiniteAndSingularMatrices() {
        #expect(CholeskyFactorization(Matrix(rowArrays: [[1, 2], [2, 1]])!) == nil)
        #expect(CholeskyFactorization(Matrix(rowArrays: [[1, 1], [1, 1]])!) == nil)
        #expect(CholeskyFactorization(Matrix(rowArrays: [[1, .nan], [.nan, 1]])!) == nil)
        #expect(CholeskyFactorization(Matrix(rows: 2, columns: 3)) == nil)
    }

    @Test func symmetricEigenOfKnownMatrix() throws {
        let a = Matrix(rowArrays: [[2, 1], [1, 2]])!
        let eigen = try #require(SymmetricEigendecomposition(a))
        #expect(maxAbsDifference(eigen.values, [1, 3]) < 1e-14)
        // A·v = λ·v for each column.
        for j in 0..<2 {
            let v = eigen.vectors.column(j)
            #expect(maxAbsDifference(a.applied(to: v), v.map { $0 * eigen.values[j] }) < 1e-14)
        }
        let extremes = try #require(spd.extremeSymmetricEigenvalues())
        let all = try #require(spd.symmetricEigenvalues())
        #expect(abs(extremes.min - all[0]) < 1e-13 && abs(extremes.max - all[2]) < 1e-13)
    }

    @Test func svdReconstructsAndPseudoInverseOfRankDeficientMatrix() throws {
        // Rank 1: [1 2; 2 4; 3 6] = u vᵀ with u = (1,2,3), v = (1,2); A⁺ = A ᵀ/(‖u‖²‖v‖²).
        let a = Matrix(rowArrays: [[1, 2], [2, 4], [3, 6]])!
        let svd = try #require(SingularValueDecomposition(a))
        #expect(abs(svd.singularValues[0] - (14.0 * 5).squareRoot()) < 1e-13)
        #expect(svd.singularValues[1] < 1e-14)
        let pinv = try #require(a.pseudoInverse())
        #expect(maxAbsDifference(pinv, a.transposed.scaled(1.0 / 70)) < 1e-14)
    }

    @Test func symmetricSolveFallsBackToPseudoInverseAndSaysSo() throws {
        let singular = Matrix(rowArrays: [[1, 1], [1, 1]])!
        let b = Matrix(rowArrays: [[2], [2]])!
        let (x, report) = try singular.solvingSymmetric(b)
        #expect(report.method == .eigenPseudoInverse)
        #expect(report.discardedDirections == 1)
        #expect(report.cutoff != nil)
        #expect(maxAbsDifference(x, Matrix(rowArrays: [[1], [1]])!) < 1e-14)   // minimum-norm solution
        let b3 = Matrix(rowArrays: [[1], [-2], [0.5]])!
        let (y, exact) = try spd.solvingSymmetric(b3, damping: 0.5)
        #expect(exact.method == .cholesky && exact.damping == 0.5)
        var damped = spd
        for i in 0..<3 { damped[i, i] += 0.5 }
        #expect(maxAbsDifference(Matrix.product(damped, y), b3) < 1e-13)
    }

    @Test func blasProvenanceIsReported() {
        let info = BLASInfo.current
        #expect(!info.coreName.isEmpty && info.coreName != "unknown")
        #expect(info.configuration.contains("OpenBLAS"))
        #expect(info.threads >= 1)
    }
}

extension Matrix {
    func scaled(_ s: Double) -> Matrix {
        var out = self
        for t in 0..<out.storage.count { out.storage[t] *= s }
        return out
    }
}
