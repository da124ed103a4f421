import Foundation
import NGD

/// GD against NGD at depth 3 on two data sets whose λ_min(G₀) differ (claims 17d–e, docs/DEEP.md). NGD's step
/// contracts the residual by 1 − η on both; GD's (η = 1/λ_max(G₀)) slowest mode, the residual's component along
/// G₀'s bottom eigenvector, decays by 1 − ηλ_min(G_k) per step, so GD slows down as λ_min falls. At these widths
/// λ_min(G_k) drifts down along GD (by 20 % on the near-duplicate set), so the claim takes the product of the
/// factors measured along the run; the factor of G₀ alone is shown beside it.
/// The two sets are the near-duplicate data of the λ₀ study (`Dataset.lambda0`) at two pair angles ε; each is
/// trained from the paper's seeds (initialisations 0, 1, …), and the claims take the worst of them.
enum DeepConditioning {
    struct Sizes: Equatable, Sendable {
        var width: Int
        var gdSteps: Int
        static let full = Sizes(width: 2048, gdSteps: 40)
        static let quick = Sizes(width: 1024, gdSteps: 32)
    }

    static let depth = 3, count = 32, dimension = 16, pairs = 1, ngdEta = DeepNetworkStudy.eta, ngdSteps = 8
    /// Pair angles: a well-conditioned set (ε far from 0) and an ill-conditioned one (near-duplicates).
    static let epsilons = [1.0, 0.3]
    static let slowBand = 1.2

    /// What one data set measured.
    struct Point: Equatable, Sendable {
        var epsilon: Double
        /// The initialisation seed of both runs and of G₀.
        var seed: UInt64 = 0
        var lambdaMin: Double
        var lambdaMax: Double
        /// GD's resolved η = 1/λ_max(G₀).
        var gdEta: Double
        /// max_k |ρ_k − (1 − η)| of the NGD run.
        var ngdRateError: Double
        /// GD's fitted per-step factor of ‖P_slow r_k‖, P_slow the projection on G₀'s slowest modes.
        var gdModeFactor: Double
        /// ‖r_k‖/‖r₀‖ of NGD and GD, and ‖P_slow r_k‖/‖r₀‖ of GD.
        var ngdResiduals: [Double] = []
        var gdResiduals: [Double] = []
        var gdMode: [Double] = []
        /// λ_min(G_k) at GD's steps k = 0…K (G_k of the network at step k).
        var gdLambdaMins: [Double] = []
        /// GD step by step on G_k's own slowest modes (`stepwiseSlowModes`): the measured factor of each step and
        /// the finite-width theory's, k = 0…K−1.
        var gdStepwiseMeasured: [Double] = []
        var gdStepwisePredicted: [Double] = []

        /// ln(measured)/ln(predicted) of the step-wise factors, each summed over the steps: 1 when every step
        /// follows r_{k+1} = (I − ηG_k)r_k on G_k's slowest modes, whatever their eigenvectors do between steps.
        var stepwiseModeRateRatio: Double {
            guard !gdStepwiseMeasured.isEmpty, gdStepwiseMeasured.count == gdStepwisePredicted.count else { return .nan }
            return gdStepwiseMeasured.map(log).reduce(0, +) / gdStepwisePredicted.map(log).reduce(0, +)
        }

        /// The linear theory's slowest-mode factor at θ₀, 1 − ηλ_min(G₀).
        var predictedModeFactor: Double { 1 - gdEta * lambdaMin }
        /// The slowest-mode factor along the run: the geometric mean of 1 − ηλ_min(G_k) over the K steps fitted.
        var alongRunModeFactor: Double {
            let factors = gdLambdaMins.dropLast().map { 1 - gdEta * $0 }
            guard !factors.isEmpty else { return .nan }
            return exp(factors.map(log).reduce(0, +) / Double(factors.count))
        }
        /// ‖P_slow r₀‖·Π_{j<k}(1 − ηλ_min(G_j)): the along-the-run theory for `gdMode`.
        var alongRunMode: [Double] {
            var value = gdMode.first ?? .nan
            return gdMode.indices.map { k in
                defer { if k < gdLambdaMins.count { value *= 1 - gdEta * gdLambdaMins[k] } }
                return value
            }
        }
        /// Measured over predicted decay rate, ln(fitted factor)/ln(factor along the run); 1 in the linear theory.
        var modeRateRatio: Double { log(gdModeFactor) / log(alongRunModeFactor) }
        /// The same against λ_min(G₀) alone.
        var initialGramModeRateRatio: Double { log(gdModeFactor) / log(predictedModeFactor) }
    }

