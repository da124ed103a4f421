import Foundation
import NGD

/// What the paper's Figure 1 is computed from: the data, the network and the two step sizes.
/// Shared by the `figure1` study of `ngd paper` and the `ngd figure1` command.
public struct Figure1Request: Codable, Hashable, Sendable {
    /// Class data with `outputs == 2` (digits or MNIST 4 vs 9 with the Figure-1 targets) or 2-output synthetic data.
    public var data: DatasetRequest
    /// Hidden units m.
    public var width: Int
    /// Seed of the network initialisation.
    public var seed: UInt64
    /// ν: w_r ~ N(0, ν²I).
    public var initScale: Double
    /// NGD's η (0.5: the one-step arrow covers half the way to the target in the linear theory).
    public var ngdLearningRate: Double
    /// GD's η; nil = 1/λ_max(G₀).
    public var gdLearningRate: Double?
    /// Updates of the trajectories (1 = the paper's single step at initialisation).
    public var steps: Int
    /// Hidden layers L when ≥ 2 (docs/DEEP.md); nil for the paper's two-layer network (and its encoding).
    public var depth: Int?

    public init(data: DatasetRequest, width: Int = 4096, seed: UInt64 = 0, initScale: Double = 1,
                ngdLearningRate: Double = 0.5, gdLearningRate: Double? = nil, steps: Int = 1, depth: Int = 1) {
        self.data = data
        self.width = width
        self.seed = seed
        self.initScale = initScale
        self.ngdLearningRate = ngdLearningRate
        self.gdLearningRate = gdLearningRate
        self.steps = steps
        self.depth = depth == 1 ? nil : depth
    }

    /// The default data of Figure 1: 4 vs 9, `perClass` images of each, targets onehot − 0.5 + 0.3·N(0, I₂).
    /// MNIST when `mnistDirectory` is given, else the embedded UCI digits.
    public static func defaultData(mnistDirectory: String?, perClass: Int = 10, seed: UInt64 = 0) -> DatasetRequest {
        DatasetRequest(kind: mnistDirectory == nil ? .digits : .mnist, outputs: 2, classes: [4, 9], perClass: perClass,
                       path: mnistDirectory, seed: seed, targetOperator: .minus, targetNoise: 0.3)
    }
}

/// One method's part of Figure 1: the real network's outputs along its first `steps` updates.
public struct Figure1Method: Codable, Hashable, Sendable {
    /// "NGD" or "GD".
    public var name: String
    public var learningRate: Double
    /// How η was chosen ("given", "1/lambda_max(G0)").
    public var learningRateRule: String
    /// u_k for k = 0…steps: trajectory[k][i] = (u_i1, u_i2).
    public var trajectory: [[[Double]]]
    /// Δu_i = u_1 − u_0 of the real network (one update from initialisation).
    public var displacement: [[Double]]
    /// cos∠(Δu_i, y_i − u_i) per example.
    public var cosines: [Double]
}

/// The Figure-1 numbers per example: u₀, y, class, and each method's Δu and cosine.
public struct Figure1Result: Codable, Hashable, Sendable {
    public var request: Figure1Request
    /// Name of the data set the runs used (says MNIST or UCI digits).
    public var datasetName: String
    /// Class label of each example (nil for synthetic data).
    public var classes: [Int]?
    /// u_i at initialisation (n × 2).
    public var outputs: [[Double]]
    /// y_i (n × 2).
    public var targets: [[Double]]
    public var ngd: Figure1Method
    public var gd: Figure1Method
    /// λ_min / λ_max of G₀ (2n × 2n) and λ₀ of the inputs.
    public var gramLambdaMin: Double
    public var gramLambdaMax: Double
    public var lambda0: Double

