/// Which update rule a run uses.
public enum OptimizerKind: String, Codable, Hashable, Sendable, CaseIterable {
    case gd, ngd, kfac

    /// The name figures, tables and labels print: "GD", "NGD", "K-FAC".
    public var displayName: String {
        switch self {
        case .gd: return "GD"
        case .ngd: return "NGD"
        case .kfac: return "K-FAC"
        }
    }

    /// η when none is given: NGD's and K-FAC's step is scale-free (the theory's rate is 1 − η), so a fixed 0.5;
    /// GD's depends on the data (nil: 1/λ_max(G₀), resolved by the trainer).
    public var defaultLearningRate: Double? {
        switch self {
        case .gd: return nil
        case .ngd, .kfac: return TrainingConfig.defaultScaleFreeLearningRate
        }
    }
}

/// Everything that determines a training run besides the data: a plain value, so it can be hashed into a
/// cache key, written next to the results and read back.
///
/// Same config + same data + same seed ⇒ bit-identical results (with a single BLAS thread).
public struct TrainingConfig: Codable, Hashable, Sendable {
    /// Hidden units when none are given: wide enough for the linear regime on the default data (n = 64).
    public static let defaultWidth = 4096
    /// NGD's and K-FAC's default η (`OptimizerKind.defaultLearningRate`).
    public static let defaultScaleFreeLearningRate = 0.5

    /// Hidden units m.
    public var width: Int
    /// Outputs k (must equal the data set's number of target columns).
    public var outputs: Int
    /// ν: w_r ~ N(0, ν²I).
    public var initScale: Double
    /// Seed of the network initialisation (see `TwoLayerReLU.initialParameters`).
    public var seed: UInt64
    /// Also train the output weights a (the paper trains W only).
    public var trainOutputLayer: Bool
    public var optimizer: OptimizerKind
    /// η, fixed or c/λ_max(G₀); nil = the optimizer's default (GD: 1/λ_max(G₀), NGD 0.5, K-FAC 0.5). The trainer
    /// resolves it from the G₀ it builds anyway; a run's config records the resolved number.
    public var learningRate: LearningRate?
    /// How η was chosen: "given", "default", or "c/lambda_max(G0)". Filled in by the trainer.
    public var learningRateRule: String?
    /// NGD: λ in (JJᵀ + λI); K-FAC: factored Tikhonov damping λ. 0 = the theory.
    public var damping: Double
    public var loss: LossKind
    /// δ of the pseudo-Huber loss.
    public var huberDelta: Double
    /// Train the linearised model u₀ + J₀(θ − θ₀) instead of the network.
    public var linearized: Bool
    /// Number of updates K; metrics are recorded for steps 0…K.
    public var steps: Int
    /// Stop before K updates once ‖r_k‖ ≤ stopTolerance·‖r₀‖ (nil: run all K). Steps-to-tolerance studies use it
    /// so that fast runs do not pay for the budget of slow ones.
    public var stopTolerance: Double?
    /// Record the outputs u_k (n×k) at every step.
    public var recordOutputs: Bool
    /// Record the final parameters in the summary.
    public var recordWeights: Bool
    /// The data request the run was made on (provenance and cache key; the trainer uses the data it is given).
    public var data: DatasetRequest?
    /// L, the number of hidden layers (1 = the paper's two-layer network; docs/DEEP.md for L ≥ 2).
    public var depth: Int

    public init(width: Int = TrainingConfig.defaultWidth, outputs: Int = 1, initScale: Double = 1, seed: UInt64 = 0,
                trainOutputLayer: Bool = false, optimizer: OptimizerKind = .ngd, learningRate: LearningRate? = nil,
                damping: Double = 0, loss: LossKind = .squared, huberDelta: Double = 1, linearized: Bool = false,
                steps: Int = 10, stopTolerance: Double? = nil, recordOutputs: Bool = false,
                recordWeights: Bool = false, data: DatasetRequest? = nil, depth: Int = 1) {
        self.width = width
        self.outputs = outputs
        self.initScale = initScale
        self.seed = seed
        self.trainOutputLayer = trainOutputLayer
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.learningRateRule = nil
        self.damping = damping
        self.loss = loss
        self.huberDelta = huberDelta
        self.linearized = linearized
        self.steps = steps
        self.stopTolerance = stopTolerance
        self.recordOutputs = recordOutputs
        self.recordWeights = recordWeights
        self.data = data
        self.depth = depth
    }

    /// Throws a usage `NGDError` naming the CLI option of the first invalid value.
    public func validate() throws {
        guard width > 0 else { throw NGDError("--width", "expected a positive number of hidden units, got \(width)", usage: true) }
        guard depth > 0 else { throw NGDError("--depth", "expected at least one hidden layer, got \(depth)", usage: true) }
        try ResourceLimits.checkLimit(depth, option: "--depth", maximum: ResourceLimits.maximumDepth, what: "hidden layers")
        guard outputs > 0 else { throw NGDError("--outputs", "expected at least one output, got \(outputs)", usage: true) }
        try ResourceLimits.checkLimit(width, option: "--width", maximum: ResourceLimits.maximumWidth, what: "hidden units")
        try ResourceLimits.checkLimit(outputs, option: "--outputs", maximum: ResourceLimits.maximumOutputs, what: "outputs")
        guard initScale > 0, initScale.isFinite else {
            throw NGDError("--init-scale", "expected a positive finite ν, got \(initScale)", usage: true)
        }
        if let eta = learningRate {
            guard eta.magnitude > 0, eta.magnitude.isFinite else {
                throw NGDError("--lr", "expected a positive finite step size, got \(eta)", usage: true)
            }
        }
        guard damping >= 0, damping.isFinite else {
            throw NGDError("--damping", "expected a non-negative finite damping, got \(damping)", usage: true)
        }
        guard huberDelta > 0, huberDelta.isFinite else {
            throw NGDError("--huber-delta", "expected a positive finite δ, got \(huberDelta)", usage: true)
        }
        guard steps >= 0 else { throw NGDError("--steps", "expected a non-negative number of steps, got \(steps)", usage: true) }
        try ResourceLimits.checkLimit(steps, option: "--steps", maximum: ResourceLimits.maximumSteps, what: "steps")
        if let tolerance = stopTolerance {
            guard tolerance > 0, tolerance < 1 else {
                throw NGDError("--stop-at", "expected a relative residual in (0, 1), got \(tolerance)", usage: true)
            }
        }
        if optimizer == .kfac && trainOutputLayer {
            throw NGDError("--train-output-layer", "kfac preconditions the hidden layers only; use gd or ngd", usage: true)
        }
    }

