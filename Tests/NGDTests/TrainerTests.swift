import Foundation
import Testing
@testable import NGD

@Suite struct TrainerTests {
    let data = Dataset.synthetic(count: 16, dimension: 5, seed: 1)

    @Test func sameConfigAndSeedGiveByteIdenticalJSON() throws {
        let config = TrainingConfig(width: 300, seed: 4, optimizer: .ngd, steps: 4, recordOutputs: true, recordWeights: true)
        let encoder = TrainingRun.makeEncoder()
        let first = try encoder.encode(try train(config, on: data))
        let second = try encoder.encode(try train(config, on: data))
        #expect(first == second)
        var other = config
        other.seed = 5
        #expect(try encoder.encode(try train(other, on: data)) != first)
    }

    @Test func jsonHasTheKeysOtherToolsRelyOn() throws {
        let run = try train(TrainingConfig(width: 128, optimizer: .kfac, steps: 2), on: data)
        let bytes = try TrainingRun.makeEncoder().encode(run)
        let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 3)
        for key in ["step", "loss", "residual_norm", "gram_lambda_min", "gram_lambda_max", "jacobian_drift",
                    "weight_drift", "max_neuron_move", "flip_fraction"] {
            #expect(steps.allSatisfy { $0[key] != nil }, "missing \(key)")
        }
        let summary = try #require(object["summary"] as? [String: Any])
        for key in ["final_loss", "diverged", "lambda0", "solver_fallbacks", "kfac_leverage_min"] {
            #expect(summary[key] != nil, "missing \(key)")
        }
        let config = try #require(object["config"] as? [String: Any])
        #expect(config["learning_rate"] as? Double == 0.5)
        #expect(config["learning_rate_rule"] as? String == "default")
        // Round trip.
        let decoded = try TrainingRun.makeDecoder().decode(TrainingRun.self, from: bytes)
        #expect(decoded == run)
    }

    @Test func divergenceStopsTheRunAndIsMarked() throws {
        // Linearised GD at η = 10/λ_max(G₀): the top mode grows by |1 − 10| = 9 per step.
        let probe = try train(TrainingConfig(width: 128, optimizer: .gd, linearized: true, steps: 0), on: data)
        let eta = 10 / probe.summary.gramInitLambdaMax
        let run = try train(TrainingConfig(width: 128, optimizer: .gd, learningRate: .fixed(eta), linearized: true, steps: 50), on: data)
        #expect(run.summary.diverged)
        let at = try #require(run.summary.divergedAtStep)
        #expect(at > 1 && at < 50)
        #expect(run.steps.count == at + 1)
        #expect(run.summary.stepsCompleted == at)
        #expect(run.steps[at].residualNorm > 1e6 * run.steps[0].residualNorm)
        // Encodes even with huge/non-finite numbers.
        #expect(throws: Never.self) { try TrainingRun.makeEncoder().encode(run) }
    }

    @Test func convergingRunsAreNotMarkedDiverged() throws {
        let run = try train(TrainingConfig(width: 256, steps: 3), on: data)
        #expect(!run.summary.diverged && run.summary.divergedAtStep == nil)
        #expect(run.summary.stepsCompleted == 3)
        #expect(run.summary.finalLoss == run.steps[3].loss)
    }

    @Test func stopToleranceEndsTheRunAtTheFirstStepBelowIt() throws {
        let full = try train(TrainingConfig(width: 512, steps: 20), on: data)
        let r0 = full.steps[0].residualNorm
        let first = try #require(full.steps.firstIndex { $0.residualNorm <= 1e-2 * r0 })
        #expect(first > 1 && first < 20)
        let stopped = try train(TrainingConfig(width: 512, steps: 20, stopTolerance: 1e-2), on: data)
        #expect(stopped.summary.stepsCompleted == first && stopped.steps.count == first + 1)
        #expect(!stopped.summary.diverged)
        // The steps it ran are the same steps.
        #expect(stopped.steps.map(\.residualNorm) == full.steps[...first].map(\.residualNorm))
    }

    @Test(arguments: [
        (TrainingConfig(width: 0), "--width"),
        (TrainingConfig(outputs: 0), "--outputs"),
        (TrainingConfig(initScale: -1), "--init-scale"),
        (TrainingConfig(learningRate: 0), "--lr"),
        (TrainingConfig(learningRate: -0.5), "--lr"),
        (TrainingConfig(damping: -1e-3), "--damping"),
        (TrainingConfig(steps: -1), "--steps"),
        (TrainingConfig(stopTolerance: 0), "--stop-at"),
        (TrainingConfig(stopTolerance: 1.5), "--stop-at"),
        (TrainingConfig(trainOutputLayer: true, optimizer: .kfac), "--train-output-layer"),
    ] as [(TrainingConfig, String)])
    func badValuesAreUsageErrorsNamingTheOption(config: TrainingConfig, option: String) {
        #expect {
            try train(config, on: data)
        } throws: { error in
            guard let error = error as? NGDError else { return false }
            return error.source == option && error.isUsageError
        }
    }

    @Test func outputCountMustMatchTheTargets() {
        #expect(throws: NGDError.self) { try train(TrainingConfig(width: 32, outputs: 2), on: data) }
    }

    @Test func flipsAndDriftsGrowFromZeroAndShrinkWithWidth() throws {
        let narrow = try train(TrainingConfig(width: 100, steps: 5), on: data)
        let wide = try train(TrainingConfig(width: 10000, steps: 5), on: data)
        #expect(narrow.steps[0].flipFraction == 0 && narrow.steps[0].jacobianDrift == 0)
        #expect(narrow.steps[5].flipFraction > 0 && narrow.steps[5].maxNeuronMove > 0)
        #expect(wide.steps[5].weightDrift < narrow.steps[5].weightDrift / 3)      // ∝ m^{-1/2}
        #expect(wide.steps[5].jacobianDrift < narrow.steps[5].jacobianDrift)      // ∝ m^{-1/4}
        #expect(wide.steps[5].flipFraction < narrow.steps[5].flipFraction)
    }
}

@Suite struct TrainingConfigCodingTests {
    @Test func missingKeysTakeTheDefaults() throws {
        let json = Data(#"{"optimizer": "kfac", "width": 512, "huber_delta": 0.25}"#.utf8)
        let config = try TrainingRun.makeDecoder().decode(TrainingConfig.self, from: json)
        var expected = TrainingConfig(width: 512, optimizer: .kfac)
        expected.huberDelta = 0.25
        #expect(config == expected)
    }

    @Test func encodeDecodeRoundTrips() throws {
        var config = TrainingConfig(width: 7, outputs: 2, initScale: 0.5, seed: 9, trainOutputLayer: true, optimizer: .gd,
                                    learningRate: 0.1, damping: 1e-3, loss: .pseudoHuber, huberDelta: 2, linearized: true,
                                    steps: 3, stopTolerance: 1e-6, recordOutputs: true, recordWeights: true,
                                    data: DatasetRequest(kind: .synthetic, count: 5, dimension: 3, outputs: 2))
        config.learningRateRule = "given"
        let bytes = try TrainingRun.makeEncoder().encode(config)
        #expect(try TrainingRun.makeDecoder().decode(TrainingConfig.self, from: bytes) == config)
    }
}