    /// One row per example: example, class, u1, u2, y1, y2, ngd_du1, ngd_du2, gd_du1, gd_du2, the cosines,
    /// then (with steps > 1) ngd_u1_k, ngd_u2_k, gd_u1_k, gd_u2_k for k = 1…steps.
    public var csv: String {
        let steps = ngd.trajectory.count - 1
        var header = ["example", "class", "u1", "u2", "y1", "y2", "ngd_du1", "ngd_du2", "gd_du1", "gd_du2",
                      "ngd_cosine", "gd_cosine"]
        if steps > 1 {
            for k in 1...steps { header += ["ngd_u1_\(k)", "ngd_u2_\(k)", "gd_u1_\(k)", "gd_u2_\(k)"] }
        }
        var lines = [header.joined(separator: ",")]
        for i in outputs.indices {
            var fields = [String(i), classes.map { String($0[i]) } ?? "",
                          csvNumber(outputs[i][0]), csvNumber(outputs[i][1]),
                          csvNumber(targets[i][0]), csvNumber(targets[i][1]),
                          csvNumber(ngd.displacement[i][0]), csvNumber(ngd.displacement[i][1]),
                          csvNumber(gd.displacement[i][0]), csvNumber(gd.displacement[i][1]),
                          csvNumber(ngd.cosines[i]), csvNumber(gd.cosines[i])]
            if steps > 1 {
                for k in 1...steps {
                    let a = k < ngd.trajectory.count ? ngd.trajectory[k][i] : [Double.nan, .nan]
                    let b = k < gd.trajectory.count ? gd.trajectory[k][i] : [Double.nan, .nan]
                    fields += [csvNumber(a[0]), csvNumber(a[1]), csvNumber(b[0]), csvNumber(b[1])]
                }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

public enum Figure1Computation {
    /// Trains the real network for `request.steps` updates with NGD and with GD from the same initialisation
    /// (through `context`, so the runs are cached) and measures Δu_i = u₁ − u₀ and cos∠(Δu_i, y_i − u_i).
    public static func compute(_ request: Figure1Request, in context: StudyContext) throws -> Figure1Result {
        guard request.steps >= 1 else { throw NGDError("--steps", "expected at least one step, got "
            + "\(request.steps)", usage: true) }
        let data = try context.dataset(request.data)
        guard data.outputs == 2 else {
            throw NGDError("--outputs", "Figure 1 is drawn in a two-dimensional output space; the data has "
                + "\(data.outputs) output(s)",
                           usage: true)
        }
        func config(_ optimizer: NGD.OptimizerKind, _ eta: Double?) -> TrainingConfig {
            TrainingConfig(width: request.width, outputs: 2, initScale: request.initScale, seed: request.seed,
                           optimizer: optimizer, learningRate: eta.map(LearningRate.fixed), steps: request.steps,
                           recordOutputs: true, depth: request.depth ?? 1)
        }
        let ngdRun = try context.train(config(.ngd, request.ngdLearningRate), on: request.data,
                                       label: "Figure 1: NGD η=\(request.ngdLearningRate), m=\(request.width)")
        let gdRun = try context.train(config(.gd, request.gdLearningRate), on: request.data,
                                      label: "Figure 1: GD, m=\(request.width)")
        let targets = rows(data.targets)
        guard let first = ngdRun.steps.first?.outputs else {
            throw NGDError("figure1", "the NGD run recorded no outputs")
        }
        let u0 = rows(first)
        return Figure1Result(request: request, datasetName: data.name, classes: data.labels, outputs: u0,
                             targets: targets,
                             ngd: try method("NGD", ngdRun, u0: u0, targets: targets),
                             gd: try method("GD", gdRun, u0: u0, targets: targets),
                             gramLambdaMin: ngdRun.summary.gramInitLambdaMin,
                             gramLambdaMax: ngdRun.summary.gramInitLambdaMax, lambda0: ngdRun.summary.lambda0)
    }

    private static func method(_ name: String, _ run: TrainingRun, u0: [[Double]], targets: [[Double]]) throws -> Figure1Method {
        let trajectory = run.steps.compactMap { $0.outputs.map(rows) }
        guard trajectory.count >= 2 else {
            throw NGDError("figure1", "the \(name) run stopped before its first update (diverged at initialisation?)")
        }
        let displacement = zip(trajectory[1], u0).map { zip($0, $1).map { $0 - $1 } }
        let cosines = u0.indices.map { i in
            StudyMath.cosine(displacement[i], zip(targets[i], u0[i]).map { $0 - $1 })
        }
        return Figure1Method(name: name, learningRate: run.summary.learningRate,
                             learningRateRule: run.config.learningRateRule ?? "given", trajectory: trajectory,
                             displacement: displacement, cosines: cosines)
    }

    private static func rows(_ matrix: Matrix) -> [[Double]] { (0..<matrix.rows).map { matrix.row($0) } }
}
