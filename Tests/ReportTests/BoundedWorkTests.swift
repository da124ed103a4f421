import Foundation
import Testing
@testable import Report

/// Inputs that would recurse or expand without bound get one error, quickly: claim expressions, templates, sweeps.
@Suite struct BoundedWorkTests {
    private func parseError(_ text: String) -> ExpressionError? {
        do {
            _ = try ClaimExpression.parse(text)
            return nil
        } catch {
            return error as? ExpressionError
        }
    }

    @Test func deepNestingIsRefusedBeforeTheStackOverflows() {
        let deep = String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)
        #expect(parseError(deep)?.message == "nested more than 64 levels deep (the limit)")
        #expect(parseError(String(repeating: "-", count: 20_000) + "1")?.message.hasPrefix("nested more than 64") == true)
        #expect(parseError(String(repeating: "abs(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)) != nil)
        let allowed = String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)
        #expect(parseError(allowed) == nil)
    }

    @Test func tooManyTermsAreRefused() {
        let long = Array(repeating: "1", count: 100_000).joined(separator: "+")
        let error = parseError(long)
        #expect(error?.message == "more than 1000 numbers and names in one expression (the limit)")
        #expect(error?.offset == 2000)
        #expect(parseError(Array(repeating: "1", count: 1000).joined(separator: "+")) == nil)
    }

    @Test func atWithAnIndexBeyondEveryIntIsAnErrorNotATrap() throws {
        #expect(parseError("at(r.loss, 1e300)")?.message == "at(list, k) needs an integer index k, got 1e+300")
        #expect(parseError("at(r.loss, -1e300)") != nil)
        #expect(parseError("at(r.loss, 0.5)") != nil)
        #expect(parseError("at(r.loss, -1)") == nil)
        // A computed index never reaches Int(): the evaluator checks it against the list first.
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        var results: [String: RunResult] = [:]
        for run in experiment.runs { results[run.key] = try FakeExecutor().execute(run, shouldStop: { false }) }
        let evaluator = ClaimEvaluator(experiment: experiment, results: results)
        #expect(try evaluator.scalar("at(ngd_wide.residual_norm, 0)", role: "t").isFinite)
        let error = #expect(throws: (any Error).self) { _ = try evaluator.scalar("at(ngd_wide.residual_norm, 10 ^ 300)", role: "t") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("outside"))
    }

    @Test func templatesThatIncludeThemselvesAreRefusedWhenLoaded() throws {
        func loadError(_ files: [String: String]) throws -> String? {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ngd-templates-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            for (name, text) in files { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
            do {
                _ = try ReportTemplates.load(directory: directory.path)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(try loadError(["report.mustache": "a {{> report}}"])?.hasSuffix("report.mustache: includes itself ({{> report}})") == true)
        #expect(try loadError(["report.mustache": "{{>style}}", "style.mustache": "{{> report}}"])?
            .hasSuffix("includes itself through report → style → report") == true)
        #expect(try loadError(["report.mustache": "{{=[[ ]]=}}[[> report]]"])?.contains("includes itself") == true)
        #expect(try loadError(["report.mustache": "{{>*name}}"])?.contains("dynamic partials") == true)
        #expect(try loadError(["report.mustache": "{{#a}}"])?.contains("line 1, column") == true)
        #expect(try loadError(["report.mustache": "<style>{{> style}}</style>{{> missing}}"]) == nil)
    }

    @Test func aSweepOfABillionMembersIsRefusedBeforeExpansion() {
        let values = "[" + (1...10).map(String.init).joined(separator: ", ") + "]"
        let axes = ["width", "steps", "seed", "n", "d", "init_scale", "input_conditioning", "lr", "damping"]
        let yaml = """
        title: huge
        datasets:
          data: {kind: synthetic, n: 10, d: 5}
        models:
          net: {width: 100}
        optimizers:
          ngd: {kind: ngd, lr: 0.5}
        sweeps:
          - id: s
            dataset: data
            model: net
            optimizer: ngd
            steps: 1
            over:

        """ + axes.map { "      \($0): \(values)\n" }.joined()
        let started = Date()
        var message = ""
        do {
            _ = try ExperimentSpec.parse(yaml: yaml, file: "huge.yaml")
        } catch {
            message = "\(error)"
        }
        #expect(message == "huge.yaml:15:7: sweeps[0].over: this sweep (1000000000 members) takes the spec to more than "
                           + "100000 runs, the limit (see Limits in the README)")
        #expect(Date().timeIntervalSince(started) < 2)
    }
}
