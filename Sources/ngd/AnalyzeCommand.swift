import ArgumentParser
import Foundation
import NGD
import Report

/// `ngd analyze`: the theory's quantities (λ₀, ‖G₀ − H∞‖, leverage scores, …) for a data set and an
/// initialised network, without training.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Compute λ₀ = λ_min(H∞), the Gram matrix at init, K-FAC leverage scores and related quantities.")

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Option(help: "Output format: json.")
    var format: OutputFormat = .json

    @Option(help: "Write to FILE instead of stdout (atomically).")
    var out: String?

    func run() throws {
        guard format == .json else { throw NGDError("--format", "analyze writes json only", usage: true) }
        let request = try data.request(outputs: model.outputs, seed: model.seed)
        let config = TrainingConfig(width: model.width, outputs: model.outputs, initScale: model.initScale,
                                    seed: model.seed, trainOutputLayer: model.trainOutputLayer, data: request,
                                    depth: model.depth)
        try config.validate()
        let inputs = CommandOutput.inputs(of: request)
        try CommandOutput.check(out, inputs: inputs)
        let dataset = try data.load(request, for: config, analyzes: true)
        var bytes = config.depth > 1
            ? try TrainingRun.makeEncoder().encode(DeepAnalysis(dataset: dataset, config: config))
            : try TrainingRun.makeEncoder().encode(Analysis(dataset: dataset, config: config))
        bytes.append(0x0A)
        try CommandOutput.write(bytes, to: out, inputs: inputs)
    }
}
