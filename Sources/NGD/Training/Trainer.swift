/// Trains the paper's two-layer network on a data set under one `TrainingConfig`: data in, values out.
///
/// ```swift
/// let data = Dataset.synthetic(count: 64, dimension: 16, seed: 0)
/// let run = try Trainer(config: TrainingConfig(width: 4096, optimizer: .ngd, steps: 10), dataset: data).run()
/// run.steps.map(\.residualNorm)
/// ```
/// Deterministic: no clocks, no system randomness; with one BLAS thread the same inputs give bit-identical
/// results.
public struct Trainer: Sendable {
    public var config: TrainingConfig
    public var dataset: Dataset

    public init(config: TrainingConfig, dataset: Dataset) {
        self.config = config
        self.dataset = dataset
    }

    /// A run stops and is marked diverged when the loss is not finite or ‖r_k‖ exceeds this multiple of ‖r₀‖.
    public static let divergenceFactor = 1e6

    /// Runs `config.steps` updates (fewer on divergence, or once ‖r_k‖ ≤ `config.stopTolerance`·‖r₀‖) and returns
    /// config, per-step metrics and summary.
    public func run() throws -> TrainingRun {
        try train(keepingInitialGram: false).run
    }

    /// A run together with the initial Gram matrix G₀ its trainer built and G₀'s spectrum, for callers that report
    /// them (so that nobody builds G₀ again).
    public struct Outcome: Sendable {
        public var run: TrainingRun
        public var initialGram: Matrix
        /// All eigenvalues of G₀, ascending (nil when the eigensolver failed).
        public var initialGramEigenvalues: [Double]?
    }

    /// `run()`, also returning G₀ and its spectrum.
    public func runKeepingInitialGram() throws -> Outcome {
        try train(keepingInitialGram: true)
    }

    /// η and how it was chosen: the config's rate, resolved against λ_max(G₀) when it is c/λ_max, or the
    /// optimizer's default.
    static func learningRate(_ rate: LearningRate?, optimizer: OptimizerKind, lambdaMax: Double)
        -> (value: Double, rule: String) {
        if let rate { return (rate.resolved(lambdaMax: lambdaMax), rate.rule) }
        if let eta = optimizer.defaultLearningRate { return (eta, "default") }
        return (1 / lambdaMax, "1/lambda_max(G0)")
    }

    private func updateRule(learningRate: Double) -> UpdateRule {
        switch config.optimizer {
        case .gd: return GradientDescent(learningRate: learningRate)
        case .ngd: return NaturalGradient(learningRate: learningRate, damping: config.damping)
        case .kfac: return KFAC(learningRate: learningRate, damping: config.damping)
        }
    }

    private func train(keepingInitialGram: Bool) throws -> Outcome {
        if config.depth > 1 {   // deep networks: docs/DEEP.md; two-layer runs stay on this path unchanged
            return try DeepTrainer(config: config, dataset: dataset).train(keepingInitialGram: keepingInitialGram)
        }
        try config.validate(for: dataset)
        let inputs = dataset.inputs, targets = dataset.targets
        let n = dataset.count
        let model = config.model(inputDimension: dataset.dimension)
        let loss = Loss(config.loss, delta: config.huberDelta)
        let inputGram = inputs.gram()
        let theta0 = model.initialParameters(initScale: config.initScale, seed: config.seed)

        // The linearisation point: J₀, u₀, G₀.
        let initial = try evaluate(model: model, parameters: theta0, inputGram: inputGram, reference: nil)
        guard let initialExtremes = initial.gramExtremes else {
            throw NGDError("gram", "could not compute the eigenvalues of G₀ (non-finite entries)")
        }

        var resolved = config
        let (learningRate, learningRateRule) = Self.learningRate(config.learningRate, optimizer: config.optimizer,
                                                                 lambdaMax: initialExtremes.max)
        resolved.learningRate = .fixed(learningRate)
        resolved.learningRateRule = learningRateRule
        let rule = updateRule(learningRate: learningRate)

        let scales = Scales(jacobian: initial.jacobian.squaredFrobeniusNorm().squareRoot(),
                            weights: theta0.hiddenWeights.frobeniusNorm,
                            patternEntries: Double(n * config.width))
        var point = initial
        var steps = [metrics(of: point, step: 0, initial: initial, targets: targets, loss: loss, scales: scales)]
        let initialResidual = steps[0].residualNorm
        var diverged = false, divergedAt: Int? = nil
        var fallbackSteps: [Int] = [], maxCutoff: Double? = nil

        if !steps[0].loss.isFinite {
            diverged = true
            divergedAt = 0
        }
        var step = 0
        func reachedTolerance(_ residualNorm: Double) -> Bool {
            config.stopTolerance.map { residualNorm <= $0 * initialResidual } ?? false
        }
        while !diverged && step < config.steps && !reachedTolerance(steps[step].residualNorm) {
            let residuals = point.outputs.subtracting(targets)
            let state = OptimizationState(parameters: point.parameters, jacobian: point.jacobian, inputGram: inputGram,
                                          patternGram: point.patternGram, gram: point.gram,
                                          outputGradient: loss.gradient(residuals: residuals))
            let update = try rule.update(for: state)
            if let fallback = update.solves.first(where: { $0.isFallback }) {
                steps[step].solverMethod = fallback.method
                steps[step].solverFallback = true
                steps[step].solverCutoff = update.solves.compactMap(\.cutoff).max()
                fallbackSteps.append(step)
                maxCutoff = max(maxCutoff ?? 0, steps[step].solverCutoff ?? 0)
            } else if let first = update.solves.first {
                steps[step].solverMethod = first.method
                steps[step].solverFallback = false
            }

            let next = point.parameters.adding(update.delta)
            point = try evaluate(model: model, parameters: next, inputGram: inputGram, reference: initial)
            step += 1
            let current = metrics(of: point, step: step, initial: initial, targets: targets, loss: loss, scales: scales)
            steps[step - 1].contractionRatio = current.residualNorm / steps[step - 1].residualNorm
            steps[step - 1].residualCosine = cosine(residuals, point.outputs.subtracting(targets))
            if !current.loss.isFinite || !(current.residualNorm <= Self.divergenceFactor * initialResidual) {
                diverged = true
                divergedAt = step
            }
            steps.append(current)
        }

        let last = steps[steps.count - 1]
        var summary = TrainingSummary(
            finalLoss: last.loss, initialResidualNorm: initialResidual, finalResidualNorm: last.residualNorm,
            learningRate: learningRate, stepsCompleted: step, diverged: diverged, divergedAtStep: divergedAt,
            lambda0: LimitGram.lambda0(of: inputs) ?? .nan,
            gramInitLambdaMin: initialExtremes.min, gramInitLambdaMax: initialExtremes.max,
            solverFallbacks: fallbackSteps.count, solverFallbackSteps: fallbackSteps, solverMaxCutoff: maxCutoff,
            damping: config.damping)
        if config.optimizer == .kfac {
            let h = try KFAC.leverageScores(of: inputs)
            summary.kfacLeverageScores = h
            summary.kfacLeverageMin = h.min()
            summary.kfacLeverageMax = h.max()
        }
        if config.recordWeights { summary.finalParameters = point.parameters }
        let run = TrainingRun(config: resolved, dataset: DatasetDescription(dataset), steps: steps, summary: summary)
        return Outcome(run: run, initialGram: initial.gram,
                       initialGramEigenvalues: keepingInitialGram ? initial.gram.symmetricEigenvalues() : nil)
    }

