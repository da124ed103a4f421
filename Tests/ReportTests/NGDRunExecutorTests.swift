import Foundation
import NGD
import Testing
@testable import Report

@Suite("NGD run executor")
struct NGDRunExecutorTests {
    private func run(_ optimizer: String, steps: Int, width: Int = 2048, conditioning: String = "") throws -> ResolvedRun {
        let yaml = """
        title: executor
        datasets:
          sphere: {kind: synthetic, n: 8, d: 4, outputs: 1\(conditioning)}
        models:
          net: {width: \(width)}
        optimizers:
          opt: \(optimizer)
        runs:
          - {id: r, dataset: sphere, model: net, optimizer: opt, steps: \(steps)}
        """
        let experiment = try ExperimentSpec.parse(yaml: yaml, file: "executor.yaml").resolved()
        return try #require(experiment.members.first).run
    }

    @Test("an NGD run's theory series is the linearised contraction (1 − η)^k r₀")
    func ngdTheorySeriesContractsExactly() throws {
        let result = try NGDRunExecutor().execute(try run("{kind: ngd, lr: 0.5}", steps: 4), shouldStop: { false })
        let theory = try #require(result.series["residual_norm_theory"])
        let measured = try #require(result.series["residual_norm"])
        #expect(theory.count == 5 && measured.count == 5)
        for k in 1..<theory.count {
            #expect(abs(theory[k] / theory[k - 1] - 0.5) < 1e-9)
        }
        #expect(abs(measured[0] - theory[0]) < 1e-12)
        #expect(result.scalars["lambda0"].map { $0 > 0 } == true)
        #expect(result.scalars["learning_rate"] == 0.5)
        #expect(result.matrices["outputs_initial"]?.rows == 8)
    }

    @Test("c/lambda_max resolves to c divided by λ_max(G₀)")
    func learningRateScalesWithLambdaMax() throws {
        let result = try NGDRunExecutor().execute(try run("{kind: gd, lr: 1.5/lambda_max}", steps: 1), shouldStop: { false })
        let lambdaMax = try #require(result.scalars["lambda_max"])
        let eta = try #require(result.scalars["learning_rate"])
        #expect(abs(eta * lambdaMax - 1.5) < 1e-12)
    }

    @Test("input conditioning stretches the inputs: κ(XᵀX) grows with the requested value")
    func inputConditioningIsHonoured() throws {
        let plain = try NGDRunExecutor().execute(try run("{kind: kfac, lr: 0.5}", steps: 0), shouldStop: { false })
        let stretched = try NGDRunExecutor().execute(
            try run("{kind: kfac, lr: 0.5}", steps: 0, conditioning: ", input_conditioning: 100"), shouldStop: { false })
        let before = try #require(plain.scalars["input_gram_condition"])
        let after = try #require(stretched.scalars["input_gram_condition"])
        #expect(after > 5 * before)
    }

    @Test("a stop request before training throws interrupted")
    func stopsWhenAsked() throws {
        #expect(throws: ReportError.interrupted) {
            _ = try NGDRunExecutor().execute(try run("{kind: ngd, lr: 0.5}", steps: 2), shouldStop: { true })
        }
    }
}
