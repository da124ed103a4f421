#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One problem size (n examples, input dimension d, width m) of `ngd bench`.
public struct BenchmarkSize: Codable, Hashable, Sendable, CustomStringConvertible {
    public var n: Int
    public var d: Int
    public var m: Int

    public init(n: Int, d: Int, m: Int) {
        self.n = n
        self.d = d
        self.m = m
    }

    /// (256, 784, 4096) and (1024, 784, 8192): MNIST-like inputs; (2048, 64, 16384): Gram-dominated.
    public static let defaults = [BenchmarkSize(n: 256, d: 784, m: 4096), BenchmarkSize(n: 1024, d: 784, m: 8192),
                                  BenchmarkSize(n: 2048, d: 64, m: 16384)]

    /// Parses "n,d,m;n,d,m…" (spaces ignored). Throws a usage error naming `option`.
    public static func parseList(_ text: String, option: String = "--sizes") throws -> [BenchmarkSize] {
        var sizes: [BenchmarkSize] = []
        for part in text.replacingSpaces.split(separator: ";") where !part.isEmpty {
            let values = part.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard values.count == 3, let n = values[0], let d = values[1], let m = values[2], n > 0, d > 0, m > 0 else {
                throw NGDError(option, "'\(part)' is not n,d,m with three positive integers", usage: true)
            }
            sizes.append(BenchmarkSize(n: n, d: d, m: m))
        }
        guard !sizes.isEmpty else { throw NGDError(option, "expected at least one size n,d,m", usage: true) }
        return sizes
    }

    public var description: String { "n=\(n) d=\(d) m=\(m)" }
    /// The peer's directory name for this size under a dump directory.
    public var directoryName: String { "n\(n)-d\(d)-m\(m)" }
}

/// One GEMM of a step, timed on its own with the step's shapes and blocking.
public struct GEMMPart: Codable, Hashable, Sendable {
    public var name: String
    /// "(rows×inner)·(inner×columns)" of the whole product (it runs in blocks of units, as in the step).
    public var shape: String
    public var flops: Double
    public var medianMs: Double
    public var gflops: Double
}

/// Everything `ngd bench` measures for one size. JSON keys are snake_case; times in ms are medians
/// (`timings` has min/max/quartiles/CPU time/samples).
public struct BenchmarkResult: Codable, Sendable {
    public var n: Int, d: Int, m: Int, k: Int
    public var lr: Double
    public var seed: UInt64
    /// How Z = XWᵀ is kept current between steps (`PreactivationForm`).
    public var preactivationForm: String
    /// Units per block of the streamed kernels.
    public var blockWidth: Int

    public var forwardMs: Double
    public var gramMs: Double
    public var gramLambdaMinMs: Double
    public var ngdStepMs: Double
    public var gdStepMs: Double
    public var kfacStepMs: Double
    /// One NGD step from the raw state (X, y, W, a), caching nothing: XXᵀ and Z computed inside.
    public var ngdColdStepMs: Double
    /// The exact Z = XWᵀ refresh of the update form (paid every `refreshInterval` steps); nil otherwise.
    public var zRefreshMs: Double?
    public var refreshInterval: Int
    public var timings: [String: TimingSummary]

    /// The peer's reference: X·Wᵀ, 2ndm flops, median.
    public var dgemmShape: String
    public var dgemmGflops: Double
    /// A square dgemm in the same run: the rate this BLAS reaches here and now.
    public var dgemmSquareSize: Int
    public var dgemmSquareGflops: Double
    public var ngdStepGemmParts: [GEMMPart]
    /// Σ flops / Σ time of those parts, and that rate over the square dgemm rate.
    public var ngdStepGemmGflops: Double
    public var ngdStepGemmShareOfDgemm: Double
    /// GEMM flops of one step (K-FAC: with its triangular solves) and the rate the whole step achieves on them.
    public var ngdStepGemmFlops: Double
    public var gdStepGemmFlops: Double
    public var kfacStepGemmFlops: Double
    public var ngdStepEffectiveGflops: Double
    /// Word pairs ANDed and counted for the pattern Gram: n(n+1)/2·⌈m/64⌉.
    public var popcountWordPairs: Double
    /// "hardware" when the pattern Gram's kernel runs on the CPU's population-count instruction, else "portable".
    public var popcountKernel: String

