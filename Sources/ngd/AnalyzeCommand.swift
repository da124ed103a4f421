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
                                    seed: model.seed, trainOutputLayer: model.trainOutputLayer, data: request)
        try config.validate()
        let inputs = CommandOutput.inputs(of: request)
        try CommandOutput.check(out, inputs: inputs)
        let dataset = try data.load(request, for: config, analyzes: true)
        let analysis = try Analysis(dataset: dataset, config: config)
        var bytes = try TrainingRun.makeEncoder().encode(analysis)
        bytes.append(0x0A)
        try CommandOutput.write(bytes, to: out, inputs: inputs)
    }
}
