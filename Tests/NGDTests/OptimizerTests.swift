import Testing
@testable import NGD

/// The update rules against the theory's output-space predictions (Zhang et al. 2019, output-space updates and K-FAC; docs/CLAIMS.md).
@Suite struct OptimizerTests {
    static let synthetic64 = Dataset.synthetic(count: 64, dimension: 16, seed: 0)

    /// The state the trainer would build at initialisation.
    func initialState(_ data: Dataset, width: Int, outputs: Int = 1, seed: UInt64 = 1) -> OptimizationState {
        let model = TwoLayerReLU(inputDimension: data.dimension, width: width, outputs: outputs)
        let p = model.initialParameters(initScale: 1, seed: seed)
        let op = model.jacobian(on: data.inputs, parameters: p)
        let pattern = op.patternGram()
        let inputGram = data.inputs.gram()
        let u = model.outputs(preactivations: op.preactivations, outputWeights: p.outputWeights)
        return OptimizationState(parameters: p, jacobian: op, inputGram: inputGram, patternGram: pattern,
                                 gram: op.gram(inputGram: inputGram, patternGram: pattern),
                                 outputGradient: u.subtracting(data.targets))
    }

    @Test func ngdContractsTheResidualByOneMinusEtaAtLargeWidth() throws {
        let run = try train(TrainingConfig(width: 4096, optimizer: .ngd, learningRate: 0.5, steps: 5),
                            on: Self.synthetic64)
        let ratios = run.steps.prefix(5).compactMap(\.contractionRatio)
        #expect(ratios.count == 5)
        #expect(ratios.allSatisfy { abs($0 - 0.5) < 0.02 })
        #expect(run.summary.solverFallbacks == 0)
        #expect(run.steps.prefix(5).allSatisfy { $0.residualCosine! > 0.999 })
    }

    @Test(arguments: [(1, false), (2, false), (1, true)])
    func linearisedNGDContractsByExactlyOneMinusEta(outputs: Int, trainOutputLayer: Bool) throws {
        let data = Dataset.synthetic(count: 24, dimension: 8, outputs: outputs, seed: 2)
        let run = try train(TrainingConfig(width: 256, outputs: outputs, trainOutputLayer: trainOutputLayer,
                                           optimizer: .ngd, learningRate: 0.3, linearized: true, steps: 6), on: data)
        for metrics in run.steps.dropLast() {
            #expect(abs(metrics.contractionRatio! - 0.7) < 1e-8)
            #expect(abs(metrics.residualCosine! - 1) < 1e-8)
        }
        #expect(run.steps.allSatisfy { $0.jacobianDrift == 0 && $0.flipFraction == 0 })
    }

    @Test(arguments: [1, 2])
    func kfacEqualsNGDInOutputSpaceWhenNAtMostD(outputs: Int) throws {
        let data = Dataset.synthetic(count: 8, dimension: 20, outputs: outputs, seed: 3)
        let state = initialState(data, width: 512, outputs: outputs)
        let ngd = try NaturalGradient(learningRate: 0.5).update(for: state)
        let kfac = try KFAC(learningRate: 0.5).update(for: state)
        let ngdStep = state.jacobian.applied(to: ngd.delta)
        let kfacStep = state.jacobian.applied(to: kfac.delta)
        // Both equal −η·(u − y) in output space.
        #expect(maxAbsDifference(ngdStep, state.outputGradient.scaled(-0.5)) < 1e-10)
        #expect(maxAbsDifference(kfacStep, ngdStep) < 1e-8)
        #expect(kfac.solves.allSatisfy { !$0.isFallback })
    }

