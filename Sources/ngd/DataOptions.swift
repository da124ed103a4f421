import ArgumentParser
import Foundation
import NGD

/// The data options shared by `ngd train`, `ngd analyze` and other commands that load one data set.
struct DataOptions: ParsableArguments {
    @Option(help: "Data set: synthetic, lambda0, digits, mnist or csv:PATH.")
    var dataset: String = "synthetic"

    @Option(name: .customLong("n"), help: "Number of examples (synthetic, lambda0; default 64; a cap on the rows for csv).")
    var count: Int?

    @Option(name: .customLong("d"), help: "Input dimension (synthetic, lambda0; default 16).")
    var dimension: Int?

    // Options that apply to some data sets only are optionals, so that a value the user typed for a data set that
    // does not use it is refused (ArgumentParser cannot tell a default from a typed value); defaults are applied
    // in `request(outputs:seed:)`.
    @Option(help: "Classes to keep for digits/mnist, comma-separated (default 4,9; with --outputs 1 the first is +1, the rest −1).")
    var classes: String?

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

    @Option(name: .customLong("target-operator"),
            help: "Class targets with one output per class: onehot OP 0.5 + noise, OP = minus or times (default minus).")
    var targetOperator: DatasetRequest.TargetOperator?

    @Option(name: .customLong("target-noise"),
            help: "Class targets with one output per class: standard deviation of the target noise (default 0.3).")
    var targetNoise: Double?

    @Flag(name: .customLong("no-normalize"),
          help: "digits, mnist, csv: keep input rows as they are instead of projecting them to the unit sphere.")
    var noNormalize = false

    @Option(name: .customLong("data-seed"), help: "Seed of the data draw, not for csv (default: the run's --seed).")
    var dataSeed: UInt64?

    /// The request these options describe; `outputs` and `seed` come from the model options of the command.
    /// Options that this data set does not use are refused (usage error naming the first), so that the recorded
    /// request never shows a value that was typed but not used.
    func request(outputs: Int, seed: UInt64) throws -> DatasetRequest {
        let (kind, path) = try parseKind()
        try refuseInapplicableOptions(for: kind, outputs: outputs)
        let defaults = DatasetRequest(kind: kind)
        let classList = try classes.map(Self.classList) ?? defaults.classes
        let directory = kind == .mnist ? (mnistDirectory ?? ProcessInfo.processInfo.environment["NGD_MNIST_DIR"]) : path
        return DatasetRequest(kind: kind, count: count, dimension: dimension, outputs: outputs, classes: classList,
                              perClass: perClass, path: directory, normalize: !noNormalize, seed: dataSeed ?? seed,
                              epsilon: epsilon, pairs: pairs, targetOperator: targetOperator ?? defaults.targetOperator,
                              targetNoise: targetNoise ?? defaults.targetNoise).withDefaultsFilled()
    }

    private static func classList(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map { part -> Int in
            guard let c = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw NGDError("--classes", "expected comma-separated integers, got '\(text)'", usage: true)
            }
            return c
        }
    }

    /// The first option given that `kind` does not use, as a usage error that says which data sets use it.
    private func refuseInapplicableOptions(for kind: DatasetRequest.Kind, outputs: Int) throws {
        let isClassData = kind == .digits || kind == .mnist
        let isSynthetic = kind == .synthetic || kind == .lambda0
        let given: [(option: String, isGiven: Bool, appliesTo: Bool, usedBy: String)] = [
            ("--n", count != nil, !isClassData,
             "synthetic and lambda0 data (a cap on the rows for csv); class data has --classes × --per-class examples"),
            ("--d", dimension != nil, isSynthetic, "synthetic and lambda0 data; the file or the images decide d"),
            ("--epsilon", epsilon != nil, kind == .lambda0, "lambda0 data"),
            ("--pairs", pairs != nil, kind == .lambda0, "lambda0 data"),
            ("--classes", classes != nil, isClassData, "class data (digits, mnist)"),
            ("--per-class", perClass != nil, isClassData, "class data (digits, mnist)"),
            ("--target-operator", targetOperator != nil, isClassData, "class data (digits, mnist)"),
            ("--target-noise", targetNoise != nil, isClassData, "class data (digits, mnist)"),
            ("--mnist-dir", mnistDirectory != nil, kind == .mnist, "mnist data"),
            ("--no-normalize", noNormalize, !isSynthetic,
             "digits, mnist and csv data; synthetic and lambda0 points always lie on the unit sphere"),
            ("--data-seed", dataSeed != nil, kind != .csv, "drawn data (synthetic, lambda0, digits, mnist); a CSV file "
                + "has no draw"),
        ]
        if let refused = given.first(where: { $0.isGiven && !$0.appliesTo }) {
            throw NGDError(refused.option, "does not apply to \(kind.rawValue) data: it is used by \(refused.usedBy)",
                           usage: true)
        }
        // With one output, class targets are ±1: no one-hot vector, no noise.
        if isClassData, outputs == 1 {
            for (option, isGiven) in [("--target-operator", targetOperator != nil), ("--target-noise", targetNoise != nil)]
            where isGiven {
                throw NGDError(option, "does not apply with --outputs 1 (the targets are ±1, without noise); it is "
                    + "used "
                                     + "by the one-hot targets of --outputs = the number of classes", usage: true)
            }
        }
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
            throw NGDError("--dataset", "unknown data set '\(dataset)'; expected synthetic, lambda0, digits, mnist or "
                + "csv:PATH",
                           usage: true)
        }
        return (kind, nil)
    }
}

extension DatasetRequest.TargetOperator: ExpressibleByArgument {}
