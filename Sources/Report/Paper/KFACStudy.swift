import Foundation
import NGD

/// Claim 14 (Zhang et al. §5, docs/CLAIMS.md): undamped K-FAC with summed factors A = XᵀX, S = G_mG_mᵀ acts in output space as
/// J(A⊗S)⁺Jᵀ = diag(h_i), the leverage scores h_i = x_iᵀ(XᵀX)⁺x_i. So each example's residual contracts by
/// 1 − ηh_i; the worst mode by ≤ 1 − η/λ_max(XᵀX); with n ≤ d every h_i = 1 and K-FAC equals NGD in output space;
/// and K-FAC's rate follows the input conditioning κ(XᵀX), not λ₀.
public struct KFACStudy: MeasuredStudy {
    public struct Sizes: Sendable {
        /// The operator checks: n > d and n ≤ d data, at `operatorWidth`.
        public var operatorWidth: Int
        public var tallShape: (count: Int, dimension: Int)
        public var wideShape: (count: Int, dimension: Int)
        /// The per-example contraction run (n = tallShape).
        public var width: Int
        /// The κ(XᵀX) sweep's width.
        public var sweepWidth: Int
        /// The λ₀ sweep's widths, narrow to wide: the claim is checked at the widest, the narrower ones show K-FAC's
        /// finite-width requirement, which grows as the near-duplicate twins approach each other.
        public var lambdaWidths: [Int]
        /// Shape of the κ(XᵀX) sweep's data (n ≫ d so that isotropic inputs are well conditioned).
        public var sweepShape: (count: Int, dimension: Int)
        public var learningRate: Double
        public var contractionSteps: Int
        /// Ratios s_max/s_min of the input covariance diag(s), s geometric (before unit-normalising x).
        public var anisotropies: [Double]
        public var epsilons: [Double]
        public var tolerance: Double
        /// K-FAC runs at most min(stepCap, ⌈budgetFactor × the leverage prediction⌉ + 10) steps, stopping at the tolerance.
        public var budgetFactor: Double
        public var stepCap: Int
        public var dataSeed: UInt64
        public var initSeed: UInt64

        public init(operatorWidth: Int = 1500, tallShape: (count: Int, dimension: Int) = (20, 10),
                    wideShape: (count: Int, dimension: Int) = (8, 20), width: Int, sweepWidth: Int, lambdaWidths: [Int],
                    sweepShape: (count: Int, dimension: Int) = (40, 10), learningRate: Double = 0.5,
                    contractionSteps: Int = 6, anisotropies: [Double] = [1, 1e2, 1e4, 1e6],
                    epsilons: [Double] = [0.4, 0.2, 0.1], tolerance: Double = 1e-3, budgetFactor: Double = 2.5,
                    stepCap: Int,
                    dataSeed: UInt64 = 0, initSeed: UInt64 = 0) {
            self.operatorWidth = operatorWidth
            self.tallShape = tallShape
            self.wideShape = wideShape
            self.width = width
            self.sweepWidth = sweepWidth
            self.lambdaWidths = lambdaWidths
            self.sweepShape = sweepShape
            self.learningRate = learningRate
            self.contractionSteps = contractionSteps
            self.anisotropies = anisotropies
            self.epsilons = epsilons
            self.tolerance = tolerance
            self.budgetFactor = budgetFactor
            self.stepCap = stepCap
            self.dataSeed = dataSeed
            self.initSeed = initSeed
        }

        /// At ε = 0.1 K-FAC stalls at m = 4000 and 64000 and converges at the leverage rate from m ≈ 128000; the
        /// needed width grows roughly like ε⁻⁴ (the weight change on the units separating the twins, ∝ 1/(ε√m), must
        /// stay below their margin, ∝ ε).
        public static let full = Sizes(width: 10_000, sweepWidth: 4000, lambdaWidths: [4000, 128_000],
                                       anisotropies: [1, 30, 1e3], epsilons: [0.8, 0.4, 0.2, 0.1], stepCap: 800)
        public static let quick = Sizes(width: 2000, sweepWidth: 1500, lambdaWidths: [1500, 128_000], anisotropies: [1, 1e3],
                                        epsilons: [0.4, 0.1], stepCap: 400)
    }

    /// One point of a sweep (κ or λ₀): its x-value and width, the K-FAC and NGD steps, and the leverage prediction.
    public struct SweepPoint: Sendable {
        public var parameter: Double
        public var width: Int
        public var inputConditioning: Double
        public var lambda0: Double
        public var minimumLeverage: Double
        public var kfacSteps: Int?
        /// The steps K-FAC was given.
        public var kfacBudget: Int
        /// K-FAC steps whose solve with G_mᵀG_m fell back to a pseudo-inverse (the factor became singular).
        public var kfacFallbacks: Int
        /// λ₀ sweep: hidden units whose activation differs between the twins x₀ and x₁, at init and after K-FAC.
        public var twinSeparatingUnits: (initial: Int, final: Int)?
        public var ngdSteps: Int?
        /// The steps NGD was given.
        public var ngdBudget: Int
        /// log(tol)/log(1 − η·min h).
        public var kfacPredicted: Double
    }

