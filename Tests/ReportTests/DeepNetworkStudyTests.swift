import Foundation
import Testing
@testable import NGD
@testable import Report

@Suite struct DeepNetworkStudyTests {
    @Test func quickStudyMeasuresTheDeepContractionAndAShrinkingGap() throws {
        let context = StudyContext(settings: PaperSettings(quick: true, seeds: 1), cacheDirectory: nil)
        var study = DeepNetworkStudy()
        // Tiny GD-vs-NGD and regression parts (the first three claims keep the quick sizes).
        study.conditioningSizes = .init(width: 512, gdSteps: 20)
        study.regressionSizes = .init(perClass: 16, width: 256, steps: 20)
        let m = try study.measure(in: context)
        #expect(m.widths == [128, 512, 2048])
        #expect(m.gaps.count == 3 && m.conditionTwo.count == 2)
        #expect(m.linearizedErrors.allSatisfy { $0 < 1e-9 })      // the linear theory's 1 − η, to rounding
        #expect(m.contractionErrors.allSatisfy { $0 < 0.1 })
        #expect(m.conditionTwo.allSatisfy { $0.allSatisfy { $0 > 0 && $0.isFinite } })
        // GD vs NGD at depth 3: NGD's 1 − η on both sets, GD's slow modes at 1 − ηλ_min(G_k), slower when λ_min is.
        #expect(m.conditioning.map(\.epsilon) == DeepConditioning.epsilons)
        #expect(m.conditioning.allSatisfy { $0.ngdRateError < 0.05 })   // m = 512: looser than 17d's 0.03
        // m = 512 drifts more than 17e's widths (against λ_min(G₀) alone: 0.98 and 0.63 here, 0.99 and 0.92 at m = 1024).
        #expect(m.conditioning.allSatisfy { abs($0.modeRateRatio - 1) < 0.5 })
        // step by step on G_k's own slowest modes, the finite-width theory holds closer than along G₀'s
        #expect(m.conditioning.allSatisfy { $0.gdStepwiseMeasured.count == $0.gdLambdaMins.count - 1 })
        #expect(m.conditioning.allSatisfy { abs($0.stepwiseModeRateRatio - 1) < abs($0.modeRateRatio - 1) + 0.05 },
                "\(m.conditioning.map(\.stepwiseModeRateRatio))")
        let (well, ill) = (m.conditioning[0], m.conditioning[1])
        // λ_min(G_k) falls along GD on the near-duplicate set: the factors measured along the run explain more of
        // the slow decay than λ_min(G₀) alone
        #expect((ill.gdLambdaMins.last ?? .infinity) < ill.lambdaMin)
        #expect(abs(ill.modeRateRatio - 1) < abs(ill.initialGramModeRateRatio - 1),
                "\(ill.modeRateRatio) vs \(ill.initialGramModeRateRatio)")
        #expect(ill.lambdaMin < 0.6 * well.lambdaMin && ill.gdModeFactor > well.gdModeFactor)
        #expect((ill.gdResiduals.last ?? 0) > (well.gdResiduals.last ?? .infinity))
        // The rebuttal's regression on the embedded digits: NGD to ≤ 1e-6, GD orders of magnitude above.
        #expect(m.regression.mnistDirectory == nil && m.regression.count == 32)
        #expect((m.regression.ngd.last ?? 1) < 1e-6 && (m.regression.gd.last ?? 0) > 1e-3)
        #expect(m.regression.ngd.count == m.regression.gd.count && m.regression.gd.count == m.regression.kfac.count)
        let claims = study.evaluate(m)
        #expect(claims.map(\.id) == ["17a", "17b", "17c", "17d", "17e", "17f", "17g"])
        #expect(claims.allSatisfy { $0.measured?.isFinite == true })
        #expect(study.write(m).blocks.count == 8)
    }

    @Test func gdSlowModeTheoryAlongTheRunMultipliesTheMeasuredFactors() {
        var p = DeepConditioning.Point(epsilon: 0.3, lambdaMin: 0.4, lambdaMax: 4, gdEta: 0.25, ngdRateError: 0,
                                       gdModeFactor: 0.9)
        p.gdMode = [0.5, 0.45, 0.405]
        p.gdLambdaMins = [0.4, 0.2, 0.1]    // G_0, G_1, G_2: the last one enters no fitted step
        #expect(p.alongRunMode == [0.5, 0.5 * 0.9, 0.5 * 0.9 * 0.95])
        #expect(abs(p.alongRunModeFactor - (0.9 * 0.95).squareRoot()) < 1e-15)
        #expect(abs(p.initialGramModeRateRatio - 1) < 1e-15)      // fitted 0.9 = 1 − ηλ_min(G₀)
        #expect(p.modeRateRatio > 1)                               // faster than the drifted factors predict
    }

    @Test func stepwiseSlowModesMatchTheTheoryExactlyWhenEachStepIsLinear() throws {
        // G with eigenvalues 0.2 (e₁), 0.22 (e₂: within the 1.2 band) and 3 (e₃); r_{k+1} = (I − ηG_k)r_k exactly,
        // with the basis rotated between the steps (G_1's slow vectors are not G_0's).
        func gram(_ rotation: Double) -> Matrix {
            let (c, s) = (cos(rotation), sin(rotation))
            let v = [[c, s, 0], [-s, c, 0], [0, 0, 1]]    // columns: the eigenvectors
            let values = [0.2, 0.22, 3.0]
            var g = Matrix(rows: 3, columns: 3)
            for i in 0..<3 { for j in 0..<3 { g[i, j] = (0..<3).map { v[i][$0] * values[$0] * v[j][$0] }.reduce(0, +) } }
            return g
        }
        let eta = 0.25, grams = [gram(0), gram(0.7)]
        var residuals = [[1.0, -0.5, 2.0]]
        for g in grams {
            let r = residuals[residuals.count - 1]
            residuals.append((0..<3).map { i in r[i] - eta * (0..<3).map { g[i, $0] * r[$0] }.reduce(0, +) })
        }
        let (measured, predicted) = DeepConditioning.stepwiseSlowModes(grams: grams, residuals: residuals,
                                                                      learningRate: eta)
        #expect(measured.count == 2 && predicted.count == 2)
        for k in 0..<2 { #expect(abs(measured[k] - predicted[k]) < 1e-12, "step \(k)") }
        #expect(predicted.allSatisfy { $0 > 1 - eta * 0.22 - 1e-12 && $0 < 1 - eta * 0.2 + 1e-12 })
        var point = DeepConditioning.Point(epsilon: 0.3, lambdaMin: 0.2, lambdaMax: 3, gdEta: eta, ngdRateError: 0,
                                           gdModeFactor: 0.95)
        (point.gdStepwiseMeasured, point.gdStepwisePredicted) = (measured, predicted)
        #expect(abs(point.stepwiseModeRateRatio - 1) < 1e-9)
        // a step that leaves the slow modes where they were is no decay at all: ratio 0
        let stalled = DeepConditioning.stepwiseSlowModes(grams: [grams[0]], residuals: [residuals[0], residuals[0]],
                                                        learningRate: eta)
        #expect(abs(stalled.measured[0] - 1) < 1e-15 && stalled.predicted[0] < 0.96)
    }

    @Test func replayedGradientDescentIsTheTrainersRunBitForBit() throws {
        let request = DeepConditioning.request(epsilon: 0.3)
        let data = try request.load()
        let config = TrainingConfig(width: 64, seed: 1, optimizer: .gd, learningRate: .inverseLambdaMax(scale: 1),
                                    steps: 4, depth: 3)
        let run = try Trainer(config: config, dataset: data).run()
        let replay = try DeepConditioning.replayGradientDescent(config, learningRate: run.summary.learningRate,
                                                                steps: run.summary.stepsCompleted, on: data)
        #expect(replay.grams.count == 4 && replay.residuals.count == 5)
        let norms = replay.residuals.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        #expect(norms == run.steps.map(\.residualNorm))
        let lambdaMins = replay.grams.map { $0.symmetricEigenvalues()?.first ?? .nan }
        for (replayed, recorded) in zip(lambdaMins, run.steps.map(\.gramLambdaMin)) {
            #expect(abs(replayed - recorded) <= 1e-12 * abs(recorded))
        }
    }

    @Test func conditioningPairsEachSeedsWellAndIllConditionedSets() {
        func point(_ epsilon: Double, seed: UInt64, lambdaMin: Double) -> DeepConditioning.Point {
            DeepConditioning.Point(epsilon: epsilon, seed: seed, lambdaMin: lambdaMin, lambdaMax: 10, gdEta: 0.1,
                                   ngdRateError: 0, gdModeFactor: 0.97)
        }
        // ε-major, as `measure` returns them
        let points = [point(1, seed: 0, lambdaMin: 0.7), point(1, seed: 1, lambdaMin: 0.72),
                      point(0.3, seed: 0, lambdaMin: 0.35), point(0.3, seed: 1, lambdaMin: 0.3)]
        let sets = DeepConditioning.setsBySeed(points)
        #expect(sets.map(\.well.seed) == [0, 1] && sets.map(\.ill.seed) == [0, 1])
        #expect(sets.allSatisfy { $0.well.epsilon == 1 && $0.ill.epsilon == 0.3 })
        #expect(DeepConditioning.lambdaMinRatios(points) == [0.7 / 0.35, 0.72 / 0.3])
        #expect(DeepConditioning.formattedRange(DeepConditioning.lambdaMinRatios(points)) == "2–2.4")
        // the claims take the worst seed: one bad seed fails 17d
        var worst = points
        worst[3].ngdRateError = 0.05
        #expect(DeepConditioning.claims(worst).first { $0.id == "17d" }?.passed == false)
    }

    @Test func gapSlopesAverageTheSeedsAndTheNoteGivesEachSeedsOwnSlope() {
        var m = DeepNetworkStudy.Measurements()
        m.widths = [100, 400]
        m.seeds = [0, 1]
        // depth 1: seed 0 halves the gap over 4× the width (slope −1/2), seed 1 does not shrink it at all
        m.gapsBySeed = [[[0.2, 0.1], [0.1, 0.1]]]
        m.gapSlopes = [StudyMath.logLogSlope(x: [100, 400], y: [0.15, 0.1]) ?? .nan]
        #expect(abs(m.seedGapSlopes[0][0] + 0.5) < 1e-12 && abs(m.seedGapSlopes[0][1]) < 1e-12)
        let claim = DeepNetworkStudy().evaluate(m)[0]
        #expect(claim.id == "17a" && claim.passed)     // the mean shrinks although one seed alone does not
        #expect(DeepNetworkStudy.seedSlopeNote(m) == "; one seed alone: -0.5 to 0")
        m.seeds = [0]
        #expect(DeepNetworkStudy.seedSlopeNote(m).isEmpty)
        // a seed whose run measured nothing keeps the worst case unmeasured instead of vanishing from it
        #expect(DeepNetworkStudy.worst(0.01, .nan).isNaN && DeepNetworkStudy.worst(.nan, 0.01).isNaN)
        #expect(DeepNetworkStudy.worst(-.infinity, 0.02) == 0.02 && DeepNetworkStudy.worst(0.03, 0.02) == 0.03)
    }

    @Test func eachClaimFlipsWithItsMeasurement() {
        var m = DeepNetworkStudy.Measurements()
        m.gapSlopes = [-0.5, -0.4, -0.45]
        m.contractionErrors = [0.01, 0.02]
        m.linearizedErrors = [1e-15, 2e-15]
        let passing = DeepNetworkStudy().evaluate(m).prefix(3)    // 17d–g have their own tests below
        #expect(passing.allSatisfy { $0.passed })
        m.gapSlopes = [-0.5, 0.1, -0.45]
        m.contractionErrors = [0.01, 0.05]
        m.linearizedErrors = [1e-15, 1e-6]
        let failing = DeepNetworkStudy().evaluate(m)
        #expect(failing.allSatisfy { !$0.passed })
    }

    /// A made-up depth-3 point: GD's fitted slow-mode factor against 1 − ηλ_min(G₀) = 1 − 0.1·0.3 = 0.97.
    static func point(ngdRateError: Double, gdModeFactor: Double) -> DeepConditioning.Point {
        // λ_min(G_k) drifts from 0.3 to 0.25 at once: the factor along the run is 1 − 0.1·0.25 = 0.975
        DeepConditioning.Point(epsilon: 0.3, lambdaMin: 0.3, lambdaMax: 10, gdEta: 0.1, ngdRateError: ngdRateError,
                               gdModeFactor: gdModeFactor, gdLambdaMins: [0.25, 0.25, 0.25])
    }

    @Test func conditioningClaimsPassOnTheoryRatesAndFailOffThem() {
        let good = DeepConditioning.claims([Self.point(ngdRateError: 0.02, gdModeFactor: 0.975)])
        #expect(good.map(\.id) == ["17d", "17e"] && good.allSatisfy { $0.passed })
        // NGD off 0.5 by 0.05; GD's slow modes decaying at half the predicted rate (factor 0.985 ≈ 1 − 0.015).
        let bad = DeepConditioning.claims([Self.point(ngdRateError: 0.01, gdModeFactor: 0.975),
                                           Self.point(ngdRateError: 0.05, gdModeFactor: 0.985)])
        #expect(bad.allSatisfy { !$0.passed })
        let missing = DeepConditioning.claims([])
        #expect(missing.allSatisfy { !$0.passed })      // no measurement is no pass
    }

    @Test func regressionClaimsNeedNGDAtZeroAndGDFarAbove() {
        var m = DeepRegression.Measured(count: 64, dimension: 64, width: 512, lambdaMin: 0.06, lambdaMax: 35,
                                        gdEta: 0.05)
        (m.ngd, m.gd, m.kfac) = ([1, 1e-3, 1e-9], [1, 0.5, 0.1], [1, 1e-4, 1e-12])
        #expect(DeepRegression.claims(m).allSatisfy { $0.passed })
        (m.ngd, m.gd) = ([1, 1e-3, 1e-5], [1, 1e-2, 1e-4])   // NGD short of 1e-6, GD nearly there too
        let failing = DeepRegression.claims(m)
        #expect(failing.map(\.id) == ["17f", "17g"] && failing.allSatisfy { !$0.passed })
    }
}
