import Foundation
import Testing
@testable import NGD

/// Training runs of the deep network through `Trainer` (depth ≥ 2 goes to `DeepTrainer`).
@Suite struct DeepTrainerTests {
    func run(depth: Int, width: Int, optimizer: OptimizerKind = .ngd, linearized: Bool = false, steps: Int = 4,
             outputs: Int = 1) throws -> TrainingRun {
        let data = Dataset.synthetic(count: 16, dimension: 8, outputs: outputs, seed: 2)
        let config = TrainingConfig(width: width, outputs: outputs, seed: 1, optimizer: optimizer,
                                    learningRate: optimizer == .gd ? nil : .fixed(0.5), linearized: linearized,
                                    steps: steps, depth: depth)
        return try Trainer(config: config, dataset: data).run()
    }

    @Test(arguments: [2, 3])
    func linearizedNGDContractsByExactlyOneMinusEta(depth: Int) throws {
        let run = try run(depth: depth, width: 256, linearized: true, outputs: 2)
        let ratios = run.steps.compactMap(\.contractionRatio)
        #expect(ratios.count == 4)
        #expect(ratios.allSatisfy { abs($0 - 0.5) < 1e-10 }, "\(ratios)")
        #expect(run.steps.allSatisfy { $0.gramLambdaMin == run.steps[0].gramLambdaMin && $0.flipFraction == 0 })
    }

    @Test func wideDeepNGDContractsNearOneMinusEta() throws {
        let ratios = try run(depth: 2, width: 2048).steps.compactMap(\.contractionRatio)
        #expect(ratios.allSatisfy { abs($0 - 0.5) < 0.05 }, "\(ratios)")
    }

    @Test(arguments: [OptimizerKind.gd, .kfac])
    func linearizedRunsOfEveryOptimizerStayOnJ0AndReduceTheLoss(optimizer: OptimizerKind) throws {
        let run = try run(depth: 3, width: 128, optimizer: optimizer, linearized: true)
        #expect(run.steps.allSatisfy { $0.gramLambdaMax == run.steps[0].gramLambdaMax && $0.jacobianDrift == 0 })
        #expect(run.summary.finalLoss < run.steps[0].loss)
    }

    @Test func deepMetricsCarryOneEntryPerLayerAndConditionTwosRatio() throws {
        let run = try run(depth: 3, width: 128, optimizer: .kfac)
        #expect(run.summary.depth == 3)
        let lambdaMin = run.summary.gramInitLambdaMin
        #expect(run.summary.theoremRadius == 3 * run.summary.initialResidualNorm / lambdaMin.squareRoot())
        for step in run.steps {
            for array in [step.layerJacobianDrift, step.layerJacobianDistance, step.layerWeightDrift,
                          step.layerFlipFraction] {
                #expect(array?.count == 3)
            }
            let distance = try #require(step.jacobianDistance)
            #expect(step.conditionTwoRatio == 3 * distance / lambdaMin.squareRoot())
            #expect(step.layerJacobianDistance?.allSatisfy { $0 <= distance * (1 + 1e-12) } == true)
        }
        #expect(run.steps[0].parameterDistance == 0 && run.steps[0].conditionTwoRatio == 0)
        #expect((run.steps.last?.parameterDistance ?? 0) > 0)
        #expect(run.summary.conditionTwoRatioMax == run.steps.compactMap(\.conditionTwoRatio).max())
    }

    @Test func twoLayerRunsHaveNoDeepKeysAndConfigsOmitDepthOne() throws {
        let shallow = try run(depth: 1, width: 64)
        #expect(shallow.steps.allSatisfy { $0.layerFlipFraction == nil && $0.conditionTwoRatio == nil })
        #expect(shallow.summary.depth == nil && shallow.summary.theoremRadius == nil)
        let encoder = TrainingRun.makeEncoder()
        let text = String(decoding: try encoder.encode(shallow), as: UTF8.self)
        #expect(!text.contains("depth") && !text.contains("layer_"))
        let deep = TrainingConfig(width: 8, depth: 3)
        let decoded = try TrainingRun.makeDecoder().decode(TrainingConfig.self, from: try encoder.encode(deep))
        #expect(decoded.depth == 3 && decoded == deep)
        #expect(try TrainingRun.makeDecoder().decode(TrainingConfig.self, from: Data("{}".utf8)).depth == 1)
    }

    @Test func depthZeroAndHugeLayersAreRefusedWithTheOption() throws {
        #expect(throws: NGDError.self) { try TrainingConfig(width: 8, depth: 0).validate() }
        let limits = ResourceLimits(memoryBytes: 1 << 30, memorySource: "test")
        let shape = ResourceLimits.RunShape(config: TrainingConfig(width: 20000, depth: 3), examples: 8, dimension: 4)
        do {
            try limits.check(shape)
            Issue.record("a depth-3 net of width 20000 fits in 1 GiB?")
        } catch let error as NGDError {
            #expect(error.source == "--depth")
        }
    }
}

/// `ngd analyze --depth L` against the closed form.
@Suite struct DeepAnalysisTests {
    @Test(arguments: [(2, 1.0), (3, 0.7)])
    func lambda0IsTheClosedFormOfTheInputs(depth: Int, initScale: Double) throws {
        let text = "y,a,b,c\n" + (0..<9).map { i in "\(i % 3),\(sin(Double(i))),\(cos(Double(2 * i))),\(i)\n" }.joined()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("deep-analysis-\(depth).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let data = try DatasetRequest(kind: .csv, path: url.path).load()
        let config = TrainingConfig(width: 256, initScale: initScale, depth: depth)
        let analysis = try DeepAnalysis(dataset: data, config: config)
        let expected = try DeepLimitGram.lambda0(of: data.inputs, depth: depth, inputVariance: initScale * initScale)
        #expect(abs(analysis.lambda0 - expected) <= 1e-6 * expected)
        let run = try Trainer(config: TrainingConfig(width: 256, initScale: initScale, steps: 0, depth: depth),
                              dataset: data).run()
        #expect(run.summary.lambda0 == expected && run.summary.gramInitLambdaMin == analysis.gramInitLambdaMin)
    }
}