    /// What the study measured, before it became claims.
    public struct Measurements: Sendable {
        /// max |J(A⊗S)⁺Jᵀ − diag(h)| for n > d, and max |J(A⊗S)⁺Jᵀ − I| for n ≤ d.
        public var operatorError: Double
        public var wideOperatorError: Double
        public var leverage: [Double]
        /// Per example: fitted contraction factor over the first steps, and the prediction 1 − ηh_i.
        public var contraction: [Double]
        public var predictedContraction: [Double]
        public var inputGramMax: Double
        public var learningRate: Double
        public var conditioning: [SweepPoint]
        public var lambdaSweep: [SweepPoint]
        public var tolerance: Double
        /// The sweeps' K-FAC budget: this many times the leverage prediction, + 10 steps.
        public var budgetFactor: Double = Sizes.full.budgetFactor
        /// The sizes the study ran at, and whether they were the quick ones (claims then note what they need).
        public var sizes: Sizes = .full
        public var quick = false
    }

    public var sizes: Sizes?
    public init(sizes: Sizes? = nil) { self.sizes = sizes }
    public var id: String { "kfac" }

    public func measure(in context: StudyContext) throws -> Measurements {
        let s = sizes ?? context.settings.size(full: .full, quick: .quick)
        let tall = try context.dataset(DatasetRequest(kind: .synthetic, count: s.tallShape.count,
                                                      dimension: s.tallShape.dimension, seed: s.dataSeed))
        let wide = try context.dataset(DatasetRequest(kind: .synthetic, count: s.wideShape.count,
                                                      dimension: s.wideShape.dimension, seed: s.dataSeed))
        let leverage = try KFAC.leverageScores(of: tall.inputs)
        let operatorTall = try Self.outputOperator(on: tall, width: s.operatorWidth, seed: s.initSeed)
        let operatorWide = try Self.outputOperator(on: wide, width: s.operatorWidth, seed: s.initSeed)
        let tallError = Self.maxDeviation(operatorTall, fromDiagonal: leverage)
        let wideError = Self.maxDeviation(operatorWide, fromDiagonal: [Double](repeating: 1, count: wide.count))

        // Per-example contraction on the network.
        let request = DatasetRequest(kind: .synthetic, count: s.tallShape.count, dimension: s.tallShape.dimension,
                                     seed: s.dataSeed)
        let config = TrainingConfig(width: s.width, seed: s.initSeed, optimizer: .kfac,
                                    learningRate: .fixed(s.learningRate), steps: s.contractionSteps,
                                    recordOutputs: true)
        let run = try context.train(config, on: request, label: "K-FAC per-example contraction")
        let residuals = PaperAnalysis.residuals(run, targets: tall.targets)
        let contraction = (0..<tall.count).map { i in
            Fitting.geometricFactor(residuals.map { $0[i] }) ?? .nan
        }
        let inputSpectrum = tall.inputs.gram(transposing: true).symmetricEigenvalues() ?? []
        return Measurements(operatorError: tallError, wideOperatorError: wideError, leverage: leverage,
                            contraction: contraction, predictedContraction: leverage.map { 1 - s.learningRate * $0 },
                            inputGramMax: inputSpectrum.last ?? .nan, learningRate: s.learningRate,
                            conditioning: try conditioningSweep(s, in: context),
                            lambdaSweep: try lambdaSweep(s, in: context), tolerance: s.tolerance,
                            budgetFactor: s.budgetFactor, sizes: s, quick: context.settings.quick)
    }

    /// K-FAC and NGD on anisotropic inputs of growing κ(XᵀX).
    private func conditioningSweep(_ s: Sizes, in context: StudyContext) throws -> [SweepPoint] {
        try s.anisotropies.map { ratio in
            let data = Self.anisotropicData(count: s.sweepShape.count, dimension: s.sweepShape.dimension, ratio: ratio,
                                            seed: s.dataSeed)
            let identity = "anisotropic(n=\(data.count),d=\(data.dimension),ratio=\(ratio),seed=\(s.dataSeed),v1)"
            return try sweepPoint(parameter: ratio, data: data, width: s.sweepWidth, sizes: s,
                                  context: context) { config, label in
                try context.train(config, on: data, identity: identity, label: label)
            }
        }
    }

    /// K-FAC and NGD on near-duplicate pairs of shrinking angle ε (so shrinking λ₀), at each of the sweep's widths.
    private func lambdaSweep(_ s: Sizes, in context: StudyContext) throws -> [SweepPoint] {
        var points: [SweepPoint] = []
        for width in s.lambdaWidths {
            for epsilon in s.epsilons {
                let request = DatasetRequest(kind: .lambda0, count: s.tallShape.count, dimension: s.tallShape.dimension,
                                             seed: s.dataSeed, epsilon: epsilon, pairs: 1)
                let data = try context.dataset(request)
                points.append(try sweepPoint(parameter: epsilon, data: data, width: width, sizes: s, context: context,
                                             twins: true) { config, label in
                    try context.train(config, on: request, label: label)
                })
            }
        }
        return points
    }

