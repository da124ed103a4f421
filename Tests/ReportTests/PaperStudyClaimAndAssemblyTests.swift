import Foundation
import NGD
import Testing
@testable import Report

// Claim verdicts and study math of the H∞, Figure 1, convergence, width-sweep and η = 1 studies, and how
// `ngd paper` assembles, numbers and writes a report.

/// Draws every figure as fixed bytes (the real renderer is Render's, connected by the CLI).
private struct StubRenderer: FigureRenderer {
    func render(_ figure: FigureData, idPrefix: String) throws -> RenderedFigure {
        RenderedFigure(pdf: Data("pdf \(figure.id)".utf8), svg: Data("<svg id=\"\(idPrefix)\(figure.id)\"/>".utf8),
                       png: Data("png \(figure.id)".utf8))
    }
}

/// A study with one tiny training run, one figure and one claim: exercises the assembly quickly.
private struct TinyStudy: PaperStudy {
    let id = "tiny"
    func run(in context: StudyContext) throws -> StudyOutcome {
        let request = DatasetRequest(kind: .synthetic, count: 6, dimension: 4, seed: 0)
        let run = try context.train(TrainingConfig(width: 64, steps: 2), on: request, label: "tiny")
        var figure = FigureData.panel(id: "tiny-residual", kind: .convergence, caption: "residual", x: "k", y: "‖r‖")
        figure.add("NGD", x: [0, 1, 2], y: run.steps.map(\.residualNorm))
        var outcome = StudyOutcome(id: id, title: "Tiny", blocks: [.paragraph("p"), .figure(figure)],
                                   claims: [Claim.atMost(id: "9z", statement: "residual falls", expression: "‖r₂‖/‖r₀‖",
                                                              measured: run.steps[2].residualNorm / run.steps[0].residualNorm,
                                                              bound: 1)],
                                   settings: [("m", "64")])
        outcome.caveats = ["tiny caveat"]
        return outcome
    }
}

