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

    @Test func eigenvectorsAreTheColumnsForANonSymmetricEigenbasis() throws {
        // A 4×4 SPD matrix whose eigenvector matrix is not symmetric: a transposed V would fail A·v = λ·v.
        let x = randomMatrix(rows: 4, columns: 6, seed: 3)
        let a = x.gram()
        let eigen = try #require(SymmetricEigendecomposition(a))
        for j in 0..<4 {
            let v = eigen.vectors.column(j)
            #expect(maxAbsDifference(a.applied(to: v), v.map { $0 * eigen.values[j] }) < 1e-12)
        }
        var destroyed = a
        let values = try #require(Matrix.symmetricEigenvalues(destroying: &destroyed))
        #expect(maxAbsDifference(values, eigen.values) < 1e-12)
    }

    @Test func solvingInPlaceMatchesTheCopyingSolveOnEveryPath() throws {
        // Positive definite (Cholesky), singular with a failing pivot, and rank-deficient 6×6 of rank 3
        // (Cholesky may "succeed" on a rounding-level pivot): the in-place solve must rebuild A for the
        // pseudo-inverse whenever Cholesky is not used, and give the minimum-norm solution.
        let lowRank = randomMatrix(rows: 6, columns: 3, seed: 5).gram()
        let cases: [Matrix] = [spd, Matrix(rowArrays: [[1, 1], [1, 1]])!, lowRank]
        for a in cases {
            let b = Matrix.product(a, randomMatrix(rows: a.rows, columns: 2, seed: 9))   // in A's range
            let (copied, copiedReport) = try a.solvingSymmetric(b)
            var scratch = a
            let (inPlace, inPlaceReport) = try Matrix.solveSymmetric(overwriting: &scratch, b)
            #expect(copiedReport == inPlaceReport)
            #expect(maxAbsDifference(copied, inPlace) == 0)
            #expect(maxAbsDifference(Matrix.product(a, inPlace), b) < 1e-10)
            if inPlaceReport.method == .eigenPseudoInverse {
                let pinv = try #require(a.pseudoInverse())
                #expect(maxAbsDifference(inPlace, Matrix.product(pinv, b)) < 1e-10)
            }
        }
        #expect(try lowRank.solvingSymmetric(lowRank).report.method == .eigenPseudoInverse)
    }

    @Test func choleskyGivesItsInputBack() throws {
        let cholesky = try #require(CholeskyFactorization(spd))
        #expect(cholesky.input == spd)
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