    public func evaluate(_ m: Measurements) -> [ClaimOutcome] { Self.evaluate(m, quick: m.quick) }

    public func write(_ m: Measurements) -> StudyOutcome {
        let s = m.sizes
        var outcome = StudyOutcome(id: id, title: "K-FAC: per-example rates set by leverage scores and κ(XᵀX)",
                                   blocks: blocks(s, m), settings: settings(s))
        let stalled = m.lambdaSweep.filter { $0.kfacSteps == nil }
        outcome.caveats = [
            "K-FAC is undamped with pseudo-inverse factors (our reading of the theory); summed factors A = XᵀX, "
                + "S = G_mG_mᵀ.",
        ]
        if !stalled.isEmpty {
            let widest = s.lambdaWidths.max()
            outcome.caveats.insert("K-FAC's width requirement grows as λ₀ falls: on near-duplicate pairs it stalled at "
                + stalled.map { p in
                    "ε = \(formatMeasure(p.parameter)), m = \(p.width) (units separating the twins "
                        + (p.twinSeparatingUnits.map { "\($0.initial) → \($0.final)" } ?? "n/a") + ")"
                }.joined(separator: "; ")
                + ". The λ₀ claim is checked at the widest width, m = \(widest ?? 0)"
                + (stalled.contains { $0.width == widest } ? ", where K-FAC still stalls." : ", where no pair stalls."),
                at: 0)
        }
        return outcome
    }

    /// NGD's step budget in the sweeps (it needs log(tol)/log(1 − η) ≈ 10 at tol = 10⁻³, η = 0.5).
    static let ngdBudget = 60

    private func sweepPoint(parameter: Double, data: Dataset, width: Int, sizes s: Sizes, context: StudyContext,
                            twins: Bool = false,
                            train: (TrainingConfig, String) throws -> TrainingRun) throws -> SweepPoint {
        let spectrum = data.inputs.gram(transposing: true).symmetricEigenvalues() ?? []
        let leverage = try KFAC.leverageScores(of: data.inputs)
        let minH = leverage.min() ?? .nan
        let predicted = PaperAnalysis.predictedSteps(factor: 1 - s.learningRate * minH, tolerance: s.tolerance)
        let budget = min(s.stepCap, Int((s.budgetFactor * predicted).rounded(.up)) + 10)
        let kfac = try train(TrainingConfig(width: width, seed: s.initSeed, optimizer: .kfac, learningRate: .fixed(s.learningRate),
                                            steps: budget, stopTolerance: s.tolerance, recordWeights: twins),
                             "K-FAC sweep: \(data.name), m = \(width), ≤ \(budget) steps")
        let ngd = try train(TrainingConfig(width: width, seed: s.initSeed, optimizer: .ngd, learningRate: .fixed(s.learningRate),
                                           steps: Self.ngdBudget, stopTolerance: s.tolerance),
                            "NGD sweep: \(data.name), m = \(width)")
        return SweepPoint(parameter: parameter, width: width,
                          inputConditioning: (spectrum.last ?? .nan) / (spectrum.first ?? .nan),
                          lambda0: kfac.summary.lambda0, minimumLeverage: minH,
                          kfacSteps: PaperAnalysis.stepsToReach(kfac, relativeTolerance: s.tolerance), kfacBudget: budget,
                          kfacFallbacks: kfac.summary.solverFallbacks,
                          twinSeparatingUnits: twins ? Self.separatingUnits(kfac, data: data) : nil,
                          ngdSteps: PaperAnalysis.stepsToReach(ngd, relativeTolerance: s.tolerance),
                          ngdBudget: Self.ngdBudget, kfacPredicted: predicted)
    }

    // MARK: Measurements

    /// J(A⊗S)⁺Jᵀ at initialisation, column by column: the linearised output change of one undamped K-FAC step
    /// (η = 1) taken on the unit residual direction e_i is −J(A⊗S)⁺Jᵀe_i.
    public static func outputOperator(on dataset: Dataset, width: Int, seed: UInt64) throws -> Matrix {
        let model = TwoLayerReLU(inputDimension: dataset.dimension, width: width, outputs: 1)
        let theta = model.initialParameters(initScale: 1, seed: seed)
        let jacobian = model.jacobian(on: dataset.inputs, parameters: theta)
        let inputGram = dataset.inputs.gram()
        let patternGram = jacobian.patternGram()
        let gram = jacobian.gram(inputGram: inputGram, patternGram: patternGram)
        let n = dataset.count
        var result = Matrix(rows: n, columns: n)
        for i in 0..<n {
            var direction = Matrix(rows: n, columns: 1)
            direction[i, 0] = 1
            let state = OptimizationState(parameters: theta, jacobian: jacobian, inputGram: inputGram,
                                          patternGram: patternGram, gram: gram, outputGradient: direction)
            let update = try KFAC(learningRate: 1).update(for: state)
            let change = jacobian.applied(to: update.delta)
            for j in 0..<n { result[j, i] = -change[j, 0] }
        }
        return result
    }