private func temporaryDirectory() throws -> String {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("paper-assembly-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func configuration(stop: @escaping @Sendable () -> Bool = { false }) -> ReportConfiguration {
    ReportConfiguration(renderer: StubRenderer(), sourceDirectory: nil, environment: [:],
                        shouldStop: stop)
}

@Test func studyMathLogLogSlopeRecoversAPowerLaw() throws {
    let x = [100.0, 1000, 10000]
    let slope = try #require(StudyMath.logLogSlope(x: x, y: x.map { 3 * pow($0, -0.5) }))
    #expect(abs(slope + 0.5) < 1e-12)
    #expect(StudyMath.logLogSlope(x: [1, 2], y: [1, -1]) == nil)
}

@Test func quantilesInterpolateLikeNumpy() {
    #expect(StudyMath.quantile([1, 2, 3, 4], 0.25) == 1.75)
    #expect(StudyMath.median([5, 1, 3]) == 3)
}

@Test func claimsFailWithTheirNumbersAndOnNaN() {
    let failed = Claim.approximately(id: "x", statement: "s", expression: "e", measured: -0.3, predicted: -0.5, tolerance: 0.1)
    #expect(!failed.passed)
    #expect(failed.measured == -0.3)
    #expect(!Claim.atLeast(id: "x", statement: "s", expression: "e", measured: .nan, bound: 0).passed)
    #expect(Claim.atMost(id: "x", statement: "s", expression: "e", measured: 0, bound: 0).passed)
}

@Test func figure1ClaimFlipsWhenNGDCosinesAreNotAligned() {
    let aligned = Figure1Study.claims(ngdCosines: Array(repeating: 0.999, count: 20),
                                      gdCosines: (0..<20).map { Double($0) / 20 }, width: 4096)
    #expect(aligned.allSatisfy { $0.passed })
    let bad = Figure1Study.claims(ngdCosines: Array(repeating: 0.95, count: 20),
                                  gdCosines: Array(repeating: 0.9, count: 20), width: 4096)
    #expect(bad.allSatisfy { !$0.passed })
}

@Test func etaOneClaimsFlipOnLinearDecay() {
    let superLinear = EtaOneStudy.analyse([[5, 0.3, 5e-3, 1e-5, 1e-15, 1e-15]])
    #expect(superLinear.stepsToFloor == 4)
    #expect(EtaOneStudy.claims(superLinear, firstStepSlope: -0.5).allSatisfy { $0.passed })
    let linear = EtaOneStudy.analyse([[1, 0.5, 0.25, 0.125, 0.0625]])
    #expect(EtaOneStudy.claims(linear, firstStepSlope: 0.1).allSatisfy { !$0.passed })
}

@Test func theoremBoundCountsOnlySquaredViolations() {
    // ρ = 0.6 at η = 0.5: ρ² = 0.36 ≤ 0.5 — no violation; ρ = 0.8: ρ² = 0.64 > 0.5 — every step.
    #expect(WidthSweepStudy.boundViolations(residuals: [1, 0.6, 0.36], eta: 0.5).violations == 0)
    #expect(WidthSweepStudy.boundViolations(residuals: [1, 0.8, 0.64], eta: 0.5) == (2, 2))
}

@Test func widthSweepSlopeClaimFailsOutsideTolerance() {
    let good = WidthSweepStudy.Slopes(gramGap: -0.5, jacobianDrift: -0.25, weightDrift: -0.5, flipFraction: -0.5,
                                      maxNeuronMove: -0.5, ratioDeviation: -0.5)
    var bad = good
    bad.jacobianDrift = -0.5
    func claims(_ slopes: WidthSweepStudy.Slopes) -> [ClaimOutcome] {
        WidthSweepStudy.claims(slopes: slopes, fitFrom: 1000, largestFraction: 1, firstAllPass: 100, widthBound: 1e5,
                               deviations: [0.06, 0.01], widths: [100, 1000], minCosineLargest: 0.999,
                               violationsLargest: [0, 0], travelRatioLargest: 1.01, largestWidth: 1000)
    }
    #expect(claims(good).allSatisfy { $0.passed })
    #expect(claims(bad).first { $0.id == "10a" }?.passed == false)
}

@Test func limitGramClaimsFlipOnPerturbedMeasurements() {
    let good = LimitGramStudy.claims(monteCarloError: 1e-3, monteCarloBound: 3e-3, samples: 400_000, diagonalError: 0,
                                     lambda0: 0.1, lambdas: [0.1, 0.05, 0.02], epsilonSlope: 1, linearDeviation: 1e-15,
                                     linearCosine: 1, realDeviations: [0.1, 0.02, 0.004])
    #expect(good.allSatisfy { $0.passed })
    let bad = LimitGramStudy.claims(monteCarloError: 1e-2, monteCarloBound: 3e-3, samples: 400_000, diagonalError: 1e-3,
                                    lambda0: 0, lambdas: [0.1, 0.2], epsilonSlope: 1, linearDeviation: 1e-6,
                                    linearCosine: 1, realDeviations: [0.1, 0.2])
    #expect(bad.allSatisfy { !$0.passed })
}

@Test func convergenceChoosesTheGridValueWithTheSmallestFinalLoss() {
    #expect(ConvergenceStudy.bestGridValue(finalLosses: [0.5: [1], 1.0: [0.5], 1.5: [0.1], 1.9: [.nan]]) == 1.5)
}

@Test func figure1ComputationMeasuresBothMethodsOnTheRealNetwork() throws {
    let context = StudyContext(settings: PaperSettings(quick: true), cacheDirectory: nil)
    let request = Figure1Request(data: Figure1Request.defaultData(mnistDirectory: nil, perClass: 3), width: 256, steps: 2)
    let result = try Figure1Computation.compute(request, in: context)
    #expect(result.outputs.count == 6)
    #expect(result.classes == [4, 4, 4, 9, 9, 9])
    #expect(result.ngd.trajectory.count == 3)
    #expect(result.gd.learningRateRule == "1/lambda_max(G0)")
    #expect(abs(result.gd.learningRate * result.gramLambdaMax - 1) < 1e-12)
    #expect(result.ngd.cosines.allSatisfy { $0.isFinite && $0 > 0.5 })
    let header = try #require(result.csv.split(separator: "\n").first)
    #expect(header.hasPrefix("example,class,u1,u2,y1,y2,ngd_du1,ngd_du2,gd_du1,gd_du2"))
    #expect(header.contains("ngd_u1_2"))
}

@Test func etaOneStudyMeasuresAFirstStepThatShrinksTheResidual() throws {
    let context = StudyContext(settings: PaperSettings(quick: true, seeds: 1), cacheDirectory: nil)
    let study = EtaOneStudy()
    let m = try study.measure(in: context)
    // One NGD step at η = 1 solves the linearised problem: what is left is the step's second-order error.
    #expect(m.widths == [300, 1000, 3000])
    #expect(m.firstFactors.allSatisfy { $0 > 0 && $0 < 0.5 })
    #expect(m.residuals[0][1] < 0.5 * m.residuals[0][0])
    let claims = study.evaluate(m)
    #expect(claims.count == 3)
    #expect(claims.allSatisfy { $0.measured?.isFinite == true })
    #expect(!study.write(m).settings.isEmpty)
}

@Test func paperReportWritesADirectoryAndKeepsThePreviousOneWhenInterrupted() throws {
    let root = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let output = (root as NSString).appendingPathComponent("paper")
    let report = PaperReport(settings: PaperSettings(quick: true, seeds: 1), studies: [TinyStudy()])
    let summary = try report.build(into: output, configuration: configuration())
    #expect(summary.runsTrained == 1)
    let manager = FileManager.default
    for file in ["report.html", "manifest.json", "timing.json", "data/claims.json", "figures/tiny-residual.svg",
                 "figures/tiny-residual.csv"] {
        #expect(manager.fileExists(atPath: (output as NSString).appendingPathComponent(file)), "\(file)")
    }
    #expect(try manager.contentsOfDirectory(atPath: (output as NSString).appendingPathComponent("runs")).count == 1)
    let html = try String(contentsOfFile: (output as NSString).appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("tiny caveat"))
    #expect(html.contains("Finite-width effects and deviations"))
    let manifest = try String(contentsOfFile: (output as NSString).appendingPathComponent("manifest.json"), encoding: .utf8)
    #expect(!manifest.contains("wall_seconds"))

    // A second build re-uses the cached run; an interrupted one leaves the report as it was.
    let again = try report.build(into: output, configuration: configuration())
    #expect(again.runsTrained == 0 && again.runsCached == 1)
    let before = try Data(contentsOf: URL(fileURLWithPath: (output as NSString).appendingPathComponent("report.html")))
    #expect(throws: ReportError.interrupted) {
        try report.build(into: output, configuration: configuration(stop: { true }))
    }
    let after = try Data(contentsOf: URL(fileURLWithPath: (output as NSString).appendingPathComponent("report.html")))
    #expect(before == after)
}