    static func request(epsilon: Double) -> DatasetRequest {
        DatasetRequest(kind: .lambda0, count: count, dimension: dimension, seed: 0, epsilon: epsilon, pairs: pairs)
    }

    /// Every set at every seed, ε-major: (ε₁, seed 0), (ε₁, seed 1), …, (ε₂, seed 0), ….
    static func measure(in context: StudyContext, sizes: Sizes) throws -> [Point] {
        try epsilons.flatMap { e in
            try DeepNetworkStudy.seeds(context.settings).map { try measure(epsilon: e, seed: $0, in: context, sizes: sizes) }
        }
    }

    static func measure(epsilon: Double, seed: UInt64, in context: StudyContext, sizes s: Sizes) throws -> Point {
        let request = request(epsilon: epsilon)
        let data = try context.dataset(request)
        let ngd = try context.train(
            TrainingConfig(width: s.width, seed: seed, optimizer: .ngd, learningRate: .fixed(ngdEta), steps: ngdSteps,
                           depth: depth), on: request, label: "deep L=3 NGD, ε = \(epsilon), seed \(seed)")
        var gdConfig = TrainingConfig(width: s.width, seed: seed, optimizer: .gd,
                                      learningRate: .inverseLambdaMax(scale: 1), steps: s.gdSteps, depth: depth)
        gdConfig.recordOutputs = true
        let gd = try context.train(gdConfig, on: request, label: "deep L=3 GD, ε = \(epsilon), seed \(seed)")
        // The Grams G_k (and G₀'s bottom eigenvectors) are what no run records: the replay rebuilds them once.
        let replay = try replayGradientDescent(gdConfig, learningRate: gd.summary.learningRate,
                                               steps: gd.summary.stepsCompleted, on: data)
        guard let eigen = SymmetricEigendecomposition(replay.grams.first ?? initialGram(gdConfig, on: data)),
              let lambdaMin = eigen.values.first, let lambdaMax = eigen.values.last else {
            throw NGDError("gram", "could not decompose G₀ of the depth-3 network (ε = \(epsilon), seed \(seed))")
        }
        let residuals = PaperAnalysis.residuals(gd, targets: data.targets)
        let stepwise = stepwiseSlowModes(grams: replay.grams, residuals: replay.residuals,
                                         learningRate: gd.summary.learningRate)
        let slow = slowModes(eigen)
        let r0 = gd.steps.first?.residualNorm ?? .nan
        let mode = residuals.map { r in
            slow.map { PaperAnalysis.dot(r, $0) }.reduce(0) { $0 + $1 * $1 }.squareRoot() / r0
        }
        return Point(epsilon: epsilon, seed: seed, lambdaMin: lambdaMin, lambdaMax: lambdaMax,
                     gdEta: gd.summary.learningRate,
                     ngdRateError: DeepNetworkStudy.worstRateError(ngd),
                     gdModeFactor: Fitting.geometricFactor(mode) ?? .nan,
                     ngdResiduals: relative(ngd), gdResiduals: relative(gd), gdMode: mode,
                     gdLambdaMins: gd.steps.map(\.gramLambdaMin), gdStepwiseMeasured: stepwise.measured,
                     gdStepwisePredicted: stepwise.predicted)
    }