    /// Units r with 1{w_rᵀx₀ ≥ 0} ≠ 1{w_rᵀx₁ ≥ 0} (rows 0 and 1 are the first near-duplicate pair of a lambda0
    /// set) at initialisation and at the run's final weights; nil without recorded weights.
    static func separatingUnits(_ run: TrainingRun, data: Dataset) -> (initial: Int, final: Int)? {
        guard let final = run.summary.finalParameters, data.count >= 2 else { return nil }
        let model = TwoLayerReLU(inputDimension: data.dimension, width: run.config.width, outputs: 1)
        let pair = data.inputs.selectingRows([0, 1])
        func count(_ parameters: NetworkParameters) -> Int {
            let z = model.preactivations(of: pair, parameters: parameters)
            return (0..<z.columns).filter { (z[0, $0] >= 0) != (z[1, $0] >= 0) }.count
        }
        return (count(model.initialParameters(initScale: run.config.initScale, seed: run.config.seed)), count(final))
    }

    static func maxDeviation(_ matrix: Matrix, fromDiagonal diagonal: [Double]) -> Double {
        var worst = 0.0
        for i in 0..<matrix.rows {
            for j in 0..<matrix.columns {
                worst = max(worst, abs(matrix[i, j] - (i == j ? diagonal[i] : 0)))
            }
        }
        return worst
    }

    /// n inputs x = normalise(√s ∘ z), z ~ N(0, I_d), with s_j = ratio^(−j/(d−1)) (so s_max/s_min = ratio), and
    /// targets y ~ N(0, 1): anisotropic inputs whose κ(XᵀX) grows with `ratio`. One `Xoshiro256StarStar(seed:)`
    /// stream, X row by row, then y.
    public static func anisotropicData(count n: Int, dimension d: Int, ratio: Double, seed: UInt64) -> Dataset {
        var rng = Xoshiro256StarStar(seed: seed)
        let scales = (0..<d).map { j in pow(ratio, -Double(j) / Double(max(d - 1, 1))).squareRoot() }
        let x = Matrix.unitRows(count: n, dimension: d, scales: scales, using: &rng)
        var y = Matrix(rows: n, columns: 1)
        for i in 0..<n { y[i, 0] = rng.nextNormal() }
        return Dataset(name: "anisotropic (n=\(n), d=\(d), s_max/s_min=\(formatMeasure(ratio)))", inputs: x, targets: y)
    }

    // MARK: Claims

    public static func evaluate(_ m: Measurements, quick: Bool) -> [ClaimOutcome] {
        let source = "Zhang et al. §5 (K-FAC in output space); docs/CLAIMS.md claim 14"
        let operatorClaim = Claim.atMost(
            id: "14-operator", statement: "K-FAC's output-space operator J(A⊗S)⁺Jᵀ equals diag(h_i), h_i the leverage "
                + "scores x_iᵀ(XᵀX)⁻¹x_i (n > d)",
            source: source, expression: "max_ij |J(A⊗S)⁺Jᵀ − diag(h)|", measured: m.operatorError, bound: 1e-10,
            tolerance: 0, detail: "h ∈ [\(formatMeasure(m.leverage.min() ?? .nan)), "
                + "\(formatMeasure(m.leverage.max() ?? .nan))], "
                + "Σh = \(formatMeasure(m.leverage.reduce(0, +))) (= d).")
        let wideClaim = Claim.atMost(
            id: "14-ngd-equivalence", statement: "With n ≤ d, K-FAC equals NGD in output space: J(A⊗S)⁺Jᵀ = I",
            source: source, expression: "max_ij |J(A⊗S)⁺Jᵀ − I|", measured: m.wideOperatorError, bound: 1e-10,
            tolerance: 0, detail: "Exact pseudo-inverses; the error is rounding.")

        let pairs = zip(m.contraction, m.predictedContraction).filter { $0.0.isFinite }
        let deviation = pairs.map { abs($0.0 - $0.1) }.max() ?? .nan
        var contractionClaim = Claim.atMost(
            id: "14-per-example", statement: "Each example's residual contracts by 1 − ηh_i per K-FAC step",
            source: source, expression: "max_i |fitted factor_i − (1 − ηh_i)|", measured: deviation, bound: 0.02,
            tolerance: 0, detail: "η = \(formatMeasure(m.learningRate)); fitted \(formatMeasures(m.contraction)) vs "
                + "predicted "
                + "\(formatMeasures(m.predictedContraction)).")
        if pairs.count < m.contraction.count {
            contractionClaim.passed = false
            contractionClaim.detail += " \(m.contraction.count - pairs.count) example(s) could not be fitted."
        }
        contractionClaim = Claim.noteQuickSize(contractionClaim, quick: quick, needs: "m = \(Sizes.full.width)")

        let worst = m.contraction.filter(\.isFinite).max() ?? .nan
        let bound = 1 - m.learningRate / m.inputGramMax
        let worstClaim = Claim.atMost(
            id: "14-worst-mode", statement: "K-FAC's worst per-example factor is at most 1 − η/λ_max(XᵀX)",
            source: source, expression: "max_i fitted factor_i", measured: worst, bound: bound,
            tolerance: 0, detail: "λ_max(XᵀX) = \(formatMeasure(m.inputGramMax)); linear theory's worst mode 1 − η·min "
                + "h = "
                + "\(formatMeasure(1 - m.learningRate * (m.leverage.min() ?? .nan))).")
        return [operatorClaim, wideClaim, contractionClaim, worstClaim] + sweepClaims(m, quick: quick)
    }

