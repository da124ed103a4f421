import NGD
import Render

/// An experiment spec exactly as written in YAML (docs/SPEC.md): optional fields stay optional here;
/// `SpecResolver` fills in defaults and expands sweeps into `ResolvedRun`s.
public struct ExperimentSpec: Codable, Hashable, Sendable {
    public var title: String
    public var description: String?
    /// Default seed of every run (model initialisation and data draw).
    public var seed: UInt64?
    /// Replicate every run and sweep member over these seeds (unless the sweep itself varies `seed`).
    public var seeds: [UInt64]?
    public var datasets: [String: DatasetSpec]
    public var models: [String: ModelSpec]
    public var optimizers: [String: OptimizerSpec]
    public var runs: [RunSpec]?
    public var sweeps: [SweepSpec]?
    public var figures: [FigureSpec]?
    public var claims: [ClaimSpec]?
    /// Tolerances the spec declares for its own sensitive outputs (docs/SPEC.md, "Reproducibility"); recorded in
    /// the manifest, where `ngd verify` reads them.
    public var reproducibility: ReproducibilityRecord?

    enum CodingKeys: String, CodingKey {
        case title, description, seed, seeds, datasets, models, optimizers, runs, sweeps, figures, claims
        case reproducibility
    }

    public init(title: String, description: String? = nil, seed: UInt64? = nil, seeds: [UInt64]? = nil,
                datasets: [String: DatasetSpec], models: [String: ModelSpec], optimizers: [String: OptimizerSpec],
                runs: [RunSpec]? = nil, sweeps: [SweepSpec]? = nil, figures: [FigureSpec]? = nil,
                claims: [ClaimSpec]? = nil) {
        self.title = title
        self.description = description
        self.seed = seed
        self.seeds = seeds
        self.datasets = datasets
        self.models = models
        self.optimizers = optimizers
        self.runs = runs
        self.sweeps = sweeps
        self.figures = figures
        self.claims = claims
    }
}

/// A named data set; fields map one to one onto `NGD.DatasetRequest`.
public struct DatasetSpec: Codable, Hashable, Sendable {
    public var kind: DatasetRequest.Kind
    public var n: Int?
    public var d: Int?
    public var outputs: Int?
    public var classes: [Int]?
    public var perClass: Int?
    public var path: String?
    public var normalize: Bool?
    /// Data seed; default: the run's seed.
    public var seed: UInt64?
    public var epsilon: Double?
    public var pairs: Int?
    public var targetOperator: DatasetRequest.TargetOperator?
    public var targetNoise: Double?
    /// Condition number κ(XᵀX) the inputs are stretched to (K-FAC's dependence on input anisotropy, §8.14).
    public var inputConditioning: Double?

    enum CodingKeys: String, CodingKey {
        case kind, n, d, outputs, classes, path, normalize, seed, epsilon, pairs
        case perClass = "per_class", targetOperator = "target_operator", targetNoise = "target_noise"
        case inputConditioning = "input_conditioning"
    }

    public init(kind: DatasetRequest.Kind, n: Int? = nil, d: Int? = nil, outputs: Int? = nil) {
        self.kind = kind
        self.n = n
        self.d = d
        self.outputs = outputs
    }
}

/// A named two-layer ReLU network u = (1/√m) ReLU(X Wᵀ) a.
public struct ModelSpec: Codable, Hashable, Sendable {
    public var width: Int
    public var outputs: Int?
    public var initScale: Double?
    public var trainOutputLayer: Bool?
    /// Hidden layers L (default 1, the paper's two-layer network; docs/DEEP.md).
    public var depth: Int?

    enum CodingKeys: String, CodingKey {
        case width, outputs, depth
        case initScale = "init_scale", trainOutputLayer = "train_output_layer"
    }

    public init(width: Int, outputs: Int? = nil, initScale: Double? = nil, trainOutputLayer: Bool? = nil) {
        self.width = width
        self.outputs = outputs
        self.initScale = initScale
        self.trainOutputLayer = trainOutputLayer
    }
}

/// A named optimizer.
public struct OptimizerSpec: Codable, Hashable, Sendable {
    /// The update rule. Nested (not a top-level `OptimizerKind`) so it never collides with `NGD.OptimizerKind`,
    /// whose raw values it shares: `NGD.OptimizerKind(rawValue: kind.rawValue)` converts.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case gd, ngd, kfac
    }

    public var kind: Kind
    public var lr: LearningRate
    public var damping: Double?
    /// Train the linearised model u₀ + J₀Δθ instead of the network (the exact theory curve).
    public var linearized: Bool?

    public init(kind: Kind, lr: LearningRate, damping: Double? = nil, linearized: Bool? = nil) {
        self.kind = kind
        self.lr = lr
        self.damping = damping
        self.linearized = linearized
    }
}

/// One training run: references into `datasets`, `models`, `optimizers`.
public struct RunSpec: Codable, Hashable, Sendable {
    public var id: String
    public var label: String?
    public var dataset: String
    public var model: String
    public var optimizer: String
    public var steps: Int
    public var seed: UInt64?

