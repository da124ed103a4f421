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

    @Test func verifyDetectsANonDeterministicEngine() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let noisy = FakeExecutor()
        noisy.nondeterministic = true
        let report = try ReportVerifier(configuration: configuration(executor: noisy)).verify(directory: output,
                                                                                              scratchRoot: directory.path)
        #expect(!report.passed)
        #expect(report.differing.contains("figures/convergence.csv"))
        #expect(report.differing.contains { $0.hasPrefix("runs/") })
        #expect(report.altered.isEmpty)
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