    /// The claims of the κ(XᵀX) and λ₀ sweeps.
    static func sweepClaims(_ m: Measurements, quick: Bool) -> [ClaimOutcome] {
        let source = "Zhang et al. §5 (K-FAC in output space); docs/CLAIMS.md claim 14"

        // κ sweep: K-FAC slows with κ(XᵀX) (steps at the largest κ ≥ 2× those at the smallest), NGD does not.
        let c = m.conditioning.sorted { $0.inputConditioning < $1.inputConditioning }
        // A censored run counts with its budget: a lower bound, so the ratio is a lower bound when the last is censored.
        let kfacFirst = c.first.map { Double($0.kfacSteps ?? $0.kfacBudget) } ?? .nan
        let kfacLast = c.last.map { Double($0.kfacSteps ?? $0.kfacBudget) } ?? .nan
        // NGD runs that did not reach the tolerance count with their budget (a lower bound).
        let ngdSteps = c.map { Double($0.ngdSteps ?? $0.ngdBudget) }
        let ngdSpread = ngdSteps.isEmpty ? .nan : (ngdSteps.max() ?? .nan) / (ngdSteps.min() ?? .nan)
        let sweepText = c.map { p in
            "κ(XᵀX)=\(formatMeasure(p.inputConditioning)): min h=\(formatMeasure(p.minimumLeverage)), K-FAC "
                + "\(p.kfacSteps.map(String.init) ?? "> \(p.kfacBudget)") (predicted "
                    + "\(formatMeasure(p.kfacPredicted))), "
                + "NGD \(p.ngdSteps.map(String.init) ?? "n/a")"
        }.joined(separator: "; ")
        let predictedRatio = (c.last?.kfacPredicted ?? .nan) / (c.first?.kfacPredicted ?? .nan)
        let kappaClaim = Claim.atLeast(
            id: "14-kappa", statement: "K-FAC slows as the input conditioning κ(XᵀX) grows, at least by the factor its "
                + "slowest example predicts (1 − η·min h_i per step)",
            source: source, expression: "K-FAC steps at the largest κ / at the smallest κ",
            measured: kfacLast / kfacFirst, bound: predictedRatio,
            tolerance: 0, detail: "Steps to ‖r‖ ≤ \(formatMeasure(m.tolerance))·‖r₀‖: \(sweepText). A run that did not "
                + "reach the "
                + "tolerance counts with its budget (a lower bound).")
        var ngdFlat = Claim.atMost(
            id: "14-ngd-kappa", statement: "NGD's steps do not depend on κ(XᵀX)",
            source: "Zhang et al. (output-space updates); docs/CLAIMS.md claim 14", expression: "max/min of NGD steps "
                + "over the κ sweep",
            measured: ngdSpread, bound: 1.2, tolerance: 0, detail: "NGD steps \(ngdSteps.map { String(Int($0)) }.joined(separator: ", ")).")
        ngdFlat = Claim.noteQuickSize(ngdFlat, quick: quick, needs: "m = \(Sizes.full.sweepWidth)")

        // λ₀ sweep, checked at the widest width: K-FAC's steps follow its leverage prediction, not λ₀.
        let widest = m.lambdaSweep.map(\.width).max()
        let l = m.lambdaSweep.filter { $0.width == widest }
        // A run that did not reach the tolerance enters the fit with its budget (a lower bound) and fails the claim.
        let reached = l.filter { $0.kfacSteps != nil }
        let slope = Fitting.logLogSlope(x: l.map { 1 / $0.lambda0 }, y: l.map { Double($0.kfacSteps ?? $0.kfacBudget) })
        let narrower = m.lambdaSweep.filter { $0.width != widest }
        var lambdaClaim = Claim.approximately(
            id: "14-lambda0", statement: "K-FAC's steps do not depend on λ₀ (log-log slope of steps against 1/λ₀ ≈ 0), "
                + "at a width where K-FAC is in its linear regime for every pair",
            source: source, expression: "slope of log(K-FAC steps) on log(1/λ₀) at m = \(widest.map(String.init) ?? "—")",
            measured: slope?.slope ?? .nan, predicted: 0, tolerance: 0.15,
            detail: "m = \(widest.map(String.init) ?? "—"): " + lambdaSweepText(l)
                + (narrower.isEmpty ? "" : ". Finite-width effect, not part of the "
                    + "check: " + Dictionary(grouping: narrower, by: \.width)
                    .sorted { $0.key < $1.key }.map { "m = "
                        + "\($0.key): " + lambdaSweepText($0.value) }.joined(separator: "; ")
                    + ". A run stalls when K-FAC moves the units that separate the twins past them: G_mᵀG_m turns "
                    + "(nearly) singular and the twins' different targets can no longer be fitted; the width this "
                        + "needs "
                    + "grows as the twins approach (roughly ε⁻⁴)") + ".")
        if reached.count < l.count || reached.count < 2 {
            lambdaClaim.passed = false
            lambdaClaim.detail += " \(l.count - reached.count) run(s) at the widest width did not reach the tolerance "
                + "within "
                + "their budget (\(formatMeasure(m.budgetFactor))× the leverage prediction + 10), so here the "
                + "steps do depend on λ₀."
        }
        return [kappaClaim, ngdFlat, lambdaClaim]
    }

