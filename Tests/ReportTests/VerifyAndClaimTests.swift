import Foundation
import Testing
@testable import Report

@Suite struct VerifyTests {
    @Test func anUntouchedReportVerifies() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let executor = FakeExecutor()
        let report = try ReportVerifier(configuration: configuration(executor: executor))
            .verify(directory: output, scratchRoot: directory.path)
        #expect(report.passed)
        #expect(report.differing.isEmpty && report.altered.isEmpty)
        #expect(executor.calls == 8)   // re-run without the cache
    }

    @Test func verifyDetectsAFileAlteredOnDisk() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let csv = (output as NSString).appendingPathComponent("figures/convergence.csv")
        try "series,role\nforged,measured\n".write(toFile: csv, atomically: true, encoding: .utf8)
        try Data().write(to: URL(fileURLWithPath: (output as NSString).appendingPathComponent("stray.txt")))
        let report = try ReportVerifier(configuration: configuration()).verify(directory: output, scratchRoot: directory.path)
        #expect(!report.passed)
        #expect(report.altered == ["figures/convergence.csv"])
        #expect(report.unlisted == ["stray.txt"])
        #expect(report.differing.isEmpty)
    }

    /// Noise of ~1e-7 in every run moves numbers beyond 1e-9 but flips no claim: "claims hold", which passes
    /// unless `strict` asks for equivalent numbers.
    @Test func aNonDeterministicEngineOnlyKeepsTheClaimsAndFailsStrictly() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let noisy = FakeExecutor()
        noisy.nondeterministic = true
        for strict in [false, true] {
            let report = try ReportVerifier(configuration: configuration(executor: noisy))
                .verify(directory: output, scratchRoot: directory.path, strict: strict)
            #expect(report.passed == !strict)
            #expect(report.comparison?.level == .claimsHold)
            #expect(report.differing.contains("figures/convergence.csv"))
            #expect(report.comparison?.files.first { $0.path == "figures/convergence.csv" }?.outcome == .moved)
            #expect(report.differing.contains { $0.hasPrefix("runs/") })
            #expect(report.altered.isEmpty)
            #expect(report.listing(directory: "r").hasSuffix("r: \(strict ? "NOT verified" : "verified") — claims hold"
                                                             + (strict ? " (--strict asks for equivalent)" : "")))
        }
    }
}

@Suite struct ClaimTests {
    private func evaluator() throws -> ClaimEvaluator {
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let executor = FakeExecutor()
        var results: [String: RunResult] = [:]
        for run in experiment.runs { results[run.key] = try executor.execute(run, shouldStop: { false }) }
        return ClaimEvaluator(experiment: experiment, results: results)
    }

    @Test func expressionsFollowPrecedenceAndBroadcast() throws {
        let claims = try evaluator()
        #expect(try claims.scalar("1 + 2 * 3 ^ 2", role: "t") == 19)
        #expect(try claims.scalar("-2 ^ 2", role: "t") == -4)
        #expect(try claims.scalar("count(widths.width)", role: "t") == 6)
        #expect(try claims.scalar("max(widths[seed=2].width)", role: "t") == 1024)
        #expect(try claims.scalar("mean(widths.width >= 256)", role: "t") == 4.0 / 6.0)
        #expect(try claims.scalar("at(ngd_wide.residual_norm, 0)", role: "t") == 2)
        #expect(try claims.scalar("slope(widths[seed=1].width, 2 * widths[seed=1].width + 1)", role: "t") == 2)
    }

    @Test func outcomesKeepTheNumbersOfFailures() throws {
        let outcomes = try evaluator().outcomes()
        #expect(outcomes.map(\.id) == ["ngd-rate", "deviation-slope", "gd-fast"])
        #expect(outcomes.map(\.passed) == [true, true, false])
        let slope = try #require(outcomes[1].measured)
        #expect(abs(slope + 0.5) < 0.1)
        #expect(outcomes[2].detail.hasPrefix("not a number"))
    }

    @Test func aClaimJustOutsideItsToleranceFails() throws {
        var claims = try evaluator()
        let claim = ClaimSpec(id: "c", statement: "s", measured: "at(ngd_wide.residual_norm, 0)", predicted: .number(2.5),
                              compare: .approximately, tolerance: 0.49)
        #expect(!claims.outcome(of: claim).passed)
        #expect(claims.outcome(of: claim).detail == "|2 − 2.5| = 0.5 > 0.49")
        claims.results = [:]
        #expect(claims.outcome(of: claim).detail.hasPrefix("could not be measured: no result for"))
    }

