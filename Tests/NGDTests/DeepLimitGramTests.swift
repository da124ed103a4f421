import Foundation
import Testing
@testable import NGD

@Suite struct DeepLimitGramTests {
    @Test(arguments: [1.0, 0.09, 4.0])
    func depthOneIsTheTwoLayerLimitGramBitForBit(inputVariance: Double) throws {
        let x = Dataset.synthetic(count: 9, dimension: 4, seed: 3).inputs
        let deep = try DeepLimitGram.closedForm(x, depth: 1, inputVariance: inputVariance)
        #expect(deep == LimitGram.closedForm(x))
        #expect(try DeepLimitGram.lambda0(of: x, depth: 1) == LimitGram.lambda0(of: x))
    }

    @Test func entriesFollowTheIssuesLayerRecursionWrittenOut() throws {
        // An independent, literal evaluation: Σ entries (not cosines), E and Ė from their formulas.
        let raw = Matrix(rowArrays: [[1.0, 0.5, -0.2], [0.3, -1.2, 0.7], [-0.9, 0.1, 0.4], [2.0, 0.0, 1.0]])!
        for (depth, nu2) in [(2, 1.0), (3, 1.0), (3, 0.25), (4, 2.0)] {
            let theta = try DeepLimitGram.closedForm(raw, depth: depth, inputVariance: nu2)
            for i in 0..<raw.rows {
                for j in 0..<raw.rows {
                    let expected = literalTheta(raw.row(i), raw.row(j), depth: depth, inputVariance: nu2)
                    #expect(abs(theta[i, j] - expected) <= 1e-13 * max(1, abs(expected)))
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 5])
    func unitRowDiagonalIsOneHalfPlusHalfNuSquaredPerExtraLayer(depth: Int) throws {
        let x = Dataset.synthetic(count: 6, dimension: 5, seed: 8).inputs
        for nu2 in [1.0, 0.5] {
            let theta = try DeepLimitGram.closedForm(x, depth: depth, inputVariance: nu2)
            let expected = (1 + Double(depth - 1) * nu2) / 2             // L/2 at ν = 1
            for i in 0..<6 { #expect(abs(theta[i, i] - expected) <= 1e-15 * Double(depth)) }
            // The exact diagonal is the limit of the off-diagonal formula as x′ → x.
            var cosines = [Double](repeating: 0, count: depth)
            let limit = DeepLimitGram.entry(dot: 1, normProduct: 1, depth: depth, inputVariance: nu2,
                                            cosines: &cosines)
            #expect(abs(limit - expected) <= 1e-14)
        }
    }

    @Test(arguments: [1, 2, 3, 6])
    func closedFormIsSymmetricAndPositiveDefinite(depth: Int) throws {
        let x = Dataset.synthetic(count: 24, dimension: 6, seed: 11).inputs
        let theta = try DeepLimitGram.closedForm(x, depth: depth)
        #expect(theta == theta.transposed)
        let extremes = try #require(theta.extremeSymmetricEigenvalues())
        #expect(extremes.min > 0)
        #expect(try DeepLimitGram.lambda0(of: x, depth: depth) == extremes.min)
    }

    @Test func nearlyParallelRowsStayFiniteAndBounded() throws {
        let x = Matrix(rowArrays: [[1, 1e-9, 0], [1, 0, 0], [-1, 0, 1e-12], [0.6, 0.8, 0]])!
        let theta = try DeepLimitGram.closedForm(x, depth: 4)
        #expect(theta.storage.allSatisfy { $0.isFinite })
        for i in 0..<4 { for j in 0..<4 { #expect(abs(theta[i, j]) <= theta[i, i] + 1e-12) } }
    }

    @Test func expansionToKOutputsIsThetaKroneckerIdentity() throws {
        let x = Dataset.synthetic(count: 3, dimension: 4, seed: 2).inputs
        let theta = try DeepLimitGram.closedForm(x, depth: 2)
        let expanded = try DeepLimitGram.closedForm(x, depth: 2, outputs: 2)
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(expanded[2 * i, 2 * j] == theta[i, j] && expanded[2 * i + 1, 2 * j + 1] == theta[i, j])
                #expect(expanded[2 * i, 2 * j + 1] == 0 && expanded[2 * i + 1, 2 * j] == 0)
            }
        }
    }

    @Test func badInputsAreTypedErrors() {
        let zeroRow = Matrix(rowArrays: [[1, 0], [0, 0]])!
        #expect(throws: NGDError.self) { try DeepLimitGram.closedForm(zeroRow, depth: 2) }
        let x = Matrix(rowArrays: [[1, 0], [0, 1]])!
        #expect(throws: NGDError.self) { try DeepLimitGram.closedForm(x, depth: 0) }
        #expect(throws: NGDError.self) { try DeepLimitGram.closedForm(x, depth: 2, inputVariance: 0) }
        #expect(throws: NGDError.self) { try DeepLimitGram.closedForm(x, depth: 2, inputVariance: .nan) }
        let infinite = Matrix(rowArrays: [[1, .infinity], [0, 1]])!
        #expect(throws: NGDError.self) { try DeepLimitGram.lambda0(of: infinite, depth: 1) }
        #expect(throws: NGDError.self) { try DeepEmpiricalGram.monteCarlo(x, depth: 2, width: 0, seed: 1) }
    }
}

/// Θ(x, x′) straight from the pinned formulas, one pair at a time, with full 2×2 covariances Σˡ.
func literalTheta(_ x: [Double], _ y: [Double], depth: Int, inputVariance nu2: Double) -> Double {
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    var sxx = nu2 * dot(x, x), syy = nu2 * dot(y, y), sxy = nu2 * dot(x, y)
    var inputs = [dot(x, y)]
    var eDot: [Double] = []
    for l in 0..<depth {
        let angle = acos(min(1, max(-1, sxy / (sxx * syy).squareRoot())))
        eDot.append((Double.pi - angle) / (2 * Double.pi))
        let e = (sxx * syy).squareRoot() / (2 * Double.pi) * (sin(angle) + (Double.pi - angle) * cos(angle))
        let exx = sxx / 2, eyy = syy / 2              // E(l) on the diagonal: θ = 0
        (sxx, syy, sxy) = (2 * exx, 2 * eyy, 2 * e)
        if l + 1 < depth { inputs.append(sxy) }
    }
    var b = eDot[depth - 1]
    var total = inputs[depth - 1] * b
    for l in stride(from: depth - 2, through: 0, by: -1) {
        b = 2 * eDot[l] * b
        total += inputs[l] * b
    }
    return total
}
