import Foundation
import NGD
import Testing
@testable import Report

/// The λ₀, linear-theory, step-size, K-FAC, generalization and pseudo-Huber studies: each measures on tiny sizes
/// a value the theory fixes, writes a well-formed section, and each claim flips on made-up measurements.
@Suite struct TheoryStudyTests {
    private func context() -> StudyContext {
        StudyContext(settings: PaperSettings(quick: true), cacheDirectory: nil)
    }

    /// measure → write + evaluate, as `run(in:)` does, keeping the measurements for the test to check.
    private func measured<Study: MeasuredStudy>(_ study: Study, in context: StudyContext) throws
        -> (Study.Measurements, StudyOutcome) {
        let measurements = try study.measure(in: context)
        var outcome = study.write(measurements)
        outcome.claims = study.evaluate(measurements)
        return (measurements, outcome)
    }

    private func expectWellFormed(_ outcome: StudyOutcome, claims: Int) {
        #expect(outcome.claims.count == claims)
        for claim in outcome.claims {
            #expect(claim.measured.map { !$0.isNaN } == true, "claim \(claim.id) has no number: \(claim.detail)")
            #expect(!claim.detail.isEmpty)
        }
        let figures = outcome.blocks.compactMap { block -> FigureData? in
            if case .figure(let figure) = block { return figure } else { return nil }
        }
        #expect(!figures.isEmpty)
        for figure in figures {
            #expect(!figure.caption.isEmpty)
            #expect(figure.series.allSatisfy { $0.x.count == $0.y.count })
        }
        #expect(!outcome.settings.isEmpty)
        #expect(!outcome.caveats.isEmpty)
    }

    // MARK: λ₀

    @Test func lambdaZeroStudyMeasuresLambdaZeroFallingWithTheAngle() throws {
        let sizes = LambdaZeroStudy.Sizes(count: 8, dimension: 4, epsilons: [0.4, 0.1], width: 300, ngdLargeWidth: 500,
                                          ngdSteps: 25, gdStepCap: 400, tolerance: 1e-3)
        let (m, outcome) = try measured(LambdaZeroStudy(sizes: sizes), in: context())
        #expect(outcome.claims.map(\.id) == ["8-ngd-flat", "8-gd-kappa", "8-gd-vs-ngd"])
        // Moving the near-duplicate pair closer (ε 0.4 → 0.1) lowers λ₀, and GD's budget came from G₀'s spectrum.
        #expect(m.points.map(\.epsilon) == [0.4, 0.1])
        #expect(m.points[1].lambda0 < m.points[0].lambda0)
        #expect(m.points.allSatisfy { $0.gdBudget >= 1 && $0.gdBudget <= sizes.gdStepCap })
        for claim in outcome.claims where claim.id == "8-ngd-flat" {
            #expect(claim.measured?.isFinite == true)
        }
    }

    @Test func lambdaZeroClaimsFailWhenNGDStepsGrowWithLambdaZero() {
        let sizes = LambdaZeroStudy.Sizes(width: 100, ngdLargeWidth: 200, gdStepCap: 1000)
        func point(_ lambda0: Double, ngd: Int, gd: Int) -> LambdaZeroStudy.Point {
            LambdaZeroStudy.Point(epsilon: lambda0, lambda0: lambda0, gramMin: lambda0, gramMax: 1, ngdSteps: ngd,
                                  ngdLargeSteps: ngd, gdSteps: gd, gdBudget: 5000, gdFinalGramMin: lambda0, gdPredictedFromInit: 2 / lambda0,
                                  gdPredictedFromEnd: 10 / lambda0)
        }
        let good = LambdaZeroStudy.evaluate([point(0.1, ngd: 20, gd: 100), point(0.01, ngd: 20, gd: 1000)],
                                            sizes: sizes, quick: false)
        #expect(good.allSatisfy { $0.passed })
        let bad = LambdaZeroStudy.evaluate([point(0.1, ngd: 20, gd: 100), point(0.01, ngd: 200, gd: 100)],
                                           sizes: sizes, quick: false)
        #expect(bad.first { $0.id == "8-ngd-flat" }?.passed == false)
        #expect(bad.first { $0.id == "8-gd-kappa" }?.passed == false)
    }

    // MARK: Linear theory and step size

