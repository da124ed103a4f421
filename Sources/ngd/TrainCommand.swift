import ArgumentParser
import Foundation
import NGD
import Report

/// `ngd train`: one training run; prints its config, per-step metrics and summary as JSON or CSV.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the two-layer ReLU network with GD, NGD or K-FAC and report per-step diagnostics.")

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Option(help: "Optimizer: gd, ngd or kfac.")
    var optimizer: OptimizerKind = .ngd

    @Option(name: .customLong("lr"), help: "Step size η (default: GD 1/λ_max(G₀), NGD 0.5, K-FAC 0.5).")
    var learningRate: Double?

    // Optionals so that a value typed for a run that does not use it is refused; defaults applied in run().
    @Option(help: "NGD: λ in (JJᵀ + λI)⁻¹; K-FAC: factored Tikhonov damping (default 0 = the theory; not for gd).")
    var damping: Double?

    @Option(help: "Loss: squared or pseudo-huber.")
    var loss: LossKind = .squared

    @Option(name: .customLong("huber-delta"), help: "δ of the pseudo-Huber loss (default 1; only with --loss pseudo-huber).")
    var huberDelta: Double?

    @Flag(help: "Train the linearised model u₀ + J₀(θ − θ₀) (the exact theory curve).")
    var linearized = false

    @Option(help: "Number of updates K (metrics for steps 0…K; at most 1000000).")
    var steps: Int = 10

    @Option(name: .customLong("stop-at"), help: "Stop early once ‖r_k‖ ≤ TOL·‖r₀‖ (default: run all --steps).")
    var stopTolerance: Double?

    @Flag(name: .customLong("record-outputs"), help: "Record the outputs u_k at every step (JSON only).")
    var recordOutputs = false

    @Flag(name: .customLong("record-weights"), help: "Record the final weights in the summary (JSON only).")
    var recordWeights = false

    @Option(help: "Output format: json or csv.")
    var format: OutputFormat = .json

    @Option(help: "Write to FILE instead of stdout (atomically).")
    var out: String?

    func run() throws {
        try refuseInapplicableOptions()
        let request = try data.request(outputs: model.outputs, seed: model.seed)
        let defaults = TrainingConfig()
        let config = TrainingConfig(width: model.width, outputs: model.outputs, initScale: model.initScale,
                                    seed: model.seed, trainOutputLayer: model.trainOutputLayer, optimizer: optimizer,
                                    learningRate: learningRate.map(LearningRate.fixed),
                                    damping: damping ?? defaults.damping, loss: loss,
                                    huberDelta: huberDelta ?? defaults.huberDelta,
                                    linearized: linearized, steps: steps, stopTolerance: stopTolerance, recordOutputs: recordOutputs,
                                    recordWeights: recordWeights, data: request, depth: model.depth)
        try config.validate()   // before loading data: bad options fail fast
        let inputs = CommandOutput.inputs(of: request)
        try CommandOutput.check(out, inputs: inputs)
        let dataset = try data.load(request, for: config)
        let run = try Trainer(config: config, dataset: dataset).run()
        Self.warnAboutNumerics(of: run)
        switch format {
        case .json:
            var bytes = try TrainingRun.makeEncoder().encode(run)
            bytes.append(0x0A)
            try CommandOutput.write(bytes, to: out, inputs: inputs)
        case .csv:
            try CommandOutput.write(Data(run.csv().utf8), to: out, inputs: inputs)
        }
    }

    /// Refuses options this run would ignore, so that the recorded config holds only what was used.
    private func refuseInapplicableOptions() throws {
        if damping != nil, optimizer == .gd {
            throw NGDError("--damping", "does not apply to gd (it damps the NGD and K-FAC solves); use --optimizer ngd "
                + "or kfac",
                           usage: true)
        }
        if huberDelta != nil, loss != .pseudoHuber {
            throw NGDError("--huber-delta", "applies only with --loss pseudo-huber", usage: true)
        }
        if format == .csv {
            for (option, isGiven) in [("--record-outputs", recordOutputs), ("--record-weights", recordWeights)] where isGiven {
                throw NGDError(option, "is recorded in JSON only; use --format json", usage: true)
            }
        }
    }

    /// Says on stderr when the run needed the singular-G fallback or diverged: the numbers stay in the output,
    /// but a NaN or a pseudo-inverse must never pass silently.
    static func warnAboutNumerics(of run: TrainingRun) {
        let summary = run.summary
        if summary.solverFallbacks > 0 {
            let ratio = summary.gramInitLambdaMax / max(summary.gramInitLambdaMin, .leastNonzeroMagnitude)
            let condition = summary.gramInitLambdaMin > 0 ? String(format: "%.3g", ratio) : "∞"
            FileHandle.standardError.write(Data(("ngd: warning: G is singular or ill-conditioned (λ_min(G₀) = "
                + String(format: "%.3g", summary.gramInitLambdaMin) + ", κ = \(condition)); the n×n solve used an "
                    + "eigen "
                + "pseudo-inverse at \(summary.solverFallbacks) step(s) (solver_method in each step)\n").utf8))
        }
        if summary.diverged {
            FileHandle.standardError.write(Data(("ngd: warning: the run diverged at step "
                + "\(summary.divergedAtStep ?? run.steps.count - 1) (loss not finite or residual > 10⁶·‖r₀‖); "
                + "try a smaller --lr\n").utf8))
        }
    }
}