    /// "ε=0.4: λ₀=…, min h=…, K-FAC 31 (predicted …, …)" for each point of a λ₀ sweep at one width.
    private static func lambdaSweepText(_ points: [SweepPoint]) -> String {
        points.map { p in
            "ε=\(formatMeasure(p.parameter)): λ₀=\(formatMeasure(p.lambda0)), min "
                + "h=\(formatMeasure(p.minimumLeverage)), "
                + "K-FAC \(p.kfacSteps.map(String.init) ?? "> \(p.kfacBudget)") (predicted "
                    + "\(formatMeasure(p.kfacPredicted))"
                + "\(p.kfacFallbacks > 0 ? ", pseudo-inverse fallback at \(p.kfacFallbacks) steps" : "")"
                + "\(p.twinSeparatingUnits.map { ", units separating the twins \($0.initial) → \($0.final)" } ?? ""))"
        }.joined(separator: "; ")
    }

    // MARK: Report blocks

    private func blocks(_ s: Sizes, _ m: Measurements) -> [StudyBlock] {
        let contractionFigure = PaperAnalysis.figure(
            id: "kfac-per-example", title: "K-FAC's per-example contraction against its leverage score",
            caption: "Per-example residual factor of undamped K-FAC (η = \(formatMeasure(s.learningRate)), fitted over "
                + "\(s.contractionSteps) steps) on n = \(s.tallShape.count) unit points in R^\(s.tallShape.dimension), "
                + "m = \(s.width), ν = 1, against h_i = x_iᵀ(XᵀX)⁻¹x_i. Dashed: 1 − ηh_i, and the paper's worst-mode "
                + "bound 1 − η/λ_max(XᵀX).",
            x: "leverage score h_i", y: "per-step factor", series: [
                PaperAnalysis.measured("K-FAC (network)", x: m.leverage, y: m.contraction, style: .points),
                PaperAnalysis.theory("1 − ηh", x: [0, 1], y: [1, 1 - s.learningRate]),
                PaperAnalysis.theory("1 − η/λ_max(XᵀX)", x: [0, 1],
                                     y: [1 - s.learningRate / m.inputGramMax, 1 - s.learningRate / m.inputGramMax]),
            ], kind: .spectrum)
        let kappaFigure = Self.kappaFigure(s, m)
        let lambdaFigure = Self.lambdaFigure(s, m)
        let kappaTable = PaperAnalysis.table(
            caption: "K-FAC and NGD steps to ‖r‖ ≤ \(formatMeasure(s.tolerance))·‖r₀‖ in the κ(XᵀX) sweep "
                + "(m = \(s.sweepWidth)).",
            header: ["s_max/s_min", "κ(XᵀX)", "λ₀", "min h", "K-FAC steps", "K-FAC predicted", "NGD steps"],
            rows: m.conditioning.map { p in
                [formatMeasure(p.parameter), formatMeasure(p.inputConditioning)] + Self.stepCells(p)
            })
        let lambdaTable = PaperAnalysis.table(
            caption: "K-FAC and NGD steps to ‖r‖ ≤ \(formatMeasure(s.tolerance))·‖r₀‖ in the λ₀ sweep (one "
                + "near-duplicate pair at angle ε), at each width m.",
            header: ["ε", "m", "λ₀", "min h", "K-FAC steps", "K-FAC predicted", "NGD steps"],
            rows: m.lambdaSweep.map { p in [formatMeasure(p.parameter), String(p.width)] + Self.stepCells(p) })
        return [
            .paragraph("With the summed factors A = XᵀX and S = G_mG_mᵀ and pseudo-inverses, K-FAC's output-space "
                + "operator "
                + "is (X(XᵀX)⁻¹Xᵀ) ∘ (G_mᵀ(G_mG_mᵀ)⁺G_m) = P_X ∘ I = diag(h): we measure it column by column through "
                + "the linearised output change of one K-FAC step on each unit residual direction. Measured error: "
                + "\(formatMeasure(m.operatorError)) (n = \(s.tallShape.count) > d = \(s.tallShape.dimension)) and, "
                + "against the identity, \(formatMeasure(m.wideOperatorError)) (n = \(s.wideShape.count) ≤ d = "
                + "\(s.wideShape.dimension): K-FAC is exactly NGD in output space)."),
            .figure(contractionFigure),
            .paragraph("Every example contracts at its own rate 1 − ηh_i, so K-FAC's slowest example is the one with "
                + "the smallest leverage — an input lying in a direction crowded with other inputs. Making the "
                + "inputs anisotropic raises κ(XᵀX), lowers min h and slows K-FAC; NGD's uniform 1 − η is unaffected. "
                + "λ₀, in contrast, does not enter K-FAC's linear-theory rate: a near-duplicate pair splits one "
                + "leverage score between its twins but leaves min h nearly unchanged as ε shrinks."),
            .figure(kappaFigure),
            .table(kappaTable),
            .figure(lambdaFigure),
            .paragraph("Finite-width effect. The diag(h) operator needs G_m, the matrix of the examples' "
                + "back-propagated activation patterns, to have full column rank. Near-duplicate twins differ only in "
                + "the units whose hyperplane passes between them (a fraction ≈ ε/π); to fit the twins' different "
                + "targets K-FAC moves just those units, by an amount ∝ 1/(ε√m), while their margin is ∝ ε. When the "
                + "move exceeds the margin the units flip, the twins end up with (almost) the same pattern, G_mᵀG_m "
                + "turns nearly singular and the run stalls — unlike NGD, whose Gram matrix keeps the input factor "
                + "x_iᵀx_j inside the Hadamard product. So K-FAC's width requirement grows roughly like ε⁻⁴ as λ₀ (∝ ε "
                + "here) falls. Units separating the twins, initialisation → end of the K-FAC run: "
                + m.lambdaSweep.map { p in
                    "ε = \(formatMeasure(p.parameter)), m = \(p.width): "
                        + (p.twinSeparatingUnits.map { "\($0.initial) → \($0.final)" } ?? "n/a")
                        + (p.kfacSteps == nil ? " (stalled)" : "")
                }.joined(separator: "; ")
                + ". The λ₀ claim is checked at the widest width, m = \(s.lambdaWidths.max() ?? 0)."),
            .table(lambdaTable),
        ]
    }