    @Test(arguments: [1, 2])
    func kfacOutputOperatorIsTheDiagonalOfLeverageScoresWhenNExceedsD(outputs k: Int) throws {
        let data = Dataset.synthetic(count: 20, dimension: 10, outputs: k, seed: 4)
        let state = initialState(data, width: 600, outputs: k)
        let h = try KFAC.leverageScores(of: data.inputs)
        #expect(abs(h.reduce(0, +) - 10) < 1e-10)          // Σ h_i = rank X = d
        #expect(h.allSatisfy { $0 > 0 && $0 <= 1 + 1e-12 })
        // Column (i,c) of J(A⊗S)⁺Jᵀ is −J·Δθ for the gradient e_(i,c) at η = 1; expected diag(h) ⊗ I_k.
        var worst = 0.0
        for i in 0..<20 {
            for c in 0..<k {
                var probe = state
                probe.outputGradient = Matrix(rows: 20, columns: k)
                probe.outputGradient[i, c] = 1
                let response = state.jacobian.applied(to: try KFAC(learningRate: 1).update(for: probe).delta)
                for j in 0..<20 {
                    for c2 in 0..<k { worst = max(worst, abs(-response[j, c2] - (i == j && c == c2 ? h[i] : 0))) }
                }
            }
        }
        #expect(worst < 1e-10)
    }

    @Test func ngdWeightsTravelTheLinearTheoryDistanceAtLargeWidth() throws {
        let data = Dataset.synthetic(count: 10, dimension: 5, seed: 12)
        let config = TrainingConfig(width: 8000, optimizer: .ngd, learningRate: 0.5, steps: 30)
        let run = try train(config, on: data)
        let predicted = try Analysis(dataset: data, config: config).predictedWeightTravel
        #expect(run.summary.finalResidualNorm < 1e-6 * run.summary.initialResidualNorm)
        #expect(abs(run.steps[30].weightDistance / predicted - 1) < 0.05)
    }

