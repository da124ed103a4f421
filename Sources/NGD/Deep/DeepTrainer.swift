/// Trains the deep network (`TrainingConfig.depth` ≥ 2) under one config: what `Trainer` does for two layers,
/// with the per-layer diagnostics of docs/DEEP.md in each step's metrics (Condition 2's C_k, ‖θ_k − θ₀‖ against
/// the theorem's radius, drifts and activation flips per layer). `Trainer` hands depth ≥ 2 runs here, so two-layer
/// runs keep their code path and their bytes.
struct DeepTrainer {
    var config: TrainingConfig
    var dataset: Dataset

    /// One evaluated iterate.
    private struct Point {
        var parameters: DeepParameters
        var outputs: Matrix
        var jacobian: DeepJacobian
        var gram: Matrix
        var gramExtremes: (min: Double, max: Double)?
    }

    /// The run's fixed references: θ₀'s point, per-layer norms at θ₀ and √λ_min(G₀).
    private struct Reference {
        var point: Point
        var jacobianNorm: Double
        var layerJacobianNorms: [Double]
        var layerWeightNorms: [Double]
        var hiddenWeightNorm: Double
        var rootLambdaMin: Double
    }

    func train(keepingInitialGram: Bool) throws -> Trainer.Outcome {
        try config.validate(for: dataset)
        let model = config.deepModel(inputDimension: dataset.dimension)
        let loss = Loss(config.loss, delta: config.huberDelta)
        let theta0 = model.initialParameters(initScale: config.initScale, seed: config.seed)
        let initial = evaluate(model: model, parameters: theta0, reference: nil)
        guard let extremes = initial.gramExtremes else {
            throw NGDError("gram", "could not compute the eigenvalues of G₀ (non-finite entries)")
        }
        let layerNorms = initial.jacobian.layerSquaredFrobeniusNorms().map { $0.squareRoot() }
        let weightNorms = theta0.hiddenWeights.map(\.frobeniusNorm)
        let reference = Reference(
            point: initial, jacobianNorm: initial.gram.diagonal.reduce(0, +).squareRoot(),
            layerJacobianNorms: layerNorms, layerWeightNorms: weightNorms,
            hiddenWeightNorm: weightNorms.reduce(0) { $0 + $1 * $1 }.squareRoot(),
            rootLambdaMin: max(extremes.min, 0).squareRoot())

        var resolved = config
        let (eta, rule) = Trainer.learningRate(config.learningRate, optimizer: config.optimizer, lambdaMax: extremes.max)
        resolved.learningRate = .fixed(eta)
        resolved.learningRateRule = rule
        let update = DeepUpdate(optimizer: config.optimizer, learningRate: eta, damping: config.damping)

        var point = initial
        var steps = [metrics(of: point, step: 0, reference: reference, loss: loss)]
        let initialResidual = steps[0].residualNorm
        var diverged = !steps[0].loss.isFinite, divergedAt: Int? = diverged ? 0 : nil
        var fallbackSteps: [Int] = [], maxCutoff: Double? = nil
        var step = 0
        func reachedTolerance(_ norm: Double) -> Bool {
            config.stopTolerance.map { norm <= $0 * initialResidual } ?? false
        }
        while !diverged && step < config.steps && !reachedTolerance(steps[step].residualNorm) {
            let residuals = point.outputs.subtracting(dataset.targets)
            let (delta, solves) = try update.delta(jacobian: point.jacobian, gram: point.gram,
                                                   outputGradient: loss.gradient(residuals: residuals))
            if let fallback = solves.first(where: { $0.isFallback }) {
                steps[step].solverMethod = fallback.method
                steps[step].solverFallback = true
                steps[step].solverCutoff = solves.compactMap(\.cutoff).max()
                fallbackSteps.append(step)
                maxCutoff = max(maxCutoff ?? 0, steps[step].solverCutoff ?? 0)
            } else if let first = solves.first {
                steps[step].solverMethod = first.method
                steps[step].solverFallback = false
            }
            point = evaluate(model: model, parameters: point.parameters.adding(delta), reference: initial)
            step += 1
            let current = metrics(of: point, step: step, reference: reference, loss: loss)
            steps[step - 1].contractionRatio = current.residualNorm / steps[step - 1].residualNorm
            let next = point.outputs.subtracting(dataset.targets)
            steps[step - 1].residualCosine = residuals.dot(next) / (residuals.frobeniusNorm * next.frobeniusNorm)
            if !current.loss.isFinite || !(current.residualNorm <= Trainer.divergenceFactor * initialResidual) {
                diverged = true
                divergedAt = step
            }
            steps.append(current)
        }

        let last = steps[steps.count - 1]
        var summary = TrainingSummary(
            finalLoss: last.loss, initialResidualNorm: initialResidual, finalResidualNorm: last.residualNorm,
            learningRate: eta, stepsCompleted: step, diverged: diverged, divergedAtStep: divergedAt,
            lambda0: Self.limitLambda0(of: dataset.inputs, depth: config.depth, initScale: config.initScale),
            gramInitLambdaMin: extremes.min, gramInitLambdaMax: extremes.max,
            solverFallbacks: fallbackSteps.count, solverFallbackSteps: fallbackSteps, solverMaxCutoff: maxCutoff,
            damping: config.damping)
        summary.depth = config.depth
        summary.theoremRadius = 3 * initialResidual / reference.rootLambdaMin
        summary.conditionTwoRatioMax = steps.compactMap(\.conditionTwoRatio).max()
        if config.recordWeights {
            summary.finalParameters = point.parameters.firstLayer
            summary.finalUpperWeights = Array(point.parameters.hiddenWeights.dropFirst())
        }
        let run = TrainingRun(config: resolved, dataset: DatasetDescription(dataset), steps: steps, summary: summary)
        return Trainer.Outcome(run: run, initialGram: initial.gram,
                               initialGramEigenvalues: keepingInitialGram ? initial.gram.symmetricEigenvalues() : nil)
    }

