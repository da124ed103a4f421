import Foundation
import Testing
@testable import NGD

@Suite struct DeepEmpiricalGramTests {
    @Test(arguments: [2, 3])
    func structuredGramEqualsFiniteDifferenceJJTransposeOnTinyNets(depth: Int) throws {
        let x = Dataset.synthetic(count: 4, dimension: 3, seed: 5).inputs
        for seed in UInt64(1)...4 {
            let weights = DeepEmpiricalGram.Weights(inputDimension: 3, width: 5, depth: depth, inputVariance: 1,
                                                     seed: seed)
            let jacobian = finiteDifferenceJacobian(x, weights)
            let explicit = Matrix.product(jacobian, jacobian, transposingSecond: true)
            let structured = DeepEmpiricalGram.gram(x, weights: weights)
            #expect(maxAbsDifference(structured, explicit) <= 1e-7 * max(1, explicit.frobeniusNorm))
        }
    }

    @Test func depthOneNetIsTheTwoLayerPatternGram() throws {
        let x = Dataset.synthetic(count: 7, dimension: 4, seed: 6).inputs
        let weights = DeepEmpiricalGram.Weights(inputDimension: 4, width: 50, depth: 1, inputVariance: 1, seed: 9)
        let model = TwoLayerReLU(inputDimension: 4, width: 50)
        let p = model.initialParameters(initScale: 1, seed: 9)
        #expect(weights.layers[0] == p.hiddenWeights && weights.output == p.outputWeights.storage)
        let twoLayer = model.jacobian(on: x, parameters: p).gram(inputGram: x.gram())
        #expect(maxAbsDifference(DeepEmpiricalGram.gram(x, weights: weights), twoLayer) <= 1e-14)
    }

    /// R nets at width m: the mean Gram's Frobenius error against Θ is within four of its own standard errors
    /// (E‖Ḡ − Θ‖²_F = Σᵢⱼ Var(Gᵢⱼ)/R up to an O(1/m) bias), and that standard error shrinks like m^(−1/2).
    @Test(arguments: [2, 3])
    func monteCarloGramConvergesToTheClosedFormAsWidthGrows(depth: Int) throws {
        let x = Dataset.synthetic(count: 8, dimension: 5, seed: 12).inputs
        let theta = try DeepLimitGram.closedForm(x, depth: depth)
        let nets = 16
        var errors: [Double] = [], standardErrors: [Double] = []
        for width in [64, 256, 1024] {
            let samples = (0..<nets).map { t in
                DeepEmpiricalGram.gram(x, weights: DeepEmpiricalGram.Weights(
                    inputDimension: 5, width: width, depth: depth, inputVariance: 1, seed: 100 + UInt64(t)))
            }
            let (error, standardError) = meanErrorAndStandardError(samples, against: theta)
            #expect(error <= 4 * standardError)
            errors.append(error / theta.frobeniusNorm)
            standardErrors.append(standardError / theta.frobeniusNorm)
        }
        // Width ×16 ⇒ standard error ÷4; ask for ÷2. Measured: 1.9 % (L = 2) and 2.5 % (L = 3) at m = 1024.
        #expect(standardErrors[2] < standardErrors[0] / 2)
        #expect(errors[2] < 0.05)
    }

    @Test func spectralGapIsTheNormOfGramMinusThetaAndShrinksWithWidth() throws {
        let x = Dataset.synthetic(count: 6, dimension: 4, seed: 3).inputs
        let theta = try DeepLimitGram.closedForm(x, depth: 2, inputVariance: 0.5)
        var gaps: [Double] = []
        for width in [32, 2048] {
            let g = try DeepEmpiricalGram.monteCarlo(x, depth: 2, width: width, networks: 4, inputVariance: 0.5,
                                                     seed: 21)
            var difference = g
            difference.addScaled(theta, -1)
            let all = try #require(difference.symmetricEigenvalues())
            let gap = try DeepLimitGram.spectralGap(of: g, inputs: x, depth: 2, inputVariance: 0.5)
            #expect(abs(gap - (try #require(all.map(abs).max()))) <= 1e-12)
            gaps.append(gap)
        }
        #expect(gaps[1] < gaps[0] / 2)
        let wrongSize = Matrix(rows: 5, columns: 5)
        #expect(throws: NGDError.self) { try DeepLimitGram.spectralGap(of: wrongSize, inputs: x, depth: 2) }
    }

    @Test func monteCarloAveragesNetsDrawnFromConsecutiveSeeds() throws {
        let x = Dataset.synthetic(count: 5, dimension: 3, seed: 4).inputs
        let mean = try DeepEmpiricalGram.monteCarlo(x, depth: 2, width: 16, networks: 3, seed: 40)
        var manual = Matrix(rows: 5, columns: 5)
        for t in UInt64(0)..<3 {
            let w = DeepEmpiricalGram.Weights(inputDimension: 3, width: 16, depth: 2, inputVariance: 1, seed: 40 + t)
            manual.addScaled(DeepEmpiricalGram.gram(x, weights: w), 1.0 / 3)
        }
        #expect(maxAbsDifference(mean, manual) <= 1e-15)
    }
}

/// ‖Ḡ − Θ‖_F and its standard error √(Σᵢⱼ s²ᵢⱼ/R) from the sample variances s²ᵢⱼ of R Grams.
func meanErrorAndStandardError(_ samples: [Matrix], against theta: Matrix) -> (Double, Double) {
    let r = Double(samples.count)
    var squaredError = 0.0, variance = 0.0
    for e in 0..<theta.storage.count {
        let values = samples.map { $0.storage[e] }
        let mean = values.reduce(0, +) / r
        squaredError += (mean - theta.storage[e]) * (mean - theta.storage[e])
        variance += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (r - 1) / r
    }
    return (squaredError.squareRoot(), variance.squareRoot())
}

/// f(x) of the pinned L-layer net, written out loop by loop.
func deepOutput(_ x: [Double], _ weights: DeepEmpiricalGram.Weights) -> Double {
    let m = weights.output.count
    var h = x
    for (l, w) in weights.layers.enumerated() {
        let scale = l == 0 ? 1 : (2 / Double(m)).squareRoot()
        h = (0..<m).map { r in max(0, scale * (0..<h.count).reduce(0) { $0 + w[r, $1] * h[$1] }) }
    }
    return zip(weights.output, h).reduce(0) { $0 + $1.0 * $1.1 } / Double(m).squareRoot()
}

/// ∂f(xᵢ)/∂θ by central differences over W¹…W^L (row-major, layer after layer).
func finiteDifferenceJacobian(_ x: Matrix, _ weights: DeepEmpiricalGram.Weights) -> Matrix {
    let p = weights.layers.reduce(0) { $0 + $1.storage.count }
    var jacobian = Matrix(rows: x.rows, columns: p)
    let step = 1e-6
    var column = 0
    for l in weights.layers.indices {
        for e in weights.layers[l].storage.indices {
            var plus = weights, minus = weights
            plus.layers[l].storage[e] += step
            minus.layers[l].storage[e] -= step
            for i in 0..<x.rows {
                jacobian[i, column] = (deepOutput(x.row(i), plus) - deepOutput(x.row(i), minus)) / (2 * step)
            }
            column += 1
        }
    }
    return jacobian
}
