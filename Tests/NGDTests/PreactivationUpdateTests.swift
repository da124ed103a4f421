import Testing
import NGD

/// The update form keeps Z = XWᵀ through ΔZ = (XRᵀ)·B instead of recomputing it: it must stay within
/// rounding of the recomputed product, refresh exactly, and give the same trajectory as recomputing.
@Suite struct PreactivationUpdateTests {
    let data = Dataset.synthetic(count: 16, dimension: 40, seed: 4)
    var theta: NetworkParameters { TwoLayerReLU(inputDimension: 40, width: 512).initialParameters(initScale: 1, seed: 9) }

    @Test(arguments: OptimizerKind.allCases)
    func heldPreactivationsDriftOnlyByRoundingBetweenRefreshes(optimizer: OptimizerKind) throws {
        var stepper = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta,
                                            form: .inputGramUpdate, refreshInterval: 20)
        let eta = optimizer == .gd ? 0.2 : 0.5
        for step in 1...19 {
            try stepper.step(optimizer, learningRate: eta)
            // |z| ≲ ‖w_r‖ ≈ √d here; 19 rank-n updates leave a few hundred ulps at most.
            #expect(stepper.preactivationDrift() <= 1e-11, "step \(step): drift \(stepper.preactivationDrift())")
        }
        #expect(stepper.stepsSinceRefresh == 19)
        try stepper.step(optimizer, learningRate: eta)
        #expect(stepper.stepsSinceRefresh == 0)
        #expect(stepper.preactivationDrift() == 0)
    }

    @Test(arguments: OptimizerKind.allCases)
    func updatedAndRecomputedPreactivationsFollowTheSameTrajectory(optimizer: OptimizerKind) throws {
        var updated = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta,
                                            form: .inputGramUpdate)
        var recomputed = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta,
                                               form: .recomputed)
        for _ in 0..<8 {
            let a = try updated.step(optimizer, learningRate: 0.5)
            let b = try recomputed.step(optimizer, learningRate: 0.5)
            #expect(abs(a.lossBefore - b.lossBefore) <= 1e-10 * b.lossBefore)
        }
        let difference = zip(updated.hiddenWeights.storage, recomputed.hiddenWeights.storage).map { abs($0 - $1) }.max() ?? 0
        #expect(difference <= 1e-11)
    }

    @Test func cheaperFormFollowsTheFlopCounts() {
        // update 2n²m + 4ndm/R vs recompute 4ndm: update iff n < 2d(1 − 1/R).
        #expect(PreactivationForm.cheaper(examples: 256, dimension: 784) == .inputGramUpdate)
        #expect(PreactivationForm.cheaper(examples: 1024, dimension: 784) == .inputGramUpdate)
        #expect(PreactivationForm.cheaper(examples: 2048, dimension: 64) == .recomputed)
        #expect(PreactivationForm.cheaper(examples: 1500, dimension: 784) == .recomputed)
        #expect(PreactivationForm.cheaper(examples: 1024, dimension: 784, refreshInterval: 1) == .recomputed)
    }

    @Test func weightsReadBetweenRefreshesIncludeThePendingCoefficients() throws {
        var deferred = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta,
                                             form: .inputGramUpdate)
        var explicit = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta,
                                             form: .recomputed)
        for _ in 0..<3 {
            try deferred.step(.ngd, learningRate: 0.5)
            try explicit.step(.ngd, learningRate: 0.5)
        }
        let pending = deferred.hiddenWeights
        deferred.materializeWeights()
        #expect(deferred.hiddenWeights == pending)
        let difference = zip(pending.storage, explicit.hiddenWeights.storage).map { abs($0 - $1) }.max() ?? 0
        #expect(difference <= 1e-12)
    }
}