    /// GD from θ₀ again, as `DeepTrainer` steps it (the same update on the same Jacobian), keeping what no run
    /// records: G_k at each step k < K, and the residuals r_k, k = 0…K.
    static func replayGradientDescent(_ config: TrainingConfig, learningRate eta: Double, steps: Int,
                                      on data: Dataset) throws -> (grams: [Matrix], residuals: [[Double]]) {
        let model = config.deepModel(inputDimension: data.dimension)
        let rule = DeepUpdate(optimizer: .gd, learningRate: eta)
        var theta = model.initialParameters(initScale: config.initScale, seed: config.seed)
        var grams: [Matrix] = [], residuals: [[Double]] = []
        for k in 0...steps {
            let forward = model.forward(data.inputs, parameters: theta)
            let difference = zip(forward.outputs.storage, data.targets.storage).map { $0 - $1 }
            residuals.append(difference)
            guard k < steps else { break }
            guard let r = Matrix(rows: data.targets.rows, columns: data.targets.columns, storage: difference) else {
                throw NGDError("gram", "replaying GD: outputs and targets differ in shape")
            }
            let jacobian = DeepJacobian(forward: forward, parameters: theta, includesOutputLayer: false)
            grams.append(jacobian.gram())
            theta = theta.adding(try rule.delta(jacobian: jacobian, outputGradient: r).delta)
        }
        return (grams, residuals)
    }

    /// Per step k, on the eigenvectors V_k of G_k within `slowBand` of λ_min(G_k): the measured factor
    /// ‖V_kᵀr_{k+1}‖/‖V_kᵀr_k‖ and the theory's ‖(I − ηΛ_k)V_kᵀr_k‖/‖V_kᵀr_k‖ (r_{k+1} = (I − ηG_k)r_k).
    /// Unlike the projection on G₀'s modes, this follows the slowest modes as they rotate.
    static func stepwiseSlowModes(grams: [Matrix], residuals: [[Double]], learningRate eta: Double)
        -> (measured: [Double], predicted: [Double]) {
        var measured: [Double] = [], predicted: [Double] = []
        for (k, gram) in grams.enumerated() where k + 1 < residuals.count {
            guard let eigen = SymmetricEigendecomposition(gram) else {
                measured.append(.nan)
                predicted.append(.nan)
                continue
            }
            var now = 0.0, next = 0.0, theory = 0.0
            for (value, vector) in slowModePairs(eigen) {
                let c = PaperAnalysis.dot(residuals[k], vector), shrink = 1 - eta * value
                now += c * c
                theory += shrink * shrink * c * c
                let d = PaperAnalysis.dot(residuals[k + 1], vector)
                next += d * d
            }
            measured.append((next / now).squareRoot())
            predicted.append((theory / now).squareRoot())
        }
        return (measured, predicted)
    }

    /// A Gram's eigenvectors whose eigenvalues lie within `slowBand` of its λ_min: on the ill-conditioned set the one
    /// near-duplicate mode, on the well-conditioned one the cluster at the bottom of the spectrum (a single vector
    /// there carries too little of r₀ to be measured above the drift of G).
    static func slowModes(_ eigen: SymmetricEigendecomposition) -> [[Double]] {
        slowModePairs(eigen).map(\.vector)
    }

    /// The same modes with their eigenvalues.
    static func slowModePairs(_ eigen: SymmetricEigendecomposition) -> [(value: Double, vector: [Double])] {
        let v = eigen.vectors, lowest = eigen.values.first ?? 0
        return eigen.values.indices.filter { eigen.values[$0] <= slowBand * lowest }.map { j in
            (eigen.values[j], (0..<v.rows).map { v.storage[$0 * v.columns + j] })
        }
    }

    /// G₀ = J₀J₀ᵀ of the deep network `config` initialises on `data`.
    static func initialGram(_ config: TrainingConfig, on data: Dataset) -> Matrix {
        let model = config.deepModel(inputDimension: data.dimension)
        let theta0 = model.initialParameters(initScale: config.initScale, seed: config.seed)
        return model.jacobian(on: data.inputs, parameters: theta0).gram()
    }

    /// Per seed, the well-conditioned set's point and the ill-conditioned one's (the first and last ε).
    static func setsBySeed(_ points: [Point]) -> [(well: Point, ill: Point)] {
        let seeds = points.map(\.seed).reduce(into: [UInt64]()) { if !$0.contains($1) { $0.append($1) } }
        return seeds.compactMap { seed in
            let same = points.filter { $0.seed == seed }
            guard let well = same.first, let ill = same.last, same.count > 1 else { return nil }
            return (well, ill)
        }
    }