    public var peakRssMb: Double
    /// RSS when the size started (runtime, BLAS buffers, earlier sizes' freed-but-kept pages).
    public var baselineRssMb: Double
    /// What the problem must hold: X, W, the bit-packed pattern, the n×n Gram, and Z when the form holds it.
    public var requiredMb: Double
    /// (peak − baseline) / required.
    public var peakOverRequired: Double
    /// The same without the bench's own copy of W₀ (8md bytes, kept only to reset between repeats).
    public var stepperPeakOverRequired: Double
    /// False when the peak could not be reset per size (then it is the process's peak so far).
    public var peakRssIsPerSize: Bool

    public var blasLibrary: String
    public var blasCore: String
    public var blasThreads: Int
    public var blasConfig: String
    public var genericKernelWarning: String?
    public var openblasCoretype: String?
    /// Set when ngd chose the core at start-up (`BLASInfo.automaticCoreChoice`).
    public var blasCoreChoice: String?
    public var cpuModel: String

    public var loss: Double
    public var ngdStepLoss: Double
    public var gdStepLoss: Double
    public var kfacStepLoss: Double
    public var ngdSolver: String
    public var gramLambdaMin: Double
    public var gramLambdaMax: Double
    public var dataDir: String?
    public var loadAverageStart: Double
    public var loadAverageEnd: Double
    /// With `ngd bench --threads`: this size's scaling table over all the listed thread counts.
    public var threadScaling: [OperationScaling]?
}

/// Runs `ngd bench` for one size: data from the engine's seeded generators, one warm-up, `repeats` timed
/// runs of each operation from the same state, wall and CPU time, GEMM rates, peak RSS, BLAS identity.
public struct Benchmark: Sendable {
    public var repeats: Int
    public var warmups: Int
    public var seed: UInt64
    public var learningRate: Double
    /// Where to write each size's data in the peer's exchange format (DIR/n<n>-d<d>-m<m>); nil = none.
    public var dumpDirectory: String?
    public var refreshInterval: Int
    /// The operations to time (`selectableOperations`); nil times everything. A selection skips the GEMM-rate
    /// probes and the λ_min probe unless `gram_lambda_min` is in it (their fields are then NaN): a short run,
    /// for a scaling measurement on a machine lent for minutes.
    public var operations: Set<String>?

    /// What `ngd bench --operations` may name; `gram` brings its parts (gram_z, gram_pattern, gram_inputs,
    /// gram_popcount) and `ngd_solve` along.
    public static let selectableOperations = ["forward", "gram", "gram_lambda_min", "ngd_step", "gd_step", "kfac_step",
                                              "ngd_cold_step", "z_refresh"]

