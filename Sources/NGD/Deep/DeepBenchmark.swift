/// `ngd bench --depth L` (L ≥ 2): one NGD, K-FAC and GD step of the deep network on the bench's synthetic problem,
/// timed whole (forward pass, Jacobian factors, G or the K-FAC factors, solves, update), with the peak RSS and
/// the loss after each step — the numbers the numpy peer (benchmarks/peers) reproduces on the dumped data.
public struct DeepBenchmarkResult: Codable, Sendable {
    public var n: Int
    public var d: Int
    public var m: Int
    public var depth: Int
    public var learningRate: Double
    /// Median wall (and CPU) times of one whole step, keyed `ngd_step`, `kfac_step`, `gd_step`.
    public var timings: [String: TimingSummary]
    public var peakRssMb: Double
    /// ½‖u − y‖² at θ₀ and after one step of each optimizer.
    public var loss: Double
    public var ngdStepLoss: Double
    public var kfacStepLoss: Double
    public var gdStepLoss: Double
    public var blasThreads: Int
}

public struct DeepBenchmark: Sendable {
    public var depth: Int
    public var repeats: Int
    public var seed: UInt64
    public var learningRate: Double
    /// Where to write each size's problem in the peer's format (W1.bin … WL.bin), if anywhere.
    public var dumpDirectory: String?

    public init(depth: Int, repeats: Int, seed: UInt64, learningRate: Double, dumpDirectory: String? = nil) {
        self.depth = depth
        self.repeats = repeats
        self.seed = seed
        self.learningRate = learningRate
        self.dumpDirectory = dumpDirectory
    }

    /// The size issue 13 pins for the depth-3 row.
    public static let defaultSize = BenchmarkSize(n: 1024, d: 784, m: 2048)

    /// The problem: `Dataset.synthetic` and the deep initialisation with ν = 1, both from `seed` (at L = 1
    /// exactly `Benchmark.problem`).
    public func problem(_ size: BenchmarkSize) -> (Dataset, DeepReLU, DeepParameters) {
        let data = Dataset.synthetic(count: size.n, dimension: size.d, seed: seed)
        let model = DeepReLU(inputDimension: size.d, width: size.m, outputs: 1, depth: depth)
        return (data, model, model.initialParameters(initScale: 1, seed: seed))
    }

    public func run(_ size: BenchmarkSize) throws -> DeepBenchmarkResult {
        guard repeats > 0 else { throw NGDError("--repeats", "expected at least one repeat", usage: true) }
        let (data, model, theta) = problem(size)
        if let dumpDirectory {
            try PeerExchangeFormat.write(inputs: data.inputs, targets: data.targets, hiddenWeights: theta.hiddenWeights,
                                         outputWeights: theta.outputWeights, learningRate: learningRate, seed: seed,
                                         kfacDamping: 0, to: dumpDirectory + "/" + size.directoryName)
        }
        _ = ProcessClock.resetPeakResident()
        func loss(_ p: DeepParameters) -> Double {
            let r = model.outputs(on: data.inputs, parameters: p).subtracting(data.targets).frobeniusNorm
            return 0.5 * r * r
        }
        var timings: [String: TimingSummary] = [:], losses: [OptimizerKind: Double] = [:]
        for kind in [OptimizerKind.ngd, .kfac, .gd] {
            let rule = DeepUpdate(optimizer: kind, learningRate: learningRate)
            var next = theta
            timings["\(kind.rawValue)_step"] = try TimingSummary.measure(repeats: repeats, warmups: 1) {
                next = try rule.step(from: theta, model: model, inputs: data.inputs, targets: data.targets)
            }
            losses[kind] = loss(next)
        }
        return DeepBenchmarkResult(
            n: size.n, d: size.d, m: size.m, depth: depth, learningRate: learningRate, timings: timings,
            peakRssMb: Double(ProcessClock.peakResidentBytes()) / (1024 * 1024), loss: loss(theta),
            ngdStepLoss: losses[.ngd] ?? .nan, kfacStepLoss: losses[.kfac] ?? .nan, gdStepLoss: losses[.gd] ?? .nan,
            blasThreads: BLAS.threads)
    }
}