    /// K-FAC's and NGD's steps against the input conditioning, with their linear-theory predictions.
    private static func kappaFigure(_ s: Sizes, _ m: Measurements) -> FigureData {
        let c = m.conditioning
        let reachedK = c.filter { $0.kfacSteps != nil }
        let ngdPredicted = PaperAnalysis.predictedSteps(factor: 1 - s.learningRate, tolerance: s.tolerance)
        return PaperAnalysis.figure(
            id: "kfac-kappa", title: "Steps against the input conditioning κ(XᵀX)",
            caption: "Steps to ‖r‖ ≤ \(formatMeasure(s.tolerance))·‖r₀‖ for K-FAC and NGD (both η = "
                + "\(formatMeasure(s.learningRate))) on anisotropic inputs x = normalise(√s ∘ z), s geometric with "
                + "s_max/s_min ∈ {\(formatMeasures(s.anisotropies))}, n = \(s.sweepShape.count), d = "
                + "\(s.sweepShape.dimension), m = \(s.sweepWidth). Dashed: K-FAC's leverage prediction "
                + "log(tol)/log(1 − η·min h) and NGD's log(tol)/log(1 − η). K-FAC runs get "
                + "\(formatMeasure(s.budgetFactor))× the prediction + 10 steps (≤ \(s.stepCap)).",
            x: "κ(XᵀX)", xScale: .log10, y: "steps", yScale: .log10, series: [
                PaperAnalysis.measured("K-FAC", x: reachedK.map(\.inputConditioning),
                                       y: reachedK.map { Double($0.kfacSteps ?? 0) }, style: .points),
                PaperAnalysis.theory("K-FAC predicted", x: c.map(\.inputConditioning), y: c.map(\.kfacPredicted)),
                PaperAnalysis.measured("NGD", x: c.filter { $0.ngdSteps != nil }.map(\.inputConditioning),
                                       y: c.compactMap { $0.ngdSteps.map(Double.init) }, style: .points),
                PaperAnalysis.theory("NGD predicted", x: c.map(\.inputConditioning), y: c.map { _ in ngdPredicted }),
            ])
    }

    /// λ₀, min h, K-FAC steps (or "> budget"), the leverage prediction and NGD steps of one sweep point.
    private static func stepCells(_ p: SweepPoint) -> [String] {
        [formatMeasure(p.lambda0), formatMeasure(p.minimumLeverage),
         p.kfacSteps.map(String.init) ?? "> \(p.kfacBudget)", formatMeasure(p.kfacPredicted),
         p.ngdSteps.map(String.init) ?? "> \(p.ngdBudget)"]
    }

