import Foundation
import NGD

/// Beyond two layers (issue 13, docs/DEEP.md): the deep network's empirical Gram against the closed-form Θ as m
/// grows, NGD's 1 − η contraction at depth 2 and 3 (and the linearised run's exact one), and the measured
/// Condition-2 constant C against 1/2, per depth and width; GD's λ_min-bound rate against NGD's at depth 3
/// (`DeepConditioning`) and the rebuttal's MNIST regression at depth 2 (`DeepRegression`).
public struct DeepNetworkStudy: MeasuredStudy {
    public let id = "deep"
    /// Sizes of the GD-vs-NGD and regression parts; nil = the full or quick preset (tests pass tiny ones).
    var conditioningSizes: DeepConditioning.Sizes?
    var regressionSizes: DeepRegression.Sizes?
    public init() {}

    static let count = 32, dimension = 16, eta = 0.5, steps = 5, depths = [1, 2, 3]

    public struct Measurements {
        var widths: [Int] = []
        /// The initialisations (`--seeds`: 3 full, 2 quick) every part of the study is run from.
        var seeds: [UInt64] = []
        /// Per depth (`depths` order), per seed, per width: ‖G₀ − Θ‖₂.
        var gapsBySeed: [[[Double]]] = []
        /// Per depth, per width: the mean of ‖G₀ − Θ‖₂ over the seeds, and its log–log slope in m.
        var gaps: [[Double]] = []
        var gapSlopes: [Double] = []
        /// Per depth ≥ 2 at the widest m: the largest |ρ_k − (1 − η)| of the network and of its linearisation,
        /// over the seeds.
        var contractionErrors: [Double] = []
        var linearizedErrors: [Double] = []
        /// Per depth ≥ 2, per width: max_k C_k of the NGD runs, the largest over the seeds.
        var conditionTwo: [[Double]] = []
        /// GD against NGD at depth 3 on a well- and an ill-conditioned set (claims 17d–e).
        var conditioning: [DeepConditioning.Point] = []
        var conditioningSizes = DeepConditioning.Sizes.quick
        /// The rebuttal's MNIST regression at depth 2 (claims 17f–g).
        var regression = DeepRegression.Measured()

        /// Per depth, the slope of each seed's own gaps: how much one initialisation could mislead.
        var seedGapSlopes: [[Double]] {
            gapsBySeed.map { bySeed in
                bySeed.map { StudyMath.logLogSlope(x: widths.map(Double.init), y: $0) ?? .nan }
            }
        }
    }

    public func measure(in context: StudyContext) throws -> Measurements {
        let request = DatasetRequest(kind: .synthetic, count: Self.count, dimension: Self.dimension, seed: 0)
        let data = try context.dataset(request)
        var m = Measurements()
        m.widths = context.settings.size(full: [256, 1024, 4096], quick: [128, 512, 2048])
        m.seeds = Self.seeds(context.settings)
        for depth in Self.depths {
            let bySeed = try m.seeds.map { seed in
                try m.widths.map { width in
                    try DeepAnalysis(dataset: data, config: TrainingConfig(width: width, seed: seed, depth: depth))
                        .gramInitGap
                }
            }
            m.gapsBySeed.append(bySeed)
            let means = m.widths.indices.map { w in bySeed.map { $0[w] }.reduce(0, +) / Double(bySeed.count) }
            m.gaps.append(means)
            m.gapSlopes.append(StudyMath.logLogSlope(x: m.widths.map(Double.init), y: means) ?? .nan)
            guard depth > 1 else { continue }
            var conditions = [Double](repeating: -.infinity, count: m.widths.count)
            var contraction = -Double.infinity, linearized = -Double.infinity
            for seed in m.seeds {
                for (index, width) in m.widths.enumerated() {
                    let run = try context.train(Self.config(width: width, depth: depth, seed: seed), on: request,
                                                label: "deep NGD L=\(depth) m=\(width) seed \(seed)")
                    conditions[index] = Self.worst(conditions[index], run.summary.conditionTwoRatioMax ?? .nan)
                    guard index == m.widths.count - 1 else { continue }
                    let linear = try context.train(Self.config(width: width, depth: depth, seed: seed,
                                                               linearized: true),
                                                   on: request, label: "deep NGD L=\(depth) m=\(width) seed \(seed), "
                                                       + "linearised")
                    contraction = Self.worst(contraction, Self.worstRateError(run))
                    linearized = Self.worst(linearized, Self.worstRateError(linear))
                }
            }
            m.contractionErrors.append(contraction)
            m.linearizedErrors.append(linearized)
            m.conditionTwo.append(conditions)
        }
        m.conditioningSizes = conditioningSizes ?? context.settings.size(full: .full, quick: .quick)
        m.conditioning = try DeepConditioning.measure(in: context, sizes: m.conditioningSizes)
        m.regression = try DeepRegression.measure(in: context, sizes: regressionSizes
                                                    ?? context.settings.size(full: .full, quick: .quick))
        return m
    }