    /// Per seed, λ_min(G₀) of the well-conditioned set over the ill-conditioned one's.
    static func lambdaMinRatios(_ points: [Point]) -> [Double] {
        setsBySeed(points).map { $0.well.lambdaMin / $0.ill.lambdaMin }
    }

    /// "2.06", or "2.04–2.10" over several seeds.
    static func formattedRange(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return formatMeasure(.nan) }
        let (a, b) = (formatMeasure(low, significantDigits: 3), formatMeasure(high, significantDigits: 3))
        return a == b ? a : "\(a)–\(b)"
    }

    static func relative(_ run: TrainingRun) -> [Double] {
        let r0 = run.steps.first?.residualNorm ?? .nan
        return run.steps.map { $0.residualNorm / r0 }
    }

    static func claims(_ points: [Point]) -> [ClaimOutcome] {
        let ratios = points.map(\.modeRateRatio)
        return [
            Claim.atMost(id: "17d", statement: "At depth 3, NGD (η = 0.5) contracts ‖u − y‖ by 0.5 ± 0.03 per step "
                            + "on both data sets, whatever λ_min(G₀)",
                         expression: "max over the two sets and k ≤ \(ngdSteps) of |ρ_k − 0.5|",
                         measured: points.map(\.ngdRateError).max() ?? .nan, bound: 0.03,
                         note: "λ_min(G₀) = " + points.map { formatMeasure($0.lambdaMin) }.joined(separator: ", ")),
            Claim.atMost(id: "17e", statement: "At depth 3, GD's (η = 1/λ_max(G₀)) slowest mode decays by "
                            + "1 − ηλ_min(G_k) per step, λ_min(G_k) measured along the run, on both data sets "
                            + "(decay rate within 25 %)",
                         expression: "max over the two sets of |ln(fitted factor of ‖P_slow r_k‖)"
                            + "/ln(geometric mean of 1 − ηλ_min(G_k)) − 1|",
                         measured: ratios.map { abs($0 - 1) }.max() ?? .nan, bound: 0.25,
                         note: "rate ratios " + ratios.map(formatMeasure).joined(separator: ", ")
                            + " (against λ_min(G₀) alone: "
                            + points.map { formatMeasure($0.initialGramModeRateRatio) }.joined(separator: ", ")
                            + "); factors " + points.map { "\(formatMeasure($0.gdModeFactor)) (along the run "
                                + "\(formatMeasure($0.alongRunModeFactor)), at θ₀ "
                                + "\(formatMeasure($0.predictedModeFactor)))" }.joined(separator: ", ")
                            + "; step by step on G_k's own slowest modes: "
                            + points.map { formatMeasure($0.stepwiseModeRateRatio) }.joined(separator: ", ")),
        ]
    }

    /// The section's paragraph and figure: ‖r_k‖/‖r₀‖ of NGD and GD on both sets, with the predicted rates dashed.
    static func blocks(_ points: [Point], sizes: Sizes) -> [StudyBlock] {
        let shown = points.filter { $0.seed == 0 }
        let seedCount = Set(points.map(\.seed)).count
        var figure = FigureData.panel(
            id: "deep-conditioning", kind: .convergence,
            caption: "Depth 3 (m = \(sizes.width), n = \(count), d = \(dimension)) on two near-duplicate sets (pair "
                + "angle ε). Left: ‖u_k − y‖/‖u₀ − y‖ of NGD (η = 0.5) and GD (η = 1/λ_max(G₀)); dashed, NGD's "
                + "(1 − η)^k. Right: the norm of GD's residual in G₀'s slowest modes (eigenvalues ≤ "
                + "\(formatMeasure(slowBand))·λ_min(G₀)), relative to ‖u₀ − y‖; dashed, its start times "
                + "Π_{j<k}(1 − ηλ_min(G_j)) with λ_min(G_j) measured along the run. Initialisation seed 0"
                + (seedCount > 1 ? "; the table has all \(seedCount) seeds." : "."),
            x: "step k", y: "relative to ‖u₀ − y‖", yScale: .log10, width: 6.5, height: 3.6)
        func add(_ label: String, _ role: FigureData.Role, _ style: FigureData.Style = .line, panel: String,
                 _ y: [Double]) {
            figure.add(label, role, style, x: y.indices.map(Double.init), y: y)
            figure.series[figure.series.count - 1].panel = panel
        }
        let (left, right) = ("‖u_k − y‖", "GD, slowest modes of G₀")
        for (index, p) in shown.enumerated() {
            let e = formatMeasure(p.epsilon)
            // NGD's curves coincide: the later ones as markers, so that the first stays visible under them
            add("NGD, ε = \(e)", .measured, index == 0 ? .line : .points, panel: left, p.ngdResiduals)
            add("(1 − η)^k: NGD, ε = \(e)", .theory, panel: left,
                p.ngdResiduals.indices.map { pow(1 - ngdEta, Double($0)) })
            add("GD, ε = \(e)", .measured, panel: left, p.gdResiduals)
        }
        for p in shown {
            // the same GD runs as on the left, in their colours: the panel's title says what is drawn
            let e = formatMeasure(p.epsilon)
            add("GD, ε = \(e)", .measured, panel: right, p.gdMode)
            add("Π(1 − ηλ_min(G_j)): GD, ε = \(e)", .theory, panel: right, p.alongRunMode)
        }
        let rows = points.map { p in
            [formatMeasure(p.epsilon), "\(p.seed)", formatMeasure(p.lambdaMin, significantDigits: 3),
             formatMeasure(p.lambdaMax, significantDigits: 3), formatMeasure(p.ngdRateError, significantDigits: 2),
             formatMeasure(p.gdModeFactor, significantDigits: 4),
             formatMeasure(p.alongRunModeFactor, significantDigits: 4),
             formatMeasure(p.predictedModeFactor, significantDigits: 4),
             formatMeasure(p.stepwiseModeRateRatio, significantDigits: 3),
             formatMeasure(p.gdResiduals.last ?? .nan, significantDigits: 3)]
        }
        let text = "GD against NGD at depth 3. NGD's output-space step is (1 − η)r whatever G is; GD's is (I − ηG)r, "
            + "so its slowest modes, those of G's smallest eigenvalues, shrink by 1 − ηλ_min(G_k) at step k: by "
            + "1 − ηλ_min(G₀) while G stays at G₀, and at these widths λ_min(G_k) drifts down along the run, so the "
            + "theory is the product of the factors measured at each step. Two data "
            + "sets from the λ₀ study's generator (one near-duplicate pair at angle ε) differ in λ_min(G₀) by a factor "
            + formattedRange(lambdaMinRatios(points)) + (seedCount > 1 ? " (over \(seedCount) seeds)" : "")
            + ". The slowest modes are G₀'s eigenvectors with λ ≤ \(formatMeasure(slowBand))·λ_min; their factor is "
            + "fitted to the norm of r_k's projection on them over all \(sizes.gdSteps) GD steps and compared with "
            + "the geometric mean of 1 − ηλ_min(G_k) over those steps. GD's slowest modes shrink more slowly on the "
            + "ill-conditioned set, but its fast modes start with most of r₀, so after \(sizes.gdSteps) steps its whole "
            + "residual is only "
            + formattedRange(setsBySeed(points).map { ($0.ill.gdResiduals.last ?? .nan) / ($0.well.gdResiduals.last ?? .nan) })
            + " times the well-conditioned set's; NGD's curves coincide."
        return [.paragraph(text), .figure(figure), .table(PaperAnalysis.table(
            caption: "Depth 3: NGD's largest |ρ_k − 0.5|; GD's fitted slowest-mode factor against the mean of "
                + "1 − ηλ_min(G_k) along the run and against 1 − ηλ_min(G₀); \"step-wise\": measured over predicted "
                + "decay rate of each step on G_k's own slowest modes (1 = the theory r_{k+1} = (I − ηG_k)r_k).",
            header: ["ε", "seed", "λ_min(G₀)", "λ_max(G₀)", "NGD max |ρ_k − 0.5|", "GD slow-mode factor",
                     "mean 1 − ηλ_min(G_k)", "1 − ηλ_min(G₀)", "step-wise", "GD ‖r_K‖/‖r₀‖"], rows: rows))]
    }
}
