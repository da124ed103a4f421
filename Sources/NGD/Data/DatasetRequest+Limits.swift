extension DatasetRequest {
    /// The names a resource error gives to each count: CLI options, or a spec location for every one of them.
    public struct CountNames: Sendable, Equatable {
        public var examples = "--n"
        public var dimension = "--d"
        public var outputs = "--outputs"
        public var perClass = "--per-class"
        public var pairs = "--pairs"
        public var width = "--width"
        public var steps = "--steps"

        /// The CLI's option names.
        public static let options = CountNames()

        /// One name (e.g. `spec.yaml:12:5`) for every count.
        public init(all name: String) {
            (examples, dimension, outputs, perClass, pairs, width, steps) = (name, name, name, name, name, name, name)
        }

        public init() {}
    }

    /// Checks every count the request sets against the documented caps (`ResourceLimits`), before anything is
    /// generated or read.
    public func checkCounts(names: CountNames = .options) throws {
        typealias L = ResourceLimits
        if let count { try L.checkLimit(count, option: names.examples, maximum: L.maximumExamples, what: "examples") }
        if let dimension {
            try L.checkLimit(dimension, option: names.dimension, maximum: L.maximumDimension, what: "input dimensions")
        }
        try L.checkLimit(outputs, option: names.outputs, maximum: L.maximumOutputs, what: "outputs")
        if let perClass {
            try L.checkLimit(perClass, option: names.perClass, maximum: L.maximumExamples, what: "examples per class")
        }
        if let pairs {
            try L.checkLimit(pairs, option: names.pairs, maximum: L.maximumExamples / 2, what: "pairs")
        }
    }

    /// n and d as the request alone decides them (synthetic and lambda0 data); nil when only the data can tell.
    public var plannedShape: (examples: Int, dimension: Int)? {
        switch kind {
        case .synthetic, .lambda0: return (count ?? Self.defaultCount, dimension ?? Self.defaultDimension)
        case .digits, .mnist, .csv: return nil
        }
    }

    /// Loads the data set for a run of `config`, refusing (with a usage error naming the count or the file) before
    /// anything large is allocated: counts over their caps, a planned shape whose run would not fit `limits`, CSV
    /// files whose rows would not (checked while they stream in), and finally the loaded data set itself.
    public func load(for config: TrainingConfig, limits: ResourceLimits, analyzes: Bool = false,
                     names: CountNames = .options) throws -> Dataset {
        try checkCounts(names: names)
        func shape(examples: Int, dimension: Int, examplesCause: ResourceLimits.Cause? = nil) -> ResourceLimits.RunShape {
            var shape = ResourceLimits.RunShape(
                config: config, examples: examples, dimension: dimension, analyzes: analyzes,
                examplesCause: examplesCause ?? .init(source: names.examples, subject: "\(examples) examples"),
                dimensionCause: .init(source: names.dimension, subject: "\(dimension) input dimensions"))
            shape.widthCause = .init(source: names.width, subject: "\(config.width) hidden units")
            shape.stepsCause = .init(source: names.steps, subject: "\(config.steps) steps")
            return shape
        }
        if let planned = plannedShape {
            try limits.check(shape(examples: planned.examples, dimension: planned.dimension))
        }
        let dataset: Dataset
        if kind == .csv, let path, !path.isEmpty {
            dataset = try Dataset.csv(atPath: path, limit: count, normalize: normalize) { csv in
                let cause = ResourceLimits.Cause(source: path, subject: "\(csv.rows) rows")
                try limits.check(shape(examples: csv.rows, dimension: csv.features, examplesCause: cause))
            }
        } else {
            dataset = try load()
        }
        try limits.check(shape(examples: dataset.count, dimension: dataset.dimension))
        return dataset
    }
}