    /// The initialisations every part of the study runs: the paper's seeds, at least seed 0.
    static func seeds(_ settings: PaperSettings) -> [UInt64] {
        settings.seedList.isEmpty ? [0] : settings.seedList
    }

    static func config(width: Int, depth: Int, seed: UInt64, linearized: Bool = false) -> TrainingConfig {
        TrainingConfig(width: width, seed: seed, optimizer: .ngd, learningRate: .fixed(eta), linearized: linearized,
                       steps: steps, depth: depth)
    }

    /// The larger of two measurements, NaN winning: a seed that measured nothing must not vanish from a worst case.
    static func worst(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : max(a, b)
    }

    static func worstRateError(_ run: TrainingRun) -> Double {
        run.steps.compactMap(\.contractionRatio).map { abs($0 - (1 - eta)) }.max() ?? .nan
    }

    public func evaluate(_ m: Measurements) -> [ClaimOutcome] {
        [
            Claim.atMost(id: "17a", statement: "‖G₀ − Θ‖₂ shrinks as the width grows, at depth 1, 2 and 3 "
                            + "(log–log slope in m < 0 for every depth; the theory's rate is m^(−1/2))",
                         expression: "largest log–log slope of the mean ‖G₀ − Θ‖₂ over the seeds vs m, over L = 1, 2, 3",
                         measured: m.gapSlopes.max() ?? .nan, bound: 0,
                         note: "slopes " + m.gapSlopes.map(formatMeasure).joined(separator: ", ")
                            + Self.seedSlopeNote(m)),
            Claim.atMost(id: "17b", statement: "NGD with η = 0.5 contracts ‖u − y‖ by 0.5 ± 0.03 per step at depth 2 "
                            + "and 3 (widest m, \(Self.steps) steps)",
                         expression: "max over L ∈ {2, 3}, the seeds and k of |ρ_k − 0.5|",
                         measured: m.contractionErrors.max() ?? .nan, bound: 0.03),
            Claim.atMost(id: "17c", statement: "The linearised deep network contracts by exactly 1 − η per step",
                         expression: "max over L ∈ {2, 3}, the seeds and k of |ρ_k − 0.5|, linearised",
                         measured: m.linearizedErrors.max() ?? .nan, bound: 1e-9),
        ] + DeepConditioning.claims(m.conditioning) + DeepRegression.claims(m.regression)
    }

    /// "; one seed alone: -0.7475 to -0.4238" when there are several seeds (the range of the per-seed slopes).
    static func seedSlopeNote(_ m: Measurements) -> String {
        let slopes = m.seedGapSlopes.flatMap { $0 }
        guard m.seeds.count > 1, let low = slopes.min(), let high = slopes.max() else { return "" }
        return "; one seed alone: \(formatMeasure(low)) to \(formatMeasure(high))"
    }

    /// "seed 0" or "seeds 0, 1, 2".
    static func seedWords(_ seeds: [UInt64]) -> String {
        (seeds.count == 1 ? "seed " : "seeds ") + seeds.map(String.init).joined(separator: ", ")
    }