    @Test func linearTheoryAndStepSizeStudiesMeasureTheLinearRates() throws {
        let linear = LinearTheoryStudy.Sizes(count: 8, dimension: 4, width: 300, modeSteps: 20,
                                             growthMultiples: [1.8, 2.2], catapultMultiples: [3], catapultSteps: 30)
        let shared = context()
        let (theory, theoryOutcome) = try measured(LinearTheoryStudy(sizes: linear), in: shared)
        expectWellFormed(theoryOutcome, claims: 4)
        // The trainer's η = 1/λ_max(G₀) is the study's own G₀'s: one resolution of η.
        #expect(abs(theory.eta * theory.lambdaMax - 1) < 1e-9)
        let stepSizes = StepSizeStudy.Sizes(linear: linear, ngdWidth: 300, learningRates: [0.5, 1.0],
                                            linearLearningRates: [0.5, 2.1], steps: 4)
        let (steps, stepOutcome) = try measured(StepSizeStudy(sizes: stepSizes), in: shared)
        expectWellFormed(stepOutcome, claims: 3)
        // On the linearised model NGD contracts by exactly |1 − η|: 0.5 at η = 0.5, and grows at η = 2.1.
        #expect(abs(steps.linearRates[0].ratio - 0.5) < 1e-6)
        #expect(steps.linearRates[1].ratio > 1)
    }

    @Test func growthThresholdInterpolatesTheCrossing() {
        let growth = [LinearTheoryStudy.Growth(multiple: 1.9, factor: 0.9),
                      LinearTheoryStudy.Growth(multiple: 2.1, factor: 1.1)]
        #expect(abs((LinearTheoryStudy.threshold(growth) ?? 0) - 2) < 1e-12)
        #expect(LinearTheoryStudy.threshold([LinearTheoryStudy.Growth(multiple: 3, factor: 0.5)]) == nil)
    }

    @Test func linearTheoryClaimsFailOnWrongModeFactorsOrThreshold() {
        let modes = [LinearTheoryStudy.Mode(eigenvalue: 0.1, predicted: 0.9, fitted: 0.9, fittedOverRun: 0.91),
                     LinearTheoryStudy.Mode(eigenvalue: 0.5, predicted: 0.5, fitted: 0.5, fittedOverRun: 0.55)]
        let growth = [1.5, 1.9, 2.1, 2.5].map { LinearTheoryStudy.Growth(multiple: $0, factor: abs(1 - $0)) }
        let catapult = LinearTheoryStudy.Catapult(multiple: 2.5, peak: 5, final: 1e-6, diverged: false,
                                                  finalSharpness: 1.5, residuals: [], sharpness: [])
        let good = LinearTheoryStudy.evaluate(modes: modes, linearModes: modes, growth: growth, catapults: [catapult],
                                              quick: false)
        #expect(good.allSatisfy { $0.passed })
        var wrong = modes
        wrong[0].fitted = 0.99
        let badGrowth = [1.5, 2.5, 3.5].map { LinearTheoryStudy.Growth(multiple: $0, factor: abs(1 - $0) / 1.5) }
        var noCatapult = catapult
        noCatapult.peak = 0.9
        let bad = LinearTheoryStudy.evaluate(modes: wrong, linearModes: modes, growth: badGrowth, catapults: [noCatapult],
                                             quick: false)
        #expect(bad.allSatisfy { !$0.passed })
    }