    /// Parses "gram,ngd_step,…" (names from `selectableOperations`, no repeats). Throws a usage error naming `option`.
    public static func parseOperations(_ text: String, option: String = "--operations") throws -> Set<String> {
        var names: Set<String> = []
        for part in text.replacingSpaces.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard selectableOperations.contains(part) else {
                throw NGDError(option, "'\(part)' is not one of \(selectableOperations.joined(separator: ", "))",
                               usage: true)
            }
            guard names.insert(part).inserted else { throw NGDError(option, "\(part) is listed twice", usage: true) }
        }
        return names
    }

    public init(repeats: Int = 5, warmups: Int = 1, seed: UInt64 = 0,
                learningRate: Double = TrainingConfig.defaultScaleFreeLearningRate,
                dumpDirectory: String? = nil, refreshInterval: Int = 20, operations: Set<String>? = nil) {
        self.operations = operations
        self.repeats = repeats
        self.warmups = warmups
        self.seed = seed
        self.learningRate = learningRate
        self.dumpDirectory = dumpDirectory
        self.refreshInterval = refreshInterval
    }

    /// The benchmark problem: `Dataset.synthetic` (unit-norm rows, y ~ N(0, 1)) and the paper's
    /// initialisation with ν = 1, both from `seed`.
    public static func problem(_ size: BenchmarkSize, seed: UInt64) -> (Dataset, NetworkParameters) {
        let data = Dataset.synthetic(count: size.n, dimension: size.d, seed: seed)
        let theta = TwoLayerReLU(inputDimension: size.d, width: size.m).initialParameters(initScale: 1, seed: seed)
        return (data, theta)
    }

    /// The loss after one step of `optimizer` from θ, computed the way the bench computes it.
    public static func lossAfterOneStep(_ optimizer: OptimizerKind, dataset: Dataset, parameters: NetworkParameters,
                                        learningRate: Double) throws -> (loss: Double, parameters: NetworkParameters) {
        var stepper = try StructuredStepper(inputs: dataset.inputs, targets: dataset.targets, parameters: parameters)
        try stepper.step(optimizer, learningRate: learningRate)
        return (stepper.loss(), stepper.parameters)
    }

    /// Whether `operation` is timed in this run.
    func times(_ operation: String) -> Bool { operations?.contains(operation) ?? true }

    public func run(_ size: BenchmarkSize, progress: (String) -> Void = { _ in }) throws -> BenchmarkResult {
        guard repeats > 0, warmups >= 0 else { throw NGDError("--repeats", "expected at least one repeat", usage: true) }
        let loadStart = Self.loadAverage()
        ProcessClock.resetPeakResident()
        let baseline = Double(ProcessClock.currentResidentBytes() ?? ProcessClock.peakResidentBytes())
        let (n, d, m) = (size.n, size.d, size.m)
        let (data, theta) = Self.problem(size, seed: seed)
        var dataDir: String? = nil
        if let dumpDirectory {
            let dir = dumpDirectory + "/" + size.directoryName
            try PeerExchangeFormat.write(inputs: data.inputs, targets: data.targets, parameters: theta,
                                         learningRate: learningRate, seed: seed, to: dir)
            dataDir = dir
        }
        // The dump's byte buffers are gone; the peak from here on is the problem's and the stepper's.
        let perSize = ProcessClock.resetPeakResident()
        let eta = learningRate
        let steady = try measureSteadyState(data: data, theta: theta, size: size, progress: progress)
        var timings = steady.timings
        if times("ngd_cold_step") { timings["ngd_cold_step"] = try TimingSummary.measure(repeats: repeats, warmups: warmups) {
            var cold = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta,
                                             refreshInterval: refreshInterval)
            try cold.step(.ngd, learningRate: eta)
        } }
        let words = Double((m + 63) / 64)
        let required = 8 * Double(n * d + m * d + n * n) + 8 * Double(n) * words
            + (steady.form == .inputGramUpdate ? 8 * Double(n * m) : 0)
        let peak = steady.peakBytes, blockWidth = steady.blockWidth, form = steady.form, w0 = theta.hiddenWeights
        let losses = steady.losses, loss0 = steady.loss0, extremes = steady.extremes, ngdSolver = steady.ngdSolver

        // GEMM rates: the peer's forward-shape product, a square reference, and the NGD step's own GEMMs
        // with its shapes and blocking (after the peak RSS was read: these allocate their own buffers).
        let nd = Double(n) * Double(d), nm = Double(n) * Double(m)
        let probes = operations == nil
        let forwardShape = probes ? GEMMTimer.forward(inputs: data.inputs, weights: w0, blockWidth: m, repeats: repeats,
                                                      warmups: warmups) : .nan
        let square = probes ? GEMMTimer.square(size: 1024, repeats: repeats, warmups: warmups) : .nan
        var parts: [GEMMPart] = []
        if !probes {
            // a selection skips the GEMM-rate probes
        } else if form == .inputGramUpdate {
            // GD/NGD steps defer ΔW into C: their only GEMM is ΔZ (W_ref += CᵀX comes with the refresh).
            let deltaZ = GEMMTimer.preactivationUpdate(inputs: data.inputs, width: m, blockWidth: blockWidth,
                                                       repeats: repeats, warmups: warmups)
            parts.append(GEMMPart(name: "dZ = (XX^T) B", shape: "(\(n)x\(n))(\(n)x\(m))", flops: 2 * nm * Double(n),
                                  medianMs: deltaZ, gflops: 2 * nm * Double(n) / deltaZ / 1e6))
        } else {
            let deltaW = GEMMTimer.weightUpdate(inputs: data.inputs, width: m, blockWidth: blockWidth,
                                                repeats: repeats, warmups: warmups)
            let forward = GEMMTimer.forward(inputs: data.inputs, weights: w0, blockWidth: blockWidth, repeats: repeats,
                                            warmups: warmups)
            parts.append(GEMMPart(name: "Z = X W^T", shape: "(\(n)x\(d))(\(d)x\(m))", flops: 2 * nd * Double(m),
                                  medianMs: forward, gflops: 2 * nd * Double(m) / forward / 1e6))
            parts.append(GEMMPart(name: "dW = B^T X", shape: "(\(m)x\(n))(\(n)x\(d))", flops: 2 * nd * Double(m),
                                  medianMs: deltaW, gflops: 2 * nd * Double(m) / deltaW / 1e6))
        }
        let partFlops = parts.reduce(0) { $0 + $1.flops }, partMs = probes ? parts.reduce(0) { $0 + $1.medianMs } : .nan
        let squareGflops = 2 * 1024.0 * 1024 * 1024 / square / 1e6
        let ngdFlops = partFlops
        // K-FAC (see PreactivationForm): n ≤ d deferred 4n²m + 2n³; n > d 2ndm + 2n²m + 4n²d; recomputed 4ndm + 2n²d.
        let kfacFlops: Double
        if form == .inputGramUpdate {
            kfacFlops = n <= d ? 4 * nm * Double(n) + 2 * pow(Double(n), 3)
                               : 2 * nd * Double(m) + 2 * nm * Double(n) + 4 * Double(n) * nd
        } else {
            kfacFlops = 4 * nd * Double(m) + 2 * Double(n) * nd
        }
        let ngdMs = timings["ngd_step"]?.medianMs ?? .nan
        let blas = BLASInfo.current
        let mb = 1024.0 * 1024.0
        return BenchmarkResult(
            n: n, d: d, m: m, k: 1, lr: eta, seed: seed, preactivationForm: form.rawValue, blockWidth: blockWidth,
            forwardMs: timings["forward"]?.medianMs ?? .nan, gramMs: timings["gram"]?.medianMs ?? .nan,
            gramLambdaMinMs: timings["gram_lambda_min"]?.medianMs ?? .nan, ngdStepMs: ngdMs,
            gdStepMs: timings["gd_step"]?.medianMs ?? .nan, kfacStepMs: timings["kfac_step"]?.medianMs ?? .nan,
            ngdColdStepMs: timings["ngd_cold_step"]?.medianMs ?? .nan, zRefreshMs: timings["z_refresh"]?.medianMs,
            refreshInterval: refreshInterval, timings: timings,
            dgemmShape: "(\(n)x\(d))(\(d)x\(m))", dgemmGflops: 2 * nd * Double(m) / forwardShape / 1e6,
            dgemmSquareSize: 1024, dgemmSquareGflops: squareGflops, ngdStepGemmParts: parts,
            ngdStepGemmGflops: partFlops / partMs / 1e6, ngdStepGemmShareOfDgemm: partFlops / partMs / 1e6 / squareGflops,
            ngdStepGemmFlops: ngdFlops, gdStepGemmFlops: ngdFlops, kfacStepGemmFlops: kfacFlops,
            ngdStepEffectiveGflops: ngdFlops / ngdMs / 1e6,
            popcountWordPairs: Double(n) * Double(n + 1) / 2 * words, popcountKernel: ActivationPattern.countingKernel,
            peakRssMb: peak / mb, baselineRssMb: baseline / mb, requiredMb: required / mb,
            peakOverRequired: (peak - baseline) / required,
            stepperPeakOverRequired: (peak - baseline - 8 * Double(m * d)) / required, peakRssIsPerSize: perSize,
            blasLibrary: blas.library, blasCore: blas.coreName, blasThreads: blas.threads, blasConfig: blas.configuration,
            genericKernelWarning: blas.genericKernelWarning, openblasCoretype: Self.environment("OPENBLAS_CORETYPE"),
            blasCoreChoice: blas.automaticCoreChoice,
            cpuModel: CPUDescription.current.model,
            loss: loss0, ngdStepLoss: losses[.ngd] ?? .nan, gdStepLoss: losses[.gd] ?? .nan,
            kfacStepLoss: losses[.kfac] ?? .nan, ngdSolver: ngdSolver,
            gramLambdaMin: extremes?.min ?? .nan, gramLambdaMax: extremes?.max ?? .nan, dataDir: dataDir,
            loadAverageStart: loadStart, loadAverageEnd: Self.loadAverage())
    }

    private struct SteadyState {
        var timings: [String: TimingSummary]
        var losses: [OptimizerKind: Double]
        var loss0: Double
        var ngdSolver: String
        var extremes: (min: Double, max: Double)?
        var peakBytes: Double
        var form: PreactivationForm
        var blockWidth: Int
    }

    /// Losses after one step of each optimizer, then the timings of the forward pass, the Gram and the
    /// steps, each repeat from θ₀ (the reset is untimed); the peak RSS is read before anything else is
    /// allocated, so it is the stepper's (plus the bench's copy of W₀ for the resets).
    private func measureSteadyState(data: Dataset, theta: NetworkParameters, size: BenchmarkSize,
                                    progress: (String) -> Void) throws -> SteadyState {
        let w0 = theta.hiddenWeights, eta = learningRate
        var stepper = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta,
                                            refreshInterval: refreshInterval)
        let loss0 = stepper.loss()
        var losses: [OptimizerKind: Double] = [:]
        var ngdSolver = "none"
        for kind in OptimizerKind.allCases where times("\(kind.rawValue)_step") {
            try stepper.reset(hiddenWeights: w0)
            let report = try stepper.step(kind, learningRate: eta)
            if kind == .ngd { ngdSolver = report.solves.first?.method.rawValue ?? "none" }
            losses[kind] = stepper.loss()
        }
        try stepper.reset(hiddenWeights: w0)
        let extremes: (min: Double, max: Double)? = !times("gram_lambda_min") ? nil : {
            var gram = stepper.gram()   // freed on return: it must not count towards the peak of what follows
            return Matrix.extremeSymmetricEigenvalues(destroying: &gram)
        }()
        // Only the steps that were run are named: a step left out is not a NaN.
        let stepLosses = OptimizerKind.allCases.compactMap { kind in
            losses[kind].map { ", \(kind.displayName) step → \($0)" }
        }.joined()
        progress("\(size): L0 = \(loss0)\(stepLosses); timing (\(stepper.form.rawValue))")

        var timings: [String: TimingSummary] = [:]
        let reset = { try stepper.reset(hiddenWeights: w0) }
        if times("forward") {
            timings["forward"] = try TimingSummary.measure(repeats: repeats, warmups: warmups, prepare: reset) {
                _ = stepper.loss()
            }
        }
        if times("gram") {
            timings["gram"] = try TimingSummary.measure(repeats: repeats, warmups: warmups, prepare: reset) {
                _ = stepper.gram()
            }
        }
        if times("gram_lambda_min") {
            timings["gram_lambda_min"] = try TimingSummary.measure(repeats: repeats, warmups: warmups, prepare: reset) {
                var gram = stepper.gram()
                _ = Matrix.extremeSymmetricEigenvalues(destroying: &gram)
            }
        }
        for kind in [OptimizerKind.ngd, .gd, .kfac] where times("\(kind.rawValue)_step") {
            let key = "\(kind.rawValue)_step"
            timings[key] = try TimingSummary.measure(repeats: repeats, warmups: warmups, prepare: reset) {
                try stepper.step(kind, learningRate: eta)
            }
            progress("\(size): \(kind.rawValue) step \(Self.format(timings[key]?.medianMs)) ms "
                     + "(CPU \(Self.format(timings[key]?.cpuMedianMs)) ms)")
        }
        if stepper.form == .inputGramUpdate && times("z_refresh") {
            timings["z_refresh"] = try TimingSummary.measure(repeats: repeats, warmups: warmups) {
                stepper.recomputePreactivations()
            }
        }
        // The peak is the steps' own: the Gram's parts below hold copies of G that a step never makes.
        let peakBytes = Double(ProcessClock.peakResidentBytes())
        if times("gram") { try measureGramParts(of: &stepper, initialWeights: w0, into: &timings) }
        return SteadyState(timings: timings, losses: losses, loss0: loss0, ngdSolver: ngdSolver, extremes: extremes,
                           peakBytes: peakBytes, form: stepper.form,
                           blockWidth: stepper.blockWidth)
    }

    /// What `gram` is made of, each timed on its own (docs/PERFORMANCE.md, "Where the Gram's time goes"):
    /// `gram_z` Z = XWᵀ from the current W as `gram()` makes it (in tiles on the worker pool, or block by block),
    /// `gram_pattern` that plus packing the signs (and, where the tiles make them, XXᵀ's upper rows), `gram_inputs`
    /// the `dsyrk` of XXᵀ (absent where XXᵀ is held or made in the tiles), `gram_popcount` the counting kernel
    /// with the scaling and mirroring it does in its tiles; and `ngd_solve`, the NGD step's solve of G α = r.
    private func measureGramParts(of stepper: inout StructuredStepper, initialWeights w0: Matrix,
                                  into timings: inout [String: TimingSummary]) throws {
        func reset() throws { try stepper.reset(hiddenWeights: w0) }
        timings["gram_z"] = try TimingSummary.measure(repeats: repeats, warmups: warmups, prepare: reset) {
            stepper.streamPreactivations()
        }
        timings["gram_pattern"] = try TimingSummary.measure(repeats: repeats, warmups: warmups, prepare: reset) {
            var rows = stepper.tiledInputGramStorage()
            _ = stepper.forwardPass(fresh: true, outputs: false, inputGramRows: &rows)
        }
        try reset()
        var tiledRows = stepper.tiledInputGramStorage()
        let pattern = stepper.forwardPass(fresh: true, outputs: false, inputGramRows: &tiledRows).0
        let threads = stepper.kernelThreads
        let source: Matrix
        if let held = stepper.inputGram {
            source = held
        } else if let tiledRows {
            source = tiledRows
        } else {
            let inputs = stepper.inputs
            timings["gram_inputs"] = try TimingSummary.measure(repeats: repeats, warmups: warmups) {
                _ = inputs.upperTriangleOfGram()
            }
            source = inputs.upperTriangleOfGram()
        }
        var g = Matrix(rows: stepper.count, columns: stepper.count)
        timings["gram_popcount"] = try TimingSummary.measure(repeats: repeats, warmups: warmups) {
            pattern.writeScaledGram(into: &g, upperTriangleOf: source, threads: threads)
        }
        let residuals = Matrix(rows: stepper.count, columns: 1, storage: stepper.targets)
            ?? Matrix(rows: stepper.count, columns: 1)
        var factored = g
        let fresh = {   // a copy of its own, made untimed (assigning g would copy on write inside the timing)
            factored = Matrix(rows: g.rows, columns: g.columns, storage: g.storage.withUnsafeBufferPointer { Array($0) }) ?? g
        }
        timings["ngd_solve"] = try TimingSummary.measure(repeats: repeats, warmups: warmups, prepare: fresh) {
            _ = try Matrix.solveSymmetric(overwriting: &factored, residuals, source: "bench solve")
        }
    }

    static func loadAverage() -> Double {
        var loads = [Double](repeating: .nan, count: 3)
        _ = getloadavg(&loads, 3)
        return loads[0]
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    static func format(_ x: Double?) -> String {
        guard let x else { return "—" }
        return String(Int((x * 10).rounded())) .insertingDecimalPoint
    }
}