@Test func paperDocumentNumbersFiguresAndSortsClaims() {
    var figure = FigureData.panel(id: "a", kind: .convergence, caption: "c", x: "x", y: "y")
    figure.add("s", x: [0], y: [1])
    var second = figure
    second.id = "b"
    let outcomes = [
        StudyOutcome(id: "s1", title: "S1", blocks: [.figure(figure)],
                     claims: [Claim.atMost(id: "10a", statement: "t", expression: "e", measured: 0, bound: 1)]),
        StudyOutcome(id: "s2", title: "S2", blocks: [.figure(second)],
                     claims: [Claim.atMost(id: "2", statement: "t", expression: "e", measured: 2, bound: 1)]),
    ]
    let provenance = Provenance.collect(seeds: [0], compute: nil, graphics: nil, sourceDirectory: nil, environment: [:])
    let document = PaperReport(settings: PaperSettings(), studies: []).document(from: outcomes, provenance: provenance)
    #expect(document.figures.map(\.number) == [1, 2])
    #expect(document.claims.map(\.id) == ["2", "10a"])
    #expect(document.sections.map(\.id).contains("deviations"))
}

@Test func quickPaperReportRunsEveryStudyWithFiniteClaims() throws {
    let root = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    // NGD_PAPER_TEST_OUT keeps a copy of the report for inspection.
    let output = ProcessInfo.processInfo.environment["NGD_PAPER_TEST_OUT"] ?? (root as NSString).appendingPathComponent("paper")
    let report = PaperReport(settings: PaperSettings(quick: true, seeds: 1))
    let summary = try report.build(into: output, configuration: configuration())
    let ids = Set(summary.claims.map(\.id))
    for id in ["1a", "4a", "15a", "2", "3", "5", "6", "7a", "10a", "11b", "conv-ngd"] { #expect(ids.contains(id), "\(id)") }
    #expect(summary.claims.allSatisfy { $0.measured?.isFinite == true && $0.predicted?.isFinite == true })
    let html = try String(contentsOfFile: (output as NSString).appendingPathComponent("report.html"), encoding: .utf8)
    for section in ["Introduction", "Claims", "Finite-width effects and deviations", "Reproducing this report"] {
        #expect(html.contains(section), "\(section)")
    }
}