    // MARK: Internals

    /// One evaluated iterate: its parameters, outputs, Jacobian operator and Gram matrices.
    private struct Point {
        var parameters: NetworkParameters
        var outputs: Matrix
        var jacobian: JacobianOperator
        var patternGram: Matrix
        var gram: Matrix
        var gramExtremes: (min: Double, max: Double)?
    }

    private struct Scales {
        var jacobian: Double
        var weights: Double
        var patternEntries: Double
    }

    /// Evaluates θ. For the linearised model (`reference` = the initial point) the Jacobian and Grams stay
    /// those of θ₀ and u = u₀ + J₀(θ − θ₀).
    private func evaluate(model: TwoLayerReLU, parameters: NetworkParameters, inputGram: Matrix,
                          reference: Point?) throws -> Point {
        if config.linearized, let reference {
            let displacement = parameters.adding(reference.parameters, scaledBy: -1)
            var outputs = reference.outputs
            outputs.addScaled(reference.jacobian.applied(to: displacement), 1)
            return Point(parameters: parameters, outputs: outputs, jacobian: reference.jacobian,
                         patternGram: reference.patternGram, gram: reference.gram,
                         gramExtremes: reference.gramExtremes)
        }
        let jacobian = model.jacobian(on: dataset.inputs, parameters: parameters,
                                      includesOutputLayer: config.trainOutputLayer)
        let outputs = model.outputs(preactivations: jacobian.preactivations, outputWeights: parameters.outputWeights)
        let patternGram = jacobian.patternGram()
        let gram = jacobian.gram(inputGram: inputGram, patternGram: patternGram)
        return Point(parameters: parameters, outputs: outputs, jacobian: jacobian, patternGram: patternGram,
                     gram: gram, gramExtremes: gram.extremeSymmetricEigenvalues())
    }

    private func metrics(of point: Point, step: Int, initial: Point, targets: Matrix, loss: Loss,
                         scales: Scales) -> StepMetrics {
        let residuals = point.outputs.subtracting(targets)
        let jacobianDrift: Double, flips: Double
        if config.linearized {
            jacobianDrift = 0
            flips = 0
        } else {
            jacobianDrift = point.jacobian.squaredDistance(to: initial.jacobian).squareRoot() / scales.jacobian
            let differing = point.jacobian.pattern.differingCounts(from: initial.jacobian.pattern).reduce(0, +)
            flips = Double(differing) / scales.patternEntries
        }
        var displacement = point.parameters.hiddenWeights
        displacement.addScaled(initial.parameters.hiddenWeights, -1)
        let rowNorms = displacement.rowSquaredNorms()
        let distance = displacement.frobeniusNorm
        return StepMetrics(
            step: step, loss: loss.value(residuals: residuals), residualNorm: residuals.frobeniusNorm,
            gramLambdaMin: point.gramExtremes?.min ?? .nan, gramLambdaMax: point.gramExtremes?.max ?? .nan,
            jacobianDrift: jacobianDrift, weightDrift: distance / scales.weights,
            weightDistance: distance,
            maxNeuronMove: (rowNorms.max() ?? 0).squareRoot(), flipFraction: flips,
            outputs: config.recordOutputs ? point.outputs : nil)
    }

    private func cosine(_ a: Matrix, _ b: Matrix) -> Double {
        a.dot(b) / (a.frobeniusNorm * b.frobeniusNorm)
    }
}

/// Trains one configuration on one data set (shorthand for `Trainer(config:dataset:).run()`).
public func train(_ config: TrainingConfig, on dataset: Dataset) throws -> TrainingRun {
    try Trainer(config: config, dataset: dataset).run()
}

extension Matrix {
    /// self − other (same shape).
    func subtracting(_ other: Matrix) -> Matrix {
        var result = self
        result.addScaled(other, -1)
        return result
    }
}
