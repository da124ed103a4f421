import Testing
@testable import NGD

/// The deep network's structured kernels against explicit forms: J from central finite differences (exact for a
/// piecewise-linear net away from kinks, up to rounding), dense K-FAC factors, and the two-layer engine at L = 1.
@Suite struct DeepNetworkTests {
    static let shapes: [(depth: Int, outputs: Int)] = [(2, 1), (2, 2), (3, 1), (3, 2)]

    struct Fixture {
        var model: DeepReLU
        var inputs: Matrix
        var parameters: DeepParameters
        var jacobian: DeepJacobian
    }

    func fixture(depth: Int, outputs k: Int, trainsA: Bool = false, width: Int = 9, perturbA: Bool = false) -> Fixture {
        let data = Dataset.synthetic(count: 5, dimension: 3, outputs: k, seed: 4)
        let model = DeepReLU(inputDimension: 3, width: width, outputs: k, depth: depth)
        var p = model.initialParameters(initScale: 1, seed: 17)
        if perturbA { p.outputWeights.addScaled(randomMatrix(rows: width, columns: k, seed: 8), 0.3) }
        return Fixture(model: model, inputs: data.inputs, parameters: p,
                       jacobian: model.jacobian(on: data.inputs, parameters: p, includesOutputLayer: trainsA))
    }

    /// θ in the Jacobian's column order.
    func flatten(_ p: DeepParameters, trainsA: Bool) -> [Double] {
        p.hiddenWeights.flatMap(\.storage) + (trainsA ? p.outputWeights.storage : [])
    }

    func unflatten(_ theta: [Double], like p: DeepParameters) -> DeepParameters {
        var q = p, offset = 0
        for l in q.hiddenWeights.indices {
            let count = q.hiddenWeights[l].storage.count
            q.hiddenWeights[l].storage = Array(theta[offset..<(offset + count)])
            offset += count
        }
        if offset < theta.count { q.outputWeights.storage = Array(theta[offset...]) }
        return q
    }

    /// ∂f/∂θ by central differences, rows (i, c) → i·k + c.
    func finiteDifferenceJacobian(_ f: Fixture, trainsA: Bool) -> Matrix {
        let theta = flatten(f.parameters, trainsA: trainsA)
        let n = f.inputs.rows, k = f.model.outputs, h = 1e-6
        var j = Matrix(rows: n * k, columns: theta.count)
        for t in theta.indices {
            var plus = theta, minus = theta
            plus[t] += h
            minus[t] -= h
            let up = f.model.outputs(on: f.inputs, parameters: unflatten(plus, like: f.parameters))
            let down = f.model.outputs(on: f.inputs, parameters: unflatten(minus, like: f.parameters))
            for row in 0..<(n * k) { j[row, t] = (up.storage[row] - down.storage[row]) / (2 * h) }
        }
        return j
    }

