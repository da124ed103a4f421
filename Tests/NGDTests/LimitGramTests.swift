import Foundation
import Testing
@testable import NGD

@Suite struct LimitGramTests {
    @Test func closedFormMatchesMonteCarlo() {
        let x = Dataset.synthetic(count: 6, dimension: 5, seed: 1).inputs
        let exact = LimitGram.closedForm(x)
        let estimate = LimitGram.monteCarlo(x, samples: 40_000, seed: 2)
        // Entry std ≤ 0.5/√N ≈ 2.5e-3; 1e-2 is four standard errors.
        #expect(maxAbsDifference(exact, estimate) < 1e-2)
    }

    @Test func closedFormEntriesFollowTheArccosFormula() {
        let x = Dataset.synthetic(count: 5, dimension: 3, seed: 4).inputs
        let h = LimitGram.closedForm(x)
        let norms = x.rowSquaredNorms()
        for i in 0..<5 {
            #expect(h[i, i] == norms[i] / 2)              // ‖x_i‖²/2 exactly …
            #expect(abs(h[i, i] - 0.5) <= 1e-15)          // … which is 1/2 up to the rounding of the unit norm
            for j in 0..<5 where j != i {
                let c = zip(x.row(i), x.row(j)).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(h[i, j] - c * (Double.pi - acos(c)) / (2 * Double.pi)) < 1e-15)
            }
        }
    }

    @Test func diagonalIsExactlyOneHalfForUnitRows() {
        let x = Matrix(rowArrays: [[0.6, 0.8, 0], [0, 0, 1], [1, 0, 0], [-0.8, 0, 0.6]])!
        let h = LimitGram.closedForm(x)
        #expect(h.diagonal == [0.5, 0.5, 0.5, 0.5])
    }

    @Test func diagonalIsHalfTheSquaredNormForNonUnitRows() {
        let x = Matrix(rowArrays: [[3, 4], [0, 2]])!
        let h = LimitGram.closedForm(x)
        #expect(h[0, 0] == 12.5 && h[1, 1] == 2)
    }

    @Test func parallelRowsStayFiniteAndGiveAZeroEigenvalue() throws {
        // A row and its rescaled copy: rounding can push the cosine past 1, where a bare arccos is NaN.
        let v = [0.1, 0.7, -0.3]
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        let x = Matrix(rowArrays: [v.map { $0 / norm }, v.map { $0 * 3 / (3 * norm) }, [1, 0, 0]])!
        let h = LimitGram.closedForm(x)
        #expect(h.storage.allSatisfy { $0.isFinite })
        let lambda0 = try #require(LimitGram.lambda0(of: x))
        #expect(abs(lambda0) < 1e-12)
    }

    @Test func lambda0ShrinksAsANearDuplicatePairApproaches() throws {
        let base = Dataset.synthetic(count: 8, dimension: 6, seed: 5).inputs
        var rng = Xoshiro256StarStar(seed: 9)
        let z = (0..<6).map { _ in rng.nextNormal() }
        var values: [Double] = []
        for epsilon in [0.5, 0.1, 0.02, 0.004] {
            var x = base
            var row = (0..<6).map { base[0, $0] + epsilon * z[$0] }
            let norm = row.map { $0 * $0 }.reduce(0, +).squareRoot()
            row = row.map { $0 / norm }
            for j in 0..<6 { x[7, j] = row[j] }
            values.append(try #require(LimitGram.lambda0(of: x)))
        }
        #expect(values.allSatisfy { $0 > 0 })
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 > $1 })
        #expect(values.last! < values.first! / 50)
    }

    @Test func generalizationQuantityIsSmallerForSmoothLabels() throws {
        // Labels that are a smooth function of x (aligned with H∞'s top eigenvectors) vs random labels.
        let data = Dataset.synthetic(count: 40, dimension: 5, seed: 6)
        var smooth = Matrix(rows: 40, columns: 1)
        for i in 0..<40 { smooth[i, 0] = data.inputs[i, 0] > 0 ? 1 : -1 }
        var rng = Xoshiro256StarStar(seed: 1)
        var random = Matrix(rows: 40, columns: 1)
        for i in 0..<40 { random[i, 0] = rng.nextSign() }
        let aligned = try LimitGram.generalizationBound(inputs: data.inputs, targets: smooth)
        let noisy = try LimitGram.generalizationBound(inputs: data.inputs, targets: random)
        #expect(aligned < noisy)
    }
}
