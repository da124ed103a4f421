import ArgumentParser
import NGD

/// Network options shared by `ngd train` and `ngd analyze`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Hidden units m.")
    var width: Int = TrainingConfig.defaultWidth

    @Option(help: "Hidden layers L (1 = the paper's two-layer network; docs/DEEP.md).")
    var depth: Int = 1

    @Option(help: "Network outputs k (2 for Figure 1).")
    var outputs: Int = 1

    @Option(name: .customLong("init-scale"), help: "Init scale ν: w_r ~ N(0, ν²I).")
    var initScale: Double = 1

    @Option(help: "Seed of the network initialisation (and of the data unless --data-seed is given).")
    var seed: UInt64 = 0

    @Flag(name: .customLong("train-output-layer"), help: "Also train the output weights a (the paper trains W only).")
    var trainOutputLayer = false
}

/// Output format of `train` / `analyze`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, csv
}

extension OptimizerKind: ExpressibleByArgument {}
extension LossKind: ExpressibleByArgument {}