    public func write(_ m: Measurements) -> StudyOutcome {
        let gapRows = Self.depths.indices.map { d in
            ["L = \(Self.depths[d])"] + m.gaps[d].map { formatMeasure($0, significantDigits: 3) }
                + [formatMeasure(m.gapSlopes[d], significantDigits: 3)]
        }
        let conditionRows = m.conditionTwo.indices.map { d in
            ["L = \(Self.depths[d + 1])"] + m.conditionTwo[d].map { formatMeasure($0, significantDigits: 3) }
        }
        let widthHeader = m.widths.map { "m = \($0)" }
        let blocks: [StudyBlock] = [
            .paragraph("The deep network of docs/DEEP.md (L hidden layers of width m, ν = 1) has the infinite-width "
                + "kernel Θ of docs/DEEP-THEORY.md; for L = 1 it is H∞. The empirical G₀ approaches Θ as m grows, "
                + "NGD contracts the residual by 1 − η per step at every depth, and its linearisation does so "
                + "exactly. Theorem 1 asks more: Condition 2, C = 3‖J_k − J₀‖₂/√λ_min(G₀) ≤ 1/2 along the run; "
                + "the last table gives the largest C each run met (spectral norm, computed exactly)."),
            .table(ReportDocument.Table(
                caption: "‖G₀ − Θ‖₂ per depth and width (mean over init \(Self.seedWords(m.seeds))), and its "
                    + "log–log slope in m (theory: −1/2).",
                header: ["depth"] + widthHeader + ["slope"], rows: gapRows,
                columns: [.text] + Array(repeating: .number, count: m.widths.count + 1))),
            .table(ReportDocument.Table(
                caption: "max_k C_k of NGD (η = \(formatMeasure(Self.eta)), \(Self.steps) steps; the largest over "
                    + "init \(Self.seedWords(m.seeds))); the theorem needs C ≤ 1/2.",
                header: ["depth"] + widthHeader, rows: conditionRows,
                columns: [.text] + Array(repeating: .number, count: m.widths.count))),
        ] + DeepConditioning.blocks(m.conditioning, sizes: m.conditioningSizes) + DeepRegression.blocks(m.regression)
        let settings: [(String, String)] = [
            ("data", "synthetic n = \(Self.count), d = \(Self.dimension), y ~ N(0, 1), data seed 0"),
            ("depths, widths", Self.depths.map(String.init).joined(separator: ", ") + "; "
                + m.widths.map(String.init).joined(separator: ", ")),
            ("NGD", "η = \(formatMeasure(Self.eta)), undamped, \(Self.steps) steps, init \(Self.seedWords(m.seeds)), "
                + "ν = 1"),
            ("GD vs NGD, depth 3", "λ₀-study data n = \(DeepConditioning.count), d = \(DeepConditioning.dimension), "
                + "one pair at ε = " + DeepConditioning.epsilons.map { formatMeasure($0) }.joined(separator: ", ")
                + "; m = \(m.conditioningSizes.width); init seeds "
                + Set(m.conditioning.map(\.seed)).sorted().map(String.init).joined(separator: ", ")
                + "; NGD η = 0.5, \(DeepConditioning.ngdSteps) steps; GD η = 1/λ_max(G₀), "
                + "\(m.conditioningSizes.gdSteps) steps"),
            ("regression, depth 2", "\(m.regression.dataName) 4 vs 9, n = \(m.regression.count), y = ±1, m = "
                + "\(m.regression.width), \(max(m.regression.ngd.count - 1, 0)) steps; NGD η = "
                + "\(formatMeasure(DeepRegression.ngdEta)), GD η = \(formatMeasure(DeepRegression.gdScale))/λ_max(G₀), "
                + "K-FAC η = \(formatMeasure(DeepRegression.kfacEta)) (block-diagonal, undamped)"),
        ]
        var outcome = StudyOutcome(id: id, title: "Beyond two layers", blocks: blocks, settings: settings)
        outcome.tolerances = [DeepRegression.tolerance(m.regression)]
        outcome.caveats = ["The slopes of ‖G₀ − Θ‖₂ come from three widths and \(m.seeds.count) initialisation"
                           + (m.seeds.count == 1 ? "" : "s") + " (17a's note gives the spread of single seeds); "
                           + "C is the spectral-norm constant of Condition 2, which is sufficient, not necessary.",
                           "Deep GD vs NGD: λ_min(G_k) drifts down along GD (most on the near-duplicate set), so GD's "
                           + "slowest modes decay more slowly than 1 − ηλ_min(G₀) predicts (rate ratios "
                           + m.conditioning.map { formatMeasure($0.initialGramModeRateRatio, significantDigits: 3) }
                               .joined(separator: ", ") + "; against λ_min(G_k) along the run "
                           + m.conditioning.map { formatMeasure($0.modeRateRatio, significantDigits: 3) }
                               .joined(separator: ", ") + "; the projection stays on G₀'s slowest eigenvectors while "
                           + "G_k's rotate: step by step on G_k's own slowest modes the ratios are "
                           + DeepConditioning.formattedRange(m.conditioning.map(\.stepwiseModeRateRatio))
                           + "); smaller pair angles leave "
                           + "the linear regime at these "
                           + "widths for NGD too, so the two sets differ in λ_min(G₀) by a factor of only "
                           + DeepConditioning.formattedRange(DeepConditioning.lambdaMinRatios(m.conditioning)) + "."]
        return outcome
    }
}