/// Stand-alone dgemm timings (median ms) with the shapes of the step's GEMMs, on buffers of their own.
enum GEMMTimer {
    static func median(repeats: Int, warmups: Int, _ body: () -> Void) -> Double {
        (try? TimingSummary.measure(repeats: repeats, warmups: warmups, body))?.medianMs ?? .nan
    }

    /// Z = X·Wᵀ in blocks of `blockWidth` units.
    static func forward(inputs: Matrix, weights: Matrix, blockWidth: Int, repeats: Int, warmups: Int) -> Double {
        let n = inputs.rows, d = inputs.columns, m = weights.rows
        var z = [Double](repeating: 0, count: n * Swift.min(blockWidth, m))
        return median(repeats: repeats, warmups: warmups) {
            inputs.storage.withUnsafeBufferPointer { px in
                weights.storage.withUnsafeBufferPointer { pw in
                    z.withUnsafeMutableBufferPointer { pz in
                        var start = 0
                        while start < m {
                            let b = Swift.min(blockWidth, m - start)
                            BLAS.gemm(transposingA: false, transposingB: true, rows: n, columns: b, inner: d,
                                      alpha: 1, a: px.baseAddress, lda: d, b: pw.baseAddress.map { $0 + start * d }, ldb: d,
                                      beta: 0, c: pz.baseAddress, ldc: b)
                            start += b
                        }
                    }
                }
            }
        }
    }