    /// Steps against λ₀ for K-FAC at each width (runs that stalled drawn at their budget) and NGD at the widest.
    private static func lambdaFigure(_ s: Sizes, _ m: Measurements) -> FigureData {
        let widest = s.lambdaWidths.max() ?? 0
        var series: [FigureData.Series] = []
        for width in s.lambdaWidths.sorted(by: >) {
            let points = m.lambdaSweep.filter { $0.width == width }
            let reached = points.filter { $0.kfacSteps != nil }
            let stalled = points.filter { $0.kfacSteps == nil }
            if !reached.isEmpty {
                series.append(PaperAnalysis.measured("K-FAC, m = \(width)", x: reached.map(\.lambda0),
                                                     y: reached.map { Double($0.kfacSteps ?? 0) }, style: .points))
            }
            if !stalled.isEmpty {
                series.append(PaperAnalysis.measured("K-FAC, m = \(width): stalled (budget)", x: stalled.map(\.lambda0),
                                                     y: stalled.map { Double($0.kfacBudget) }, style: .star))
            }
        }
        let wide = m.lambdaSweep.filter { $0.width == widest }
        series.append(PaperAnalysis.theory("K-FAC predicted", x: wide.map(\.lambda0), y: wide.map(\.kfacPredicted)))
        let ngd = wide.filter { $0.ngdSteps != nil }
        series.append(PaperAnalysis.measured("NGD, m = "
            + "\(widest)", x: ngd.map(\.lambda0), y: ngd.map { Double($0.ngdSteps ?? 0) },
                                             style: .points))
        series.append(PaperAnalysis.theory("NGD predicted", x: wide.map(\.lambda0), y: wide.map { _ in
            PaperAnalysis.predictedSteps(factor: 1 - s.learningRate, tolerance: s.tolerance)
        }))
        return PaperAnalysis.figure(
            id: "kfac-lambda0", title: "K-FAC's steps against λ₀, at two widths",
            caption: "Steps to ‖r‖ ≤ \(formatMeasure(s.tolerance))·‖r₀‖ for K-FAC and NGD (η = "
                + "\(formatMeasure(s.learningRate))) on n = \(s.tallShape.count) unit points in "
                    + "R^\(s.tallShape.dimension) "
                + "with one near-duplicate pair at angle ε ∈ {\(formatMeasures(s.epsilons))}, m ∈ "
                + "{\(s.lambdaWidths.map(String.init).joined(separator: ", "))}. At the widest width K-FAC follows its "
                + "leverage prediction log(tol)/log(1 − η·min h) whatever λ₀; a run that stalls (drawn at its step "
                    + "budget) "
                + "shows the width K-FAC needs growing as λ₀ falls.",
            x: "λ₀ = λ_min(H^∞)", xScale: .log10, y: "steps", yScale: .log10, series: series)
    }

    private func settings(_ s: Sizes) -> [(String, String)] {
        [
            ("operator check", "synthetic n = \(s.tallShape.count), d = \(s.tallShape.dimension) and n = "
                + "\(s.wideShape.count), d = \(s.wideShape.dimension); m = \(s.operatorWidth), ν = 1, at "
                    + "initialisation"),
            ("K-FAC", "undamped, pseudo-inverse factors A = XᵀX, S = G_mG_mᵀ (summed), η = "
                + "\(formatMeasure(s.learningRate)) "
                + "(given)"),
            ("per-example run", "n = \(s.tallShape.count), d = \(s.tallShape.dimension), m = \(s.width), "
                + "\(s.contractionSteps) steps, factor fitted geometrically over all steps"),
            ("κ sweep", "n = \(s.sweepShape.count), d = \(s.sweepShape.dimension): x = normalise(√s ∘ z), "
                + "s_j = r^(−j/(d−1)), r ∈ {\(formatMeasures(s.anisotropies))}, y ~ N(0, 1); m = \(s.sweepWidth); "
                + "K-FAC and NGD η = \(formatMeasure(s.learningRate)); K-FAC min(\(s.stepCap), "
                + "⌈\(formatMeasure(s.budgetFactor)) × leverage prediction⌉ + 10) steps, NGD ≤ \(Self.ngdBudget) "
                    + "steps; tolerance "
                + "\(formatMeasure(s.tolerance))"),
            ("λ₀ sweep", "lambda0 sets n = \(s.tallShape.count), d = \(s.tallShape.dimension), 1 pair, ε ∈ "
                + "{\(formatMeasures(s.epsilons))}, m ∈ {\(s.lambdaWidths.map(String.init).joined(separator: ", "))}, "
                + "same η and step budget; NGD ≤ \(Self.ngdBudget) steps; all runs stop at the tolerance"),
            ("seeds", "data \(s.dataSeed), init \(s.initSeed)"),
        ]
    }
}
