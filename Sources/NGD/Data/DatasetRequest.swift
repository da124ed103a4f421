/// Which data set to load and how to prepare it: a plain value, so it can sit in a spec, a run config and a cache key.
public struct DatasetRequest: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// x ~ N(0, I_d) projected to the unit sphere, y ~ N(0, 1) per output.
        case synthetic
        /// Synthetic points plus near-duplicate pairs at angle `epsilon`, to control λ₀ = λ_min(H∞).
        case lambda0
        /// The UCI 8×8 optical digits shipped inside the package (BSD-3).
        case digits
        /// MNIST from IDX files (gzipped or not) in `path` (or NGD_MNIST_DIR).
        case mnist
        /// A CSV file at `path`: header row, `y`/`y1`…`yk` columns are targets, the rest are features.
        case csv
    }

    /// How class-labelled data (digits, MNIST) becomes regression targets.
    public enum TargetOperator: String, Codable, CaseIterable, Sendable {
        /// Figure 1 (our reading of the caption): y = onehot − 0.5 + noise·N(0, I).
        case minus
        /// The alternative reading: y = onehot · 0.5 + noise·N(0, I).
        case times
    }

    public var kind: Kind
    /// Number of examples n (synthetic, lambda0) or cap on rows (csv); nil = source default.
    public var count: Int?
    /// Input dimension d for synthetic/lambda0 data.
    public var dimension: Int?
    /// Number of outputs k. For class data: 1 gives y = ±1 (first class +1), k = number of classes gives Figure-1 targets.
    public var outputs: Int
    /// Classes to keep for digits/MNIST (default 4 and 9, as in the paper's Figure 1).
    public var classes: [Int]
    /// Examples per class for digits/MNIST (nil = all).
    public var perClass: Int?
    /// File (csv; digits in the embedded format, nil = the embedded copy) or directory (mnist, nil = $NGD_MNIST_DIR).
    public var path: String?
    /// Project each input row onto the unit sphere (the theory assumes ‖x_i‖ = 1).
    public var normalize: Bool
    /// Seed of the data draw (synthetic points, subsampling, target noise).
    public var seed: UInt64
    /// lambda0 sets: angle (radians) between the members of each near-duplicate pair.
    public var epsilon: Double?
    /// lambda0 sets: number of near-duplicate pairs.
    public var pairs: Int?
    /// Class data: the operator between the one-hot vector and 0.5 in the Figure-1 targets.
    public var targetOperator: TargetOperator
    /// Class data: standard deviation of the Gaussian noise added to each target (0.3 in Figure 1).
    public var targetNoise: Double
    /// SHA-256 of the content of the files this request reads (nil for built-in data), filled in by whoever caches
    /// results under the request, so that a cache key changes with the data and not only with its path.
    /// Not used by `load()`.
    public var contentDigest: String?

    public init(kind: Kind, count: Int? = nil, dimension: Int? = nil, outputs: Int = 1, classes: [Int] = [4, 9],
                perClass: Int? = nil, path: String? = nil, normalize: Bool = true, seed: UInt64 = 0,
                epsilon: Double? = nil, pairs: Int? = nil, targetOperator: TargetOperator = .minus,
                targetNoise: Double = 0.3, contentDigest: String? = nil) {
        self.kind = kind
        self.count = count
        self.dimension = dimension
        self.outputs = outputs
        self.classes = classes
        self.perClass = perClass
        self.path = path
        self.normalize = normalize
        self.seed = seed
        self.epsilon = epsilon
        self.pairs = pairs
        self.targetOperator = targetOperator
        self.targetNoise = targetNoise
        self.contentDigest = contentDigest
    }
}

extension DatasetRequest {
    /// n and d of synthetic and lambda0 data when not given, and lambda0's number of near-duplicate pairs.
    public static let defaultCount = 64
    public static let defaultDimension = 16
    public static let defaultPairs = 1

    /// The request with the defaults that `load()` would apply written in (n and d of synthetic and lambda0 data,
    /// lambda0's pairs), so that a recorded configuration states the size that was used.
    public func withDefaultsFilled() -> DatasetRequest {
        guard kind == .synthetic || kind == .lambda0 else { return self }
        var filled = self
        filled.count = count ?? Self.defaultCount
        filled.dimension = dimension ?? Self.defaultDimension
        if kind == .lambda0 { filled.pairs = pairs ?? Self.defaultPairs }
        return filled
    }

    /// Loads and prepares the data set. Errors name the file or option at fault.
    ///
    /// - synthetic: `count` (default 64) points in R^`dimension` (default 16), see `Dataset.synthetic`.
    /// - lambda0: as synthetic, with `pairs` near-duplicate pairs at angle `epsilon` (required; `pairs`
    ///   defaults to 1), see `Dataset.lambda0`.
    /// - digits: the embedded UCI digits, or a file in the same format at `path`; see `Dataset.classification`.
    /// - mnist: the IDX files in `path`, else in $NGD_MNIST_DIR; see `MNIST.files(in:)` for which split is read.
    /// - csv: the file at `path`, `count` capping the rows; the file decides the number of outputs
    ///   (`outputs` is not used), see `Dataset.csv(atPath:limit:normalize:)`.
    public func load() throws -> Dataset {
        switch kind {
        case .synthetic:
            let n = count ?? Self.defaultCount, d = dimension ?? Self.defaultDimension
            guard n > 0 else { throw NGDError("--n", "expected a positive number of examples, got \(n)", usage: true) }
            guard d > 0 else { throw NGDError("--d", "expected a positive input dimension, got \(d)", usage: true) }
            guard outputs > 0 else { throw NGDError("--outputs", "expected at least one output, got \(outputs)", usage: true) }
            return Dataset.synthetic(count: n, dimension: d, outputs: outputs, seed: seed)
        case .lambda0:
            guard let epsilon else {
                throw NGDError("--epsilon", "lambda0 data needs --epsilon, the angle in radians between the members "
                                          + "of each near-duplicate pair", usage: true)
            }
            return try Dataset.lambda0(count: count ?? Self.defaultCount, dimension: dimension ?? Self.defaultDimension,
                                       outputs: outputs, pairs: pairs ?? Self.defaultPairs, epsilon: epsilon, seed: seed)
        case .digits:
            let images = try path.map { try UCIDigits.load(atPath: $0) } ?? UCIDigits.embedded()
            return try classification(from: images)
        case .mnist:
            return try classification(from: MNIST.load(directory: MNIST.directory(path)))
        case .csv:
            guard let path, !path.isEmpty else {
                throw NGDError("--dataset", "csv needs a path: csv:PATH", usage: true)
            }
            return try Dataset.csv(atPath: path, limit: count, normalize: normalize)
        }
    }

    private func classification(from images: LabelledImages) throws -> Dataset {
        try Dataset.classification(from: images, classes: classes, perClass: perClass, outputs: outputs,
                                   normalize: normalize, seed: seed, targetOperator: targetOperator,
                                   targetNoise: targetNoise)
    }
}
