import Testing
@testable import NGD

/// The structured kernels against the Jacobian formed explicitly (tiny nets only).
@Suite struct JacobianTests {
    static let cases: [(outputs: Int, trainsA: Bool)] = [(1, false), (2, false), (3, false), (1, true), (2, true)]

    func setup(outputs k: Int, trainsA: Bool, width m: Int = 70) -> (Matrix, NetworkParameters, JacobianOperator, Matrix) {
        let data = Dataset.synthetic(count: 7, dimension: 4, outputs: k, seed: 3)
        let model = TwoLayerReLU(inputDimension: 4, width: m, outputs: k)
        var p = model.initialParameters(initScale: 1, seed: 11)
        if trainsA { p = perturbedOutputWeights(p, seed: 5) }
        let op = model.jacobian(on: data.inputs, parameters: p, includesOutputLayer: trainsA)
        let explicit = explicitJacobian(inputs: data.inputs, parameters: p, includesOutputLayer: trainsA)
        return (data.inputs, p, op, explicit)
    }

    @Test(arguments: cases)
    func structuredGramEqualsExplicitJJt(outputs: Int, trainsA: Bool) {
        let (x, _, op, j) = setup(outputs: outputs, trainsA: trainsA)
        #expect(op.hasSignOutputWeights == !trainsA)
        let g = op.gram(inputGram: x.gram())
        #expect(maxAbsDifference(g, j.gram()) < 1e-13)
    }

    @Test func popcountGramIsExactlyTheCountOfSharedActiveUnits() {
        let (_, p, op, _) = setup(outputs: 2, trainsA: false, width: 130)
        let pattern = op.patternGram()
        for i in 0..<7 {
            for jj in 0..<7 {
                var same = 0, cross = 0
                for r in 0..<130 where op.pattern.isActive(example: i, unit: r) && op.pattern.isActive(example: jj, unit: r) {
                    same += 1
                    cross += Int(p.outputWeights[r, 0] * p.outputWeights[r, 1])
                }
                #expect(pattern[i * 2, jj * 2] == Double(same) / 130)
                #expect(pattern[i * 2 + 1, jj * 2 + 1] == Double(same) / 130)
                #expect(pattern[i * 2, jj * 2 + 1] == Double(cross) / 130)
            }
        }
    }

    @Test(arguments: cases)
    func transposeProductEqualsExplicit(outputs k: Int, trainsA: Bool) {
        let (_, _, op, j) = setup(outputs: k, trainsA: trainsA)
        let v = randomMatrix(rows: 7, columns: k, seed: 9)
        let structured = op.transposeApplied(to: v)
        let explicit = Matrix.product(j, v.reshaped(rows: 7 * k, columns: 1), transposingFirst: true).storage
        #expect(maxAbsDifference(flatten(structured, includesOutputLayer: trainsA), explicit) < 1e-13)
        if !trainsA { #expect(structured.outputWeights.frobeniusNorm == 0) }
    }

    @Test(arguments: cases)
    func forwardProductEqualsExplicit(outputs k: Int, trainsA: Bool) {
        let (_, p, op, j) = setup(outputs: k, trainsA: trainsA)
        var delta = p.zero
        delta.hiddenWeights = randomMatrix(rows: p.hiddenWeights.rows, columns: 4, seed: 21)
        if trainsA { delta.outputWeights = randomMatrix(rows: p.outputWeights.rows, columns: k, seed: 22) }
        let structured = op.applied(to: delta).storage
        let explicit = j.applied(to: flatten(delta, includesOutputLayer: trainsA))
        #expect(maxAbsDifference(structured, explicit) < 1e-13)
    }

    @Test(arguments: cases)
    func jacobianMatchesCentralFiniteDifferences(outputs k: Int, trainsA: Bool) {
        let data = Dataset.synthetic(count: 5, dimension: 3, outputs: k, seed: 4)
        let model = TwoLayerReLU(inputDimension: 3, width: 12, outputs: k)
        var p = model.initialParameters(initScale: 1, seed: 2)
        if trainsA { p = perturbedOutputWeights(p, seed: 8) }
        let j = explicitJacobian(inputs: data.inputs, parameters: p, includesOutputLayer: trainsA)
        let h = 1e-6
        let theta = flatten(p, includesOutputLayer: trainsA)
        var worst = 0.0
        for column in 0..<theta.count {
            func outputs(shift: Double) -> [Double] {
                var q = p
                if column < p.hiddenWeights.storage.count { q.hiddenWeights.storage[column] += shift }
                else { q.outputWeights.storage[column - p.hiddenWeights.storage.count] += shift }
                return model.outputs(on: data.inputs, parameters: q).storage
            }
            let plus = outputs(shift: h), minus = outputs(shift: -h)
            for row in 0..<j.rows {
                worst = max(worst, abs((plus[row] - minus[row]) / (2 * h) - j[row, column]))
            }
        }
        // A kink |w_rᵀx_i| < h would break this; with random weights the margin is ≫ 1e-6.
        #expect(worst < 1e-8)
        // The structured operator agrees with the same explicit matrix.
        let op = model.jacobian(on: data.inputs, parameters: p, includesOutputLayer: trainsA)
        #expect(abs(op.squaredFrobeniusNorm() - j.frobeniusNorm * j.frobeniusNorm) < 1e-12)
    }

    @Test(arguments: cases)
    func driftIdentityEqualsExplicitDifference(outputs k: Int, trainsA: Bool) {
        let data = Dataset.synthetic(count: 7, dimension: 4, outputs: k, seed: 3)
        let model = TwoLayerReLU(inputDimension: 4, width: 70, outputs: k)
        let p0 = model.initialParameters(initScale: 1, seed: 11)
        var p1 = p0
        p1.hiddenWeights.addScaled(randomMatrix(rows: 70, columns: 4, seed: 31), 0.4)   // flips some signs
        if trainsA { p1 = perturbedOutputWeights(p1, seed: 32) }
        let op0 = model.jacobian(on: data.inputs, parameters: p0, includesOutputLayer: trainsA)
        let op1 = model.jacobian(on: data.inputs, parameters: p1, includesOutputLayer: trainsA)
        let flips = op1.pattern.differingCounts(from: op0.pattern).reduce(0, +)
        #expect(flips > 0)
        var difference = explicitJacobian(inputs: data.inputs, parameters: p1, includesOutputLayer: trainsA)
        difference.addScaled(explicitJacobian(inputs: data.inputs, parameters: p0, includesOutputLayer: trainsA), -1)
        let explicit = difference.frobeniusNorm * difference.frobeniusNorm
        #expect(abs(op1.squaredDistance(to: op0) - explicit) < 1e-12 * max(1, explicit))
    }

    @Test func reluDerivativeAtZeroIsOne() {
        // w = (1, 0) and x = (0, 1): wᵀx = 0 exactly, so the unit counts as active.
        let x = Matrix(rowArrays: [[0, 1]])!
        let p = NetworkParameters(hiddenWeights: Matrix(rowArrays: [[1, 0]])!, outputWeights: Matrix(rowArrays: [[1]])!)
        let op = JacobianOperator(inputs: x, preactivations: Matrix.product(x, p.hiddenWeights, transposingSecond: true),
                                  outputWeights: p.outputWeights, includesOutputLayer: false)
        #expect(op.pattern.isActive(example: 0, unit: 0))
        #expect(op.gram(inputGram: x.gram())[0, 0] == 1)
    }
}
