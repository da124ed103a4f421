import ArgumentParser
import Foundation
import NGD

/// The data options shared by `ngd train`, `ngd analyze` and other commands that load one data set.
struct DataOptions: ParsableArguments {
    @Option(help: "Data set: synthetic, lambda0, digits, mnist or csv:PATH.")
    var dataset: String = "synthetic"

    @Option(name: .customLong("n"), help: "Number of examples (synthetic, lambda0; a cap for csv).")
    var count: Int?

    @Option(name: .customLong("d"), help: "Input dimension (synthetic, lambda0).")
    var dimension: Int?

    @Option(help: "Classes to keep for digits/mnist, comma-separated (with --outputs 1 the first is +1, the rest −1).")
    var classes: String = "4,9"

    @Option(name: .customLong("per-class"),
            help: "Examples per class for digits/mnist (default: all), drawn by a shuffle seeded with --data-seed.")
    var perClass: Int?

    @Option(name: .customLong("mnist-dir"),
            help: "Directory with MNIST IDX files, train-* preferred over t10k-*, .gz or not (default: $NGD_MNIST_DIR).")
    var mnistDirectory: String?

    @Option(help: "lambda0 data: angle in radians between the members of each near-duplicate pair.")
    var epsilon: Double?

    @Option(help: "lambda0 data: number of near-duplicate pairs (default 1).")
    var pairs: Int?

    @Option(name: .customLong("target-operator"), help: "Class targets: onehot OP 0.5 + noise, OP = minus or times.")
    var targetOperator: DatasetRequest.TargetOperator = .minus

    @Option(name: .customLong("target-noise"), help: "Class targets: standard deviation of the target noise.")
    var targetNoise: Double = 0.3

    @Flag(name: .customLong("no-normalize"), help: "Keep input rows as they are instead of projecting them to the unit sphere.")
    var noNormalize = false

    @Option(name: .customLong("data-seed"), help: "Seed of the data draw (default: the run's --seed).")
    var dataSeed: UInt64?

    /// The request these options describe; `outputs` and `seed` come from the model options of the command.
    func request(outputs: Int, seed: UInt64) throws -> DatasetRequest {
        let (kind, path) = try parseKind()
        let classList = try classes.split(separator: ",").map { part -> Int in
            guard let c = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw NGDError("--classes", "expected comma-separated integers, got '\(classes)'", usage: true)
            }
            return c
        }
        let directory = kind == .mnist ? (mnistDirectory ?? ProcessInfo.processInfo.environment["NGD_MNIST_DIR"]) : path
        return DatasetRequest(kind: kind, count: count, dimension: dimension, outputs: outputs, classes: classList,
                              perClass: perClass, path: directory, normalize: !noNormalize, seed: dataSeed ?? seed,
                              epsilon: epsilon, pairs: pairs, targetOperator: targetOperator, targetNoise: targetNoise)
    }

    /// Loads the data set a request (made by `request(outputs:seed:)`) describes for a run of `config`, after the
    /// resource check (`DatasetRequest.load(for:limits:analyzes:)`), and prints its warnings (e.g. exactly
    /// duplicated inputs, λ₀ = 0) to standard error.
    func load(_ request: DatasetRequest, for config: TrainingConfig, analyzes: Bool = false) throws -> Dataset {
        let dataset = try request.load(for: config, limits: try ResourceLimits.current(), analyzes: analyzes)
        for warning in dataset.warnings() {
            FileHandle.standardError.write(Data("ngd: warning: \(warning)\n".utf8))
        }
        return dataset
    }

    private func parseKind() throws -> (DatasetRequest.Kind, String?) {
        if dataset.hasPrefix("csv:") {
            let path = String(dataset.dropFirst(4))
            guard !path.isEmpty else { throw NGDError("--dataset", "csv needs a path: csv:PATH", usage: true) }
            return (.csv, path)
        }
        guard let kind = DatasetRequest.Kind(rawValue: dataset), kind != .csv else {
            throw NGDError("--dataset", "unknown data set '\(dataset)'; expected synthetic, lambda0, digits, mnist or csv:PATH",
                           usage: true)
        }
        return (kind, nil)
    }
}

extension DatasetRequest.TargetOperator: ExpressibleByArgument {}