    /// `validate()`, and that `dataset` is one this config can train on (non-empty, k target columns).
    public func validate(for dataset: Dataset) throws {
        try validate()
        guard dataset.count > 0, dataset.dimension > 0 else {
            throw NGDError("--dataset", "the data set is empty", usage: true)
        }
        guard dataset.outputs == outputs else {
            throw NGDError("--outputs", "the model has \(outputs) output(s) but the data set has \(dataset.outputs) target column(s)",
                           usage: true)
        }
        // The commands check earlier, with the names the user typed; this keeps every other caller from allocating blindly.
        try ResourceLimits.current().check(ResourceLimits.RunShape(config: self, examples: dataset.count,
                                                                   dimension: dataset.dimension))
    }

    /// The deep model this config describes on inputs of dimension d (any depth; L = 1 is `model`'s network).
    public func deepModel(inputDimension d: Int) -> DeepReLU {
        DeepReLU(inputDimension: d, width: width, outputs: outputs, depth: depth)
    }

    /// The model this config describes on inputs of dimension d.
    public func model(inputDimension d: Int) -> TwoLayerReLU {
        TwoLayerReLU(inputDimension: d, width: width, outputs: outputs)
    }
}

extension TrainingConfig {
    private enum CodingKeys: String, CodingKey {
        case width, outputs, initScale, seed, trainOutputLayer, optimizer, learningRate, learningRateRule, damping,
             loss, huberDelta, linearized, steps, stopTolerance, recordOutputs, recordWeights, data, depth
    }

    /// Decodes a config in which any key may be missing: missing keys take the defaults of `init()`,
    /// so specs and cached runs only need to name what they change.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfig()
        width = try c.decodeIfPresent(Int.self, forKey: .width) ?? d.width
        outputs = try c.decodeIfPresent(Int.self, forKey: .outputs) ?? d.outputs
        initScale = try c.decodeIfPresent(Double.self, forKey: .initScale) ?? d.initScale
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        trainOutputLayer = try c.decodeIfPresent(Bool.self, forKey: .trainOutputLayer) ?? d.trainOutputLayer
        optimizer = try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? d.optimizer
        learningRate = try c.decodeIfPresent(LearningRate.self, forKey: .learningRate)
        learningRateRule = try c.decodeIfPresent(String.self, forKey: .learningRateRule)
        damping = try c.decodeIfPresent(Double.self, forKey: .damping) ?? d.damping
        loss = try c.decodeIfPresent(LossKind.self, forKey: .loss) ?? d.loss
        huberDelta = try c.decodeIfPresent(Double.self, forKey: .huberDelta) ?? d.huberDelta
        linearized = try c.decodeIfPresent(Bool.self, forKey: .linearized) ?? d.linearized
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? d.steps
        stopTolerance = try c.decodeIfPresent(Double.self, forKey: .stopTolerance)
        recordOutputs = try c.decodeIfPresent(Bool.self, forKey: .recordOutputs) ?? d.recordOutputs
        recordWeights = try c.decodeIfPresent(Bool.self, forKey: .recordWeights) ?? d.recordWeights
        data = try c.decodeIfPresent(DatasetRequest.self, forKey: .data)
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? d.depth
    }

    /// Writes what the run used: δ only for the pseudo-Huber loss and λ only for NGD and K-FAC, unless they hold a
    /// value other than the default (then they are written, so no difference is hidden; validation refuses them).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfig()
        try c.encode(width, forKey: .width)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(initScale, forKey: .initScale)
        try c.encode(seed, forKey: .seed)
        try c.encode(trainOutputLayer, forKey: .trainOutputLayer)
        try c.encode(optimizer, forKey: .optimizer)
        try c.encodeIfPresent(learningRate, forKey: .learningRate)
        try c.encodeIfPresent(learningRateRule, forKey: .learningRateRule)
        if optimizer != .gd || damping != d.damping { try c.encode(damping, forKey: .damping) }
        try c.encode(loss, forKey: .loss)
        if loss == .pseudoHuber || huberDelta != d.huberDelta { try c.encode(huberDelta, forKey: .huberDelta) }
        try c.encode(linearized, forKey: .linearized)
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(stopTolerance, forKey: .stopTolerance)
        try c.encode(recordOutputs, forKey: .recordOutputs)
        try c.encode(recordWeights, forKey: .recordWeights)
        try c.encodeIfPresent(data, forKey: .data)
        if depth != d.depth { try c.encode(depth, forKey: .depth) }   // two-layer runs keep their bytes
    }
}
