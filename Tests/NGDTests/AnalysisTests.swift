import Testing
@testable import NGD

@Suite struct AnalysisTests {
    @Test func lambda0EqualsTheSmallestEigenvalueOfTheClosedForm() throws {
        let data = Dataset.synthetic(count: 30, dimension: 8, seed: 1)
        let analysis = try Analysis(dataset: data, config: TrainingConfig(width: 512))
        let all = try #require(LimitGram.closedForm(data.inputs).symmetricEigenvalues())
        #expect(abs(analysis.lambda0 - all[0]) <= 1e-6 * all[0])
        #expect(abs(analysis.hInfLambdaMax - all[all.count - 1]) <= 1e-6 * all[all.count - 1])
        let run = try train(TrainingConfig(width: 512, steps: 0), on: data)
        #expect(run.summary.lambda0 == analysis.lambda0)
        #expect(run.steps.count == 1)
    }

    @Test func initialGramGapShrinksLikeInverseSquareRootOfWidth() throws {
        let data = Dataset.synthetic(count: 20, dimension: 10, seed: 2)
        let widths = [100, 400, 1600, 6400]
        var gaps: [Double] = []
        for m in widths {
            // Average over seeds: one draw of ‖G₀ − H∞‖ fluctuates by tens of percent.
            var sum = 0.0
            for seed: UInt64 in 0..<4 { sum += try Analysis(dataset: data, config: TrainingConfig(width: m, seed: seed)).gramInitGap }
            gaps.append(sum / 4)
        }
        // Least-squares slope of log gap against log m.
        let xs = widths.map { log(Double($0)) }, ys = gaps.map { log($0) }
        let mx = xs.reduce(0, +) / 4, my = ys.reduce(0, +) / 4
        let slope = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        #expect(slope > -0.7 && slope < -0.35)
    }

    @Test func twoOutputGapComparesWithHInfinityKroneckerIdentity() throws {
        let data = Dataset.synthetic(count: 10, dimension: 6, outputs: 2, seed: 3)
        let narrow = try Analysis(dataset: data, config: TrainingConfig(width: 200, outputs: 2))
        let wide = try Analysis(dataset: data, config: TrainingConfig(width: 20000, outputs: 2))
        #expect(wide.gramInitGap < narrow.gramInitGap / 3)
        #expect(abs(wide.gramInitLambdaMin - wide.lambda0) < 0.1 * wide.lambda0 + 0.02)
    }

    @Test func leverageScoresAndInputSpectrum() throws {
        let data = Dataset.synthetic(count: 25, dimension: 5, seed: 4)
        let analysis = try Analysis(dataset: data, config: TrainingConfig(width: 64))
        #expect(abs(analysis.kfacLeverageScores.reduce(0, +) - 5) < 1e-10)
        let spectrum = try #require(data.inputs.gram(transposing: true).symmetricEigenvalues())
        #expect(abs(analysis.inputGramLambdaMax - spectrum[4]) < 1e-12)
        // Unit rows: h_i ≥ 1/λ_max(XᵀX), the paper's K-FAC rate.
        #expect(analysis.kfacLeverageMin >= 1 / analysis.inputGramLambdaMax - 1e-12)
        // Wide data (n ≤ d): every leverage score is 1.
        let wide = try Analysis(dataset: Dataset.synthetic(count: 6, dimension: 12, seed: 5), config: TrainingConfig(width: 64))
        #expect(wide.kfacLeverageScores.allSatisfy { abs($0 - 1) < 1e-10 })
    }
}

import Foundation