    public init(id: String, label: String? = nil, dataset: String, model: String, optimizer: String, steps: Int,
                seed: UInt64? = nil) {
        self.id = id
        self.label = label
        self.dataset = dataset
        self.model = model
        self.optimizer = optimizer
        self.steps = steps
        self.seed = seed
    }
}

/// A base run plus the cartesian product of the listed parameter values.
public struct SweepSpec: Codable, Hashable, Sendable {
    public var id: String
    public var label: String?
    public var dataset: String
    public var model: String
    public var optimizer: String
    public var steps: Int
    public var seed: UInt64?
    /// Parameter name (see `SweepParameter`) → values; the product is taken in `SweepParameter` order.
    public var over: [String: [SweepValue]]

    public init(id: String, label: String? = nil, dataset: String, model: String, optimizer: String, steps: Int,
                seed: UInt64? = nil, over: [String: [SweepValue]]) {
        self.id = id
        self.label = label
        self.dataset = dataset
        self.model = model
        self.optimizer = optimizer
        self.steps = steps
        self.seed = seed
        self.over = over
    }
}

/// The parameters a sweep may vary, in the (fixed) order in which the cartesian product nests them.
public enum SweepParameter: String, CaseIterable, Codable, Sendable {
    case width, lr, damping, steps, seed, n, d, epsilon, pairs, depth
    case initScale = "init_scale", perClass = "per_class", targetNoise = "target_noise"
    case inputConditioning = "input_conditioning"
}

/// A value in a sweep list: a number, or text (`1/lambda_max`).
public typealias SweepValue = NumberOrText

/// A YAML scalar that may be a number or a string.
public enum NumberOrText: Codable, Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case text(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .number(let value): return formatNumber(value)
        case .text(let value): return value
        }
    }
}

public enum FigureKind: String, Codable, CaseIterable, Sendable {
    case convergence
    case widthSweep = "width_sweep"
    case outputSpace = "output_space"
    case gramHeatmap = "gram_heatmap"
    case spectrum, histogram, bar
}

public enum AxisScales: String, Codable, CaseIterable, Sendable {
    case linear, logx, logy, loglog
}

/// How a per-step series becomes one number per run.
public enum Reduction: String, Codable, CaseIterable, Sendable {
    case first, last, min, max, mean
}

/// Figure size: a venue preset or explicit inches (Render's `FigureSizeChoice`, the one table of presets).
public typealias FigureSizeSpec = FigureSizeChoice

public struct FigureSpec: Codable, Hashable, Sendable {
    public var id: String
    public var kind: FigureKind
    public var title: String?
    public var caption: String
    /// Run ids and/or sweep ids to draw (a sweep id stands for all its members).
    public var runs: [String]
    /// The result quantity to draw (a series, vector, scalar or matrix name of `RunResult`).
    public var metric: String
    /// width_sweep: the sweep parameter on the x axis (default `width`).
    public var x: String?
    /// width_sweep and bar: how a per-step series becomes one number per run (default `last`).
    public var reduce: Reduction?
    /// width_sweep and bar: an expression giving one number per run, reading the run as `run`
    /// (`max(abs(run.contraction_ratio - 0.5))`); replaces `reduce`, and `metric` only labels the axis.
    public var value: String?
    /// Draw the theory curve (`<metric>_theory` from the result, or the closed form where one exists).
    public var theory: Bool?
    public var scale: AxisScales?
    public var size: FigureSizeSpec?
    /// histogram: number of bins (default 30).
    public var bins: Int?
    /// Section of the report the figure appears in (default "Figures").
    public var section: String?
    public var xLabel: String?
    public var yLabel: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, title, caption, runs, metric, x, reduce, value, theory, scale, size, bins, section
        case xLabel = "x_label", yLabel = "y_label"
    }

    public init(id: String, kind: FigureKind, caption: String, runs: [String], metric: String) {
        self.id = id
        self.kind = kind
        self.caption = caption
        self.runs = runs
        self.metric = metric
    }
}

public enum Comparison: String, Codable, CaseIterable, Sendable {
    case atMost = "<="
    case atLeast = ">="
    case approximately = "≈"
    case approx
}

/// A predicted value: a number, or (`.text`) an expression over run results (`log(1e-6) / log(1 - 0.5)`).
public typealias PredictedValue = NumberOrText

public struct ClaimSpec: Codable, Hashable, Sendable {
    public var id: String
    public var statement: String
    /// Where the claim comes from (e.g. "Zhang et al. 2019, Theorem 1", "docs/CLAIMS.md, claim 5").
    public var source: String?
    /// An expression over run results (docs/SPEC.md, "Claim expressions").
    public var measured: String
    public var predicted: PredictedValue
    public var compare: Comparison
    /// Absolute tolerance (or relative to |predicted| when `relative: true`). Required for ≈.
    public var tolerance: Double?
    public var relative: Bool?

    public init(id: String, statement: String, measured: String, predicted: PredictedValue, compare: Comparison,
                tolerance: Double? = nil) {
        self.id = id
        self.statement = statement
        self.measured = measured
        self.predicted = predicted
        self.compare = compare
        self.tolerance = tolerance
    }
}

/// Shortest round-trip text of a number, without a trailing ".0" for integers ("100", "0.5", "1e-06").
func formatNumber(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