    @Test func syntaxErrorsNameTheirPosition() {
        #expect(throws: ExpressionError(message: "unexpected ')'", offset: 8)) { try ClaimExpression.parse("max(a.b)) ") }
        #expect(throws: ExpressionError.self) { try ClaimExpression.parse("nosuch(a.b)") }
        #expect(throws: ExpressionError.self) { try ClaimExpression.parse("a + ") }
    }
}

@Suite struct EngineAdapterTests {
    struct Step: Encodable {
        var step: Int
        var residualNorm: Double
        var contractionRatio: Double?
        var solverFallback: Bool?
        var outputs: Grid?
    }
    struct Grid: Encodable { var rows: Int; var columns: Int; var storage: [Double] }
    struct Summary: Encodable {
        var lambda0: Double
        var gramInitLambdaMax: Double
        var diverged: Bool
        var kfacLeverageScores: [Double]?
        var gramInitial: Grid
    }

    @Test func engineValuesBecomeNamedSeriesScalarsVectorsAndMatrices() throws {
        let steps = [Step(step: 0, residualNorm: 2, contractionRatio: 0.5, solverFallback: false),
                     Step(step: 1, residualNorm: 1, contractionRatio: nil, solverFallback: nil,
                          outputs: Grid(rows: 1, columns: 1, storage: [3]))]
        let summary = Summary(lambda0: 0.1, gramInitLambdaMax: 1.4, diverged: false, kfacLeverageScores: [0.2, 0.8],
                              gramInitial: Grid(rows: 1, columns: 2, storage: [1, 2]))
        let result = try RunResult(steps: steps, summary: summary)
        #expect(Set(result.series.keys) == ["step", "residual_norm", "contraction_ratio"])
        #expect(result.series["residual_norm"] == [2, 1])
        #expect(result.series["contraction_ratio"]?[0] == 0.5 && result.series["contraction_ratio"]?[1].isNaN == true)
        #expect(result.scalars == ["lambda0": 0.1, "gram_init_lambda_max": 1.4])
        #expect(result.vectors == ["kfac_leverage_scores": [0.2, 0.8]])
        #expect(result.matrices["gram_initial"] == MatrixValue(rows: 1, columns: 2, values: [1, 2]))
    }

    @Test func outputCosinesAreDerivedFromTheOutputMatrices() {
        let result = RunResult(matrices: [
            "outputs_initial": MatrixValue(rows: 2, columns: 2, values: [0, 0, 0, 0]),
            "outputs_next": MatrixValue(rows: 2, columns: 2, values: [1, 0, 0, 1]),
            "targets": MatrixValue(rows: 2, columns: 2, values: [2, 0, 1, 0]),
        ]).withDerivedQuantities()
        #expect(result.vectors["output_cosines"] == [1, 0])
    }
}

@Suite struct SourceDateTests {
    @Test func theReportShowsADateOnlyFromSourceDateEpochAndVerifyReusesIt() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        var config = configuration()
        config.environment = ["SOURCE_DATE_EPOCH": "1700000000"]
        try ReportBuilder(configuration: config).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let html = try String(contentsOfFile: (output as NSString).appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("2023-11-14T22:13:20Z"))
        // The verifying process has no SOURCE_DATE_EPOCH; the recorded one is used, so the HTML matches.
        let report = try ReportVerifier(configuration: configuration()).verify(directory: output, scratchRoot: directory.path)
        #expect(report.passed)

        let plain = directory.appending("plain")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: plain)
        let undated = try String(contentsOfFile: (plain as NSString).appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!undated.contains("SOURCE_DATE_EPOCH") && !undated.contains("2023-"))
    }
}

@Suite struct ManifestTamperingTests {
    @Test func editingAClaimVerdictInTheManifestIsCaught() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let path = (output as NSString).appendingPathComponent("manifest.json")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"passed\" : false", with: "\"passed\" : true").write(toFile: path, atomically: true,
                                                                                                 encoding: .utf8)
        let report = try ReportVerifier(configuration: configuration()).verify(directory: output, scratchRoot: directory.path)
        #expect(report.differing == ["manifest.json"])
        #expect(!report.passed)
    }

    @Test func theProgressBarShowsAnETAOnceARunHasBeenTimed() throws {
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let output = LineCollector()
        let scheduler = RunScheduler(executor: FakeExecutor(), cache: RunCache(directory: directory.appending("runs")),
                                     progress: ProgressReporter(style: .bar, write: output.append), shouldStop: { false })
        _ = try scheduler.results(for: experiment)
        #expect(output.text.contains("\r"))
        #expect(output.text.contains(" ETA "))
        #expect(output.text.contains("8/8"))
        #expect(output.text.hasSuffix("\n"))
    }
}