    /// W += Bᵀ·X in blocks (B block n×b).
    static func weightUpdate(inputs: Matrix, width m: Int, blockWidth: Int, repeats: Int, warmups: Int) -> Double {
        let n = inputs.rows, d = inputs.columns, bw = Swift.min(blockWidth, m)
        let b = pseudoRandom(count: n * bw)
        var w = [Double](repeating: 0, count: m * d)
        return median(repeats: repeats, warmups: warmups) {
            b.withUnsafeBufferPointer { pb in
                inputs.storage.withUnsafeBufferPointer { px in
                    w.withUnsafeMutableBufferPointer { pw in
                        var start = 0
                        while start < m {
                            let c = Swift.min(bw, m - start)
                            BLAS.gemm(transposingA: true, transposingB: false, rows: c, columns: d, inner: n,
                                      alpha: 1, a: pb.baseAddress, lda: c, b: px.baseAddress, ldb: d,
                                      beta: 1, c: pw.baseAddress.map { $0 + start * d }, ldc: d)
                            start += c
                        }
                    }
                }
            }
        }
    }

    /// Z += (XXᵀ)·B in blocks of units.
    static func preactivationUpdate(inputs: Matrix, width m: Int, blockWidth: Int, repeats: Int, warmups: Int) -> Double {
        let n = inputs.rows, bw = Swift.min(blockWidth, m)
        let gram = inputs.gram()
        let b = pseudoRandom(count: n * bw)
        var z = [Double](repeating: 0, count: n * m)
        return median(repeats: repeats, warmups: warmups) {
            gram.storage.withUnsafeBufferPointer { pg in
                b.withUnsafeBufferPointer { pb in
                    z.withUnsafeMutableBufferPointer { pz in
                        var start = 0
                        while start < m {
                            let c = Swift.min(bw, m - start)
                            BLAS.gemm(transposingA: false, transposingB: false, rows: n, columns: c, inner: n,
                                      alpha: 1, a: pg.baseAddress, lda: n, b: pb.baseAddress, ldb: c,
                                      beta: 1, c: pz.baseAddress.map { $0 + start }, ldc: m)
                            start += c
                        }
                    }
                }
            }
        }
    }

    /// An s×s×s dgemm.
    static func square(size s: Int, repeats: Int, warmups: Int) -> Double {
        let a = pseudoRandom(count: s * s), b = pseudoRandom(count: s * s)
        var c = [Double](repeating: 0, count: s * s)
        return median(repeats: repeats, warmups: warmups) {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        BLAS.gemm(transposingA: false, transposingB: false, rows: s, columns: s, inner: s,
                                  alpha: 1, a: pa.baseAddress, lda: s, b: pb.baseAddress, ldb: s,
                                  beta: 0, c: pc.baseAddress, ldc: s)
                    }
                }
            }
        }
    }

    static func pseudoRandom(count: Int) -> [Double] {
        var rng = Xoshiro256StarStar(seed: 12345)
        return (0..<count).map { _ in rng.nextNormal() }
    }
}

extension String {
    var replacingSpaces: String { String(filter { $0 != " " }) }

    /// "1234" → "123.4" (one decimal from tenths).
    var insertingDecimalPoint: String {
        let negative = hasPrefix("-")
        var digits = negative ? String(dropFirst()) : self
        while digits.count < 2 { digits = "0" + digits }
        return (negative ? "-" : "") + String(digits.dropLast()) + "." + String(digits.suffix(1))
    }
}