    @Test func stepSizeClaimFailsWhenRatioIsFarFromOneMinusEta() {
        let rates = [0.5, 1.0].map { StepSizeStudy.Rate(learningRate: $0, ratio: 1 - $0, worstDeviation: 0,
                                                        linearized: false, diverged: false) }
        let linear = [0.5, 2.1].map { StepSizeStudy.Rate(learningRate: $0, ratio: abs(1 - $0), worstDeviation: 0,
                                                         linearized: true, diverged: false) }
        let growth = [1.9, 2.1].map { LinearTheoryStudy.Growth(multiple: $0, factor: abs(1 - $0)) }
        #expect(StepSizeStudy.evaluate(rates: rates, linearRates: linear, growth: growth, longRuns: [], quick: false)
            .allSatisfy { $0.passed })
        var off = rates
        off[0].ratio = 0.6
        let verdicts = StepSizeStudy.evaluate(rates: off, linearRates: linear, growth: growth, longRuns: [], quick: false)
        #expect(verdicts.first { $0.id == "16-ngd-rate" }?.passed == false)
    }

    // MARK: K-FAC

    @Test func kfacOutputOperatorIsTheLeverageDiagonal() throws {
        let data = Dataset.synthetic(count: 10, dimension: 4, seed: 3)
        let op = try KFACStudy.outputOperator(on: data, width: 200, seed: 1)
        let h = try KFAC.leverageScores(of: data.inputs)
        #expect(KFACStudy.maxDeviation(op, fromDiagonal: h) < 1e-9)
        let wide = Dataset.synthetic(count: 4, dimension: 8, seed: 3)
        let identity = try KFACStudy.outputOperator(on: wide, width: 200, seed: 1)
        #expect(KFACStudy.maxDeviation(identity, fromDiagonal: [1, 1, 1, 1]) < 1e-9)
    }

    @Test func anisotropicDataGetsWorseConditionedWithTheRatio() throws {
        func kappa(_ ratio: Double) -> Double {
            let x = KFACStudy.anisotropicData(count: 40, dimension: 6, ratio: ratio, seed: 0).inputs
            let spectrum = x.gram(transposing: true).symmetricEigenvalues() ?? []
            return (spectrum.last ?? 0) / (spectrum.first ?? 1)
        }
        #expect(kappa(1000) > 10 * kappa(1))
        let x = KFACStudy.anisotropicData(count: 5, dimension: 3, ratio: 10, seed: 0).inputs
        for norm in x.rowSquaredNorms() { #expect(abs(norm - 1) < 1e-12) }
    }

    @Test func kfacStudyMeasuresLeverageScoresSummingToTheDimension() throws {
        let sizes = KFACStudy.Sizes(operatorWidth: 200, tallShape: (10, 4), wideShape: (4, 8), width: 300, sweepWidth: 200,
                                    lambdaWidths: [150, 300], sweepShape: (12, 4), contractionSteps: 4, anisotropies: [1, 100], epsilons: [0.4, 0.1],
                                    tolerance: 1e-2, stepCap: 80)
        let (m, outcome) = try measured(KFACStudy(sizes: sizes), in: context())
        expectWellFormed(outcome, claims: 7)
        // Leverage scores of a full-rank n × d input matrix sum to d; with n ≤ d K-FAC's operator is the identity.
        #expect(abs(m.leverage.reduce(0, +) - 4) < 1e-9)
        #expect(m.wideOperatorError < 1e-8)
    }

    @Test func kfacClaimsFailOnABadOperatorOrContraction() {
        func point(_ kappa: Double, _ steps: Int?, predicted: Double? = nil, width: Int = 1000) -> KFACStudy.SweepPoint {
            KFACStudy.SweepPoint(parameter: kappa, width: width, inputConditioning: kappa, lambda0: 0.1 / kappa,
                                 minimumLeverage: 0.1, kfacSteps: steps, kfacBudget: 1000, kfacFallbacks: 0,
                                 twinSeparatingUnits: nil, ngdSteps: 14, ngdBudget: 60,
                                 kfacPredicted: predicted ?? Double(steps ?? 1000))
        }
        var m = KFACStudy.Measurements(operatorError: 1e-14, wideOperatorError: 1e-14, leverage: [0.3, 0.6],
                                       contraction: [0.85, 0.7], predictedContraction: [0.85, 0.7], inputGramMax: 4,
                                       learningRate: 0.5, conditioning: [point(1, 20), point(100, 200)],
                                       lambdaSweep: [point(1, 50), point(2, 50)], tolerance: 1e-4)
        #expect(KFACStudy.evaluate(m, quick: false).allSatisfy { $0.passed })
        // The λ₀ claim is judged at the widest width: a narrower stalled run is shown but does not fail it …
        m.lambdaSweep += [point(1, 50, width: 10), point(2, nil, width: 10)]
        #expect(KFACStudy.evaluate(m, quick: false).first { $0.id == "14-lambda0" }?.passed == true)
        // … a stalled or λ₀-dependent run at the widest width does.
        m.lambdaSweep = [point(1, 50), point(2, nil)]
        #expect(KFACStudy.evaluate(m, quick: false).first { $0.id == "14-lambda0" }?.passed == false)
        m.lambdaSweep = [point(1, 50), point(2, 100)]
        #expect(KFACStudy.evaluate(m, quick: false).first { $0.id == "14-lambda0" }?.passed == false)
        m.operatorError = 1e-3
        m.contraction = [0.95, 0.7]
        m.conditioning = [point(1, 20), point(100, 21, predicted: 200)]
        let verdicts = Dictionary(uniqueKeysWithValues: KFACStudy.evaluate(m, quick: false).map { ($0.id, $0.passed) })
        #expect(verdicts["14-operator"] == false)
        #expect(verdicts["14-per-example"] == false)
        #expect(verdicts["14-worst-mode"] == false)
        #expect(verdicts["14-kappa"] == false)
    }

    // MARK: Generalization

    @Test func generalizationStudyMeasuresHeldOutDigitErrors() throws {
        let sizes = GeneralizationStudy.Sizes(count: 6, dimension: 4, widths: [100, 400], ngdSteps: 20, gdStepCap: 200,
                                              testInputs: 10, digitsPerClass: 10, digitsWidth: 200, digitsNGDSteps: 10,
                                              digitsGDSteps: 50, boundCounts: [20], permutations: 2)
        let (m, outcome) = try measured(GeneralizationStudy(sizes: sizes), in: context())
        expectWellFormed(outcome, claims: 4)
        // 10 training digits per class, the rest of classes 4 and 9 held out; errors are fractions.
        #expect(m.digits.trainCount == 20)
        #expect(m.digits.testCount > 0)
        #expect((0...1).contains(m.digits.ngdTestError) && (0...1).contains(m.digits.gdTestError))
        #expect(m.points.map(\.width) == [100, 400])
    }

    @Test func generalizationClaimsFailWhenGapsGrowWithWidth() {
        func point(_ m: Int, _ gap: Double) -> GeneralizationStudy.WidthPoint {
            GeneralizationStudy.WidthPoint(width: m, gdSteps: 100, weightGap: gap, predictionGap: gap / 3, ngdTravel: 1, gdTravel: 1,
                                           ngdFinalResidual: 1e-12, gdFinalResidual: 1e-10)
        }
        let digits = GeneralizationStudy.Digits(trainCount: 100, testCount: 200, ngdTestError: 0.1, gdTestError: 0.1,
                                                ngdTrainResidual: 0, gdTrainResidual: 0, gdLearningRate: 1)
        let bounds = [GeneralizationStudy.Bound(count: 50, trueLabels: 1.9, randomLabels: 3)]
        let good = GeneralizationStudy.evaluate(points: [point(200, 0.2), point(2000, 0.1)], digits: digits,
                                                bounds: bounds, quick: false)
        #expect(good.allSatisfy { $0.passed })
        var worse = digits
        worse.gdTestError = 0.2
        let bad = GeneralizationStudy.evaluate(points: [point(200, 0.1), point(2000, 0.2)], digits: worse,
                                               bounds: [GeneralizationStudy.Bound(count: 50, trueLabels: 3, randomLabels: 2)],
                                               quick: false)
        #expect(bad.allSatisfy { !$0.passed })
    }

    // MARK: Pseudo-Huber

    @Test func pseudoHuberStudyMeasuresTheRecursionFromTheSameStart() throws {
        let sizes = PseudoHuberStudy.Sizes(count: 8, dimension: 4, width: 300, steps: 10)
        let (m, outcome) = try measured(PseudoHuberStudy(sizes: sizes), in: context())
        expectWellFormed(outcome, claims: 4)
        // The output-space recursion starts from the measured r₀, and NGD lowers the loss.
        #expect(abs(m.predictedLosses[0] - m.losses[0]) <= 1e-9 * m.losses[0])
        #expect(m.losses[m.losses.count - 1] < m.losses[0])
    }

    @Test func pseudoHuberClaimsFailWhenStepsLeaveTheGradientDirection() {
        let losses = (0..<5).map { 4 * pow(0.5, Double($0)) }
        let m = PseudoHuberStudy.Measurements(learningRate: 0.5, delta: 1, cosines: [1, 1, 1, 1],
                                              lengthRatios: [1, 1, 1, 1], losses: losses, predictedLosses: losses,
                                              oneStepPredicted: Array(losses.dropFirst()),
                                              strongConvexity: [0.5, 0.5, 0.5, 0.5])
        #expect(PseudoHuberStudy.evaluate(m, quick: false).allSatisfy { $0.passed })
        var bad = m
        bad.cosines[2] = 0.9
        bad.lengthRatios[1] = 1.2
        bad.losses = [4, 4, 4, 4, 4]
        #expect(PseudoHuberStudy.evaluate(bad, quick: false).allSatisfy { !$0.passed })
    }

    // MARK: Fitting

    @Test func logLogSlopeRecoversAPowerLaw() {
        let x = [10.0, 100, 1000, 10_000]
        let fit = Fitting.logLogSlope(x: x, y: x.map { 3 * pow($0, -0.5) })
        #expect(abs((fit?.slope ?? 0) + 0.5) < 1e-12)
        #expect(abs((Fitting.geometricFactor([8, 4, 2, 1]) ?? 0) - 0.5) < 1e-12)
        #expect(Fitting.line(x: [1, 1], y: [2, 3]) == nil)
    }
}