    @Test func depthOneIsTheTwoLayerNetworkBitForBit() {
        let data = Dataset.synthetic(count: 6, dimension: 5, outputs: 2, seed: 1)
        let deep = DeepReLU(inputDimension: 5, width: 33, outputs: 2, depth: 1)
        let p = deep.initialParameters(initScale: 0.7, seed: 3)
        let two = deep.firstLayerModel.initialParameters(initScale: 0.7, seed: 3)
        #expect(p.firstLayer == two)
        #expect(deep.outputs(on: data.inputs, parameters: p) == deep.firstLayerModel.outputs(on: data.inputs,
                                                                                              parameters: two))
        let deeper = DeepReLU(inputDimension: 5, width: 33, outputs: 2, depth: 3).initialParameters(initScale: 0.7, seed: 3)
        #expect(deeper.firstLayer == two)   // W¹ and a are drawn first, so adding layers keeps them
        #expect(deeper.hiddenWeights[1].rows == 33 && deeper.hiddenWeights[2].columns == 33)
    }

    @Test(arguments: shapes)
    func structuredGramEqualsFiniteDifferenceJJt(depth: Int, outputs: Int) {
        for trainsA in [false, true] {
            let f = fixture(depth: depth, outputs: outputs, trainsA: trainsA, perturbA: trainsA)
            let explicit = finiteDifferenceJacobian(f, trainsA: trainsA).gram()
            let g = f.jacobian.gram()
            #expect(maxAbsDifference(g, explicit) < 1e-7 * (explicit.diagonal.max() ?? 1))
        }
    }

    @Test(arguments: shapes)
    func transposeAndForwardProductsEqualTheFiniteDifferenceJacobian(depth: Int, outputs k: Int) {
        for trainsA in [false, true] {
            let f = fixture(depth: depth, outputs: k, trainsA: trainsA, perturbA: trainsA)
            let j = finiteDifferenceJacobian(f, trainsA: trainsA)
            let v = randomMatrix(rows: 5, columns: k, seed: 2)
            let structured = flatten(f.jacobian.transposeApplied(to: v), trainsA: trainsA)
            let explicit = Matrix.product(j, v.reshaped(rows: 5 * k, columns: 1), transposingFirst: true).storage
            #expect(maxAbsDifference(structured, explicit) < 1e-7)
            let delta = unflatten(randomMatrix(rows: 1, columns: j.columns, seed: 6).storage, like: f.parameters)
            let forward = f.jacobian.applied(to: delta).storage
            #expect(maxAbsDifference(forward, j.applied(to: flatten(delta, trainsA: trainsA))) < 1e-7)
        }
    }

    /// The pseudo-inverse (or, with γ > 0, the inverse) of A + γI for a symmetric PSD A, by eigen-decomposition.
    func pseudoInverse(_ a: Matrix, damping gamma: Double) throws -> Matrix {
        var shifted = a
        for i in 0..<a.rows { shifted[i, i] += gamma }
        let eigen = try #require(SymmetricEigendecomposition(shifted))
        let cutoff = Double(a.rows) * Double.ulpOfOne * (eigen.values.map(abs).max() ?? 0) * 1e3
        var scaled = eigen.vectors
        for j in 0..<a.rows {
            let s = eigen.values[j] > cutoff ? 1 / eigen.values[j] : 0
            for i in 0..<a.rows { scaled[i, j] *= s }
        }
        return Matrix.product(scaled, eigen.vectors, transposingSecond: true)
    }

    @Test(arguments: [(2, 1, 0.0), (3, 2, 0.0), (2, 2, 0.05), (3, 1, 0.3)])
    func kfacStepEqualsTheDenseKroneckerFactorForm(depth: Int, outputs k: Int, damping: Double) throws {
        let f = fixture(depth: depth, outputs: k, width: 12)
        let g = randomMatrix(rows: 5, columns: k, seed: 12)
        let eta = 0.7
        let rule = DeepUpdate(optimizer: .kfac, learningRate: eta, damping: damping)
        let (delta, _) = try rule.delta(jacobian: f.jacobian, gram: f.jacobian.gram(), outputGradient: g)
        let gradient = f.jacobian.transposeApplied(to: g)
        for l in 0..<depth {
            let inputs = f.jacobian.layerInputs[l], factor = f.jacobian.backwardFactors[l]
            let a = inputs.gram(transposing: true)     // Aˡ = InᵀIn, dense
            let s = factor.gram(transposing: true)     // Sˡ = Σ Bk Bkᵀ, dense m×m
            let (gammaA, gammaS) = KFAC(learningRate: eta, damping: damping)
                .factorDamping(inputs: inputs, patternGram: factor.gram(), width: 12)
            if damping > 0 {   // π from the dense traces, as the contract states it
                let pi = ((a.diagonal.reduce(0, +) / Double(a.rows)) / (s.diagonal.reduce(0, +) / 12)).squareRoot()
                #expect(abs(gammaA - pi * damping.squareRoot()) < 1e-12 * gammaA)
                #expect(abs(gammaS - damping.squareRoot() / pi) < 1e-12 * gammaS)
            }
            var expected = Matrix.product(try pseudoInverse(s, damping: gammaS), gradient.hiddenWeights[l])
            expected = Matrix.product(expected, try pseudoInverse(a, damping: gammaA), scaledBy: -eta)
            let scale = expected.storage.map(abs).max() ?? 1
            #expect(maxAbsDifference(delta.hiddenWeights[l], expected) < 1e-8 * scale)
        }
    }

    @Test(arguments: [(1, 0.0), (2, 0.0), (1, 0.1)])
    func depthOneStepsEqualTheTwoLayerRules(outputs k: Int, damping: Double) throws {
        let data = Dataset.synthetic(count: 6, dimension: 8, outputs: k, seed: 2)
        let deep = DeepReLU(inputDimension: 8, width: 40, outputs: k, depth: 1)
        let p = deep.initialParameters(initScale: 1, seed: 9)
        let jacobian = deep.jacobian(on: data.inputs, parameters: p)
        let op = deep.firstLayerModel.jacobian(on: data.inputs, parameters: p.firstLayer)
        let inputGram = data.inputs.gram(), pattern = op.patternGram()
        let gram = op.gram(inputGram: inputGram, patternGram: pattern)
        #expect(maxAbsDifference(jacobian.gram(), gram) < 1e-14)
        let g = randomMatrix(rows: 6, columns: k, seed: 4)
        let state = OptimizationState(parameters: p.firstLayer, jacobian: op, inputGram: inputGram,
                                      patternGram: pattern, gram: gram, outputGradient: g)
        let twoLayer: [(OptimizerKind, UpdateRule)] = [
            (.gd, GradientDescent(learningRate: 0.3)), (.ngd, NaturalGradient(learningRate: 0.3, damping: damping)),
            (.kfac, KFAC(learningRate: 0.3, damping: damping)),
        ]
        for (kind, rule) in twoLayer {
            let expected = try rule.update(for: state).delta.hiddenWeights
            let (delta, _) = try DeepUpdate(optimizer: kind, learningRate: 0.3, damping: damping)
                .delta(jacobian: jacobian, gram: gram, outputGradient: g)
            let scale = expected.storage.map(abs).max() ?? 1
            #expect(maxAbsDifference(delta.hiddenWeights[0], expected) < 1e-10 * scale, "\(kind)")
        }
    }

    @Test(arguments: [2, 3])
    func jacobianDriftEqualsTheExplicitDifference(depth: Int) throws {
        let f = fixture(depth: depth, outputs: 2, width: 10)
        var moved = f.parameters
        for l in moved.hiddenWeights.indices {
            moved.hiddenWeights[l].addScaled(randomMatrix(rows: 10, columns: moved.hiddenWeights[l].columns,
                                                          seed: UInt64(30 + l)), 0.05)
        }
        let later = f.model.jacobian(on: f.inputs, parameters: moved)
        let drift = DeepJacobianDrift(from: f.jacobian, to: later)
        let j0 = finiteDifferenceJacobian(f, trainsA: false)
        var j1 = finiteDifferenceJacobian(Fixture(model: f.model, inputs: f.inputs, parameters: moved,
                                                  jacobian: later), trainsA: false)
        j1.addScaled(j0, -1)
        #expect(abs(drift.frobenius - j1.frobeniusNorm) < 1e-6 * j1.frobeniusNorm)
        let top = try #require(j1.gram().extremeSymmetricEigenvalues()).max.squareRoot()
        #expect(abs(drift.spectral - top) < 1e-6 * top)
        #expect(drift.layerFrobenius.count == depth && drift.layerSpectral.allSatisfy { $0 <= drift.spectral + 1e-12 })
        let squares = drift.layerFrobenius.reduce(0) { $0 + $1 * $1 }
        #expect(abs(squares - drift.frobenius * drift.frobenius) < 1e-9 * squares)
    }
}