    /// The deep λ₀ = λ_min(Θ) of the inputs for ν (NaN when Θ cannot be computed).
    static func limitLambda0(of inputs: Matrix, depth: Int, initScale: Double) -> Double {
        (try? DeepLimitGram.lambda0(of: inputs, depth: depth, inputVariance: initScale * initScale)) ?? .nan
    }

    /// Evaluates θ; the linearised model keeps J₀ and G₀ and moves u = u₀ + J₀(θ − θ₀).
    private func evaluate(model: DeepReLU, parameters: DeepParameters, reference: Point?) -> Point {
        if config.linearized, let reference {
            var outputs = reference.outputs
            outputs.addScaled(reference.jacobian.applied(to: parameters.adding(reference.parameters, scaledBy: -1)), 1)
            return Point(parameters: parameters, outputs: outputs, jacobian: reference.jacobian,
                         gram: reference.gram, gramExtremes: reference.gramExtremes)
        }
        let forward = model.forward(dataset.inputs, parameters: parameters)
        let jacobian = DeepJacobian(forward: forward, parameters: parameters,
                                    includesOutputLayer: config.trainOutputLayer)
        let gram = jacobian.gram()
        return Point(parameters: parameters, outputs: forward.outputs, jacobian: jacobian, gram: gram,
                     gramExtremes: gram.extremeSymmetricEigenvalues())
    }

    private func metrics(of point: Point, step: Int, reference: Reference, loss: Loss) -> StepMetrics {
        let residuals = point.outputs.subtracting(dataset.targets)
        let initial = reference.point
        let drift = config.linearized ? nil : DeepJacobianDrift(from: initial.jacobian, to: point.jacobian)
        let depth = point.parameters.depth
        let displacement = point.parameters.adding(initial.parameters, scaledBy: -1)
        let layerDistances = displacement.hiddenWeights.map(\.frobeniusNorm)
        let hiddenDistance = layerDistances.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let maxMove = displacement.hiddenWeights.map { $0.rowSquaredNorms().max() ?? 0 }.max() ?? 0
        let layerFlips: [Double] = (0..<depth).map { l in
            guard !config.linearized else { return 0 }
            let differing = point.jacobian.patterns[l].differingCounts(from: initial.jacobian.patterns[l])
            return Double(differing.reduce(0, +)) / Double(dataset.count * config.width)
        }
        let spectral = drift?.spectral ?? 0
        var metrics = StepMetrics(
            step: step, loss: loss.value(residuals: residuals), residualNorm: residuals.frobeniusNorm,
            gramLambdaMin: point.gramExtremes?.min ?? .nan, gramLambdaMax: point.gramExtremes?.max ?? .nan,
            jacobianDrift: (drift?.frobenius ?? 0) / reference.jacobianNorm,
            weightDrift: hiddenDistance / reference.hiddenWeightNorm, weightDistance: hiddenDistance,
            maxNeuronMove: maxMove.squareRoot(), flipFraction: layerFlips.reduce(0, +) / Double(depth),
            outputs: config.recordOutputs ? point.outputs : nil)
        metrics.layerJacobianDrift = (0..<depth).map { (drift?.layerFrobenius[$0] ?? 0) / reference.layerJacobianNorms[$0] }
        metrics.layerJacobianDistance = drift?.layerSpectral ?? [Double](repeating: 0, count: depth)
        metrics.jacobianDistance = spectral
        metrics.conditionTwoRatio = 3 * spectral / reference.rootLambdaMin
        metrics.parameterDistance = displacement.dot(displacement).squareRoot()
        metrics.layerWeightDrift = zip(layerDistances, reference.layerWeightNorms).map { $0 / $1 }
        metrics.layerFlipFraction = layerFlips
        return metrics
    }
}