    @Test func linearisedKFACContractsEachExampleByOneMinusEtaTimesItsLeverage() throws {
        let data = Dataset.synthetic(count: 20, dimension: 10, seed: 4)
        let run = try train(TrainingConfig(width: 600, optimizer: .kfac, learningRate: 1, linearized: true, steps: 3,
                                           recordOutputs: true), on: data)
        let h = try #require(run.summary.kfacLeverageScores)
        for k in 0..<3 {
            let r0 = run.steps[k].outputs!.subtracting(data.targets), r1 = run.steps[k + 1].outputs!.subtracting(data.targets)
            for i in 0..<20 { #expect(abs(r1[i, 0] - (1 - h[i]) * r0[i, 0]) < 1e-9) }
        }
        // Worst mode respects the paper's rate bound 1 − η/λ_max(XᵀX).
        let lambdaMax = try #require(data.inputs.gram(transposing: true).symmetricEigenvalues()?.last)
        #expect(1 - (h.min() ?? 0) <= 1 - 1 / lambdaMax + 1e-12)
    }

    @Test func linearisedGDFollowsTheGramRecursion() throws {
        let data = Dataset.synthetic(count: 16, dimension: 6, seed: 5)
        let config = TrainingConfig(width: 300, seed: 1, optimizer: .gd, linearized: true, steps: 8, recordOutputs: true)
        let run = try train(config, on: data)
        let state = initialState(data, width: 300)
        let eta = run.summary.learningRate
        #expect(run.config.learningRateRule == "1/lambda_max(G0)")
        #expect(abs(eta - 1 / run.summary.gramInitLambdaMax) < 1e-15)
        var r = state.outputGradient        // r₀
        for k in 1...8 {
            var next = r
            next.addScaled(Matrix.product(state.gram, r), -eta)    // (I − ηG₀)r
            r = next
            let measured = run.steps[k].outputs!.subtracting(data.targets)
            #expect(maxAbsDifference(measured, r) < 1e-10 * max(1, r.frobeniusNorm))
        }
    }

    @Test func gdWithInverseTopEigenvalueStepIsMuchSlowerThanNGD() throws {
        let data = Dataset.synthetic(count: 32, dimension: 8, seed: 6)
        let gd = try train(TrainingConfig(width: 2048, optimizer: .gd, steps: 10), on: data)
        let ngd = try train(TrainingConfig(width: 2048, optimizer: .ngd, learningRate: 0.5, steps: 10), on: data)
        let gdReduction = gd.summary.finalResidualNorm / gd.summary.initialResidualNorm
        let ngdReduction = ngd.summary.finalResidualNorm / ngd.summary.initialResidualNorm
        #expect(ngdReduction < 2e-3)
        #expect(gdReduction > 100 * ngdReduction)
    }

    @Test func kfacOnTheRealNetworkWithNAtMostDContractsLikeNGD() throws {
        let data = Dataset.synthetic(count: 8, dimension: 20, seed: 7)
        let run = try train(TrainingConfig(width: 4096, optimizer: .kfac, steps: 4), on: data)
        #expect(run.steps.dropLast().allSatisfy { abs($0.contractionRatio! - 0.5) < 0.03 })
        #expect(run.summary.kfacLeverageScores!.allSatisfy { abs($0 - 1) < 1e-10 })
    }

    @Test func dampedKFACUsesBalancedFactorsAndStillDescends() throws {
        let data = Dataset.synthetic(count: 20, dimension: 10, seed: 8)
        let state = initialState(data, width: 400)
        let rule = KFAC(learningRate: 0.5, damping: 1e-3)
        let (gammaA, gammaS) = rule.factorDamping(inputs: data.inputs, patternGram: state.patternGram, width: 400)
        #expect(abs(gammaA * gammaS - 1e-3) < 1e-15)       // π√λ · √λ/π = λ
        let step = state.jacobian.applied(to: try rule.update(for: state).delta)
        #expect(step.dot(state.outputGradient) < 0)        // a descent direction in output space
        // Tiny damping approaches the undamped (pseudo-inverse) step.
        let undamped = state.jacobian.applied(to: try KFAC(learningRate: 0.5).update(for: state).delta)
        let nearly = state.jacobian.applied(to: try KFAC(learningRate: 0.5, damping: 1e-12).update(for: state).delta)
        #expect(maxAbsDifference(nearly, undamped) < 1e-4)
    }

    @Test func pseudoHuberNGDIsGradientDescentInOutputSpace() throws {
        let data = Dataset.synthetic(count: 12, dimension: 6, seed: 9)
        let config = TrainingConfig(width: 200, optimizer: .ngd, learningRate: 0.4, loss: .pseudoHuber, huberDelta: 0.5,
                                    linearized: true, steps: 3, recordOutputs: true)
        let run = try train(config, on: data)
        let loss = Loss(.pseudoHuber, delta: 0.5)
        for k in 0..<3 {
            let u0 = run.steps[k].outputs!, u1 = run.steps[k + 1].outputs!
            var expected = u0
            expected.addScaled(loss.gradient(residuals: u0.subtracting(data.targets)), -0.4)
            #expect(maxAbsDifference(u1, expected) < 1e-10)
            #expect(run.steps[k + 1].loss < run.steps[k].loss)
        }
    }

    @Test func ngdOnDuplicateInputsFallsBackToPseudoInverseAndRecordsIt() throws {
        var data = Dataset.synthetic(count: 10, dimension: 5, seed: 10)
        for j in 0..<5 { data.inputs[9, j] = data.inputs[8, j] }
        let run = try train(TrainingConfig(width: 256, optimizer: .ngd, steps: 2), on: data)
        #expect(run.summary.solverFallbacks == 2)
        #expect(run.summary.solverFallbackSteps == [0, 1])
        #expect(run.steps[0].solverMethod == .eigenPseudoInverse && run.steps[0].solverFallback == true)
        #expect(run.steps[0].solverCutoff != nil && run.summary.solverMaxCutoff != nil)
        #expect(run.steps.allSatisfy { $0.loss.isFinite })
        // With damping the Cholesky solve succeeds and nothing is recorded as a fallback.
        let damped = try train(TrainingConfig(width: 256, optimizer: .ngd, damping: 1e-6, steps: 2), on: data)
        #expect(damped.summary.solverFallbacks == 0)
        #expect(damped.steps[0].solverMethod == .cholesky)
    }
}
