import Foundation
import NGD

/// The limit Gram matrix H∞ (claim 1) and NGD's exact contraction in the linear limit (claim 4): the arccos closed
/// form against Monte Carlo, its diagonal, positive definiteness, λ₀ shrinking as two inputs approach each other,
/// and the linearised NGD residual r_k = (1 − η)^k r₀ (plus the real network as η → 0).
public struct LimitGramStudy: MeasuredStudy {
    public let id = "limit-gram"
    public init() {}

    static let epsilons = [0.4, 0.2, 0.1, 0.05, 0.025]
    static let linearRates = [0.1, 0.5, 1.0]
    static let smallRates = [0.5, 0.1, 0.02]

    public struct Measurements {
        var sampleCounts: [Int] = []
        /// Largest entry error of the Monte Carlo estimate per sample count.
        var errors: [Double] = []
        var monteCarloBound = Double.nan
        var limitGram = Matrix(rows: 0, columns: 0)
        var diagonalError = Double.nan
        var spectrum: [Double] = []
        /// λ₀ and the pair's Rayleigh quotient per ε.
        var lambdas: [Double] = [], pairGaps: [Double] = []
        var epsilonSlope = Double.nan
        var width = 1000, steps = 10
        var linearCurves: [[Double]] = []
        var linearDeviation = 0.0, linearCosine = 1.0
        var realDeviations: [Double] = []

        var largestSampleCount: Int { sampleCounts.last ?? 0 }
        var lambda0: Double { spectrum.first ?? .nan }
    }

    public func measure(in context: StudyContext) throws -> Measurements {
        var m = Measurements()
        try measureMonteCarlo(in: context, into: &m)
        let request = DatasetRequest(kind: .synthetic, count: 20, dimension: 10, seed: 0)
        let data = try context.dataset(request)
        m.limitGram = LimitGram.closedForm(data.inputs)
        m.diagonalError = m.limitGram.diagonal.map { abs($0 - 0.5) }.max() ?? .nan
        m.spectrum = m.limitGram.symmetricEigenvalues() ?? []

        // λ₀ as a near-duplicate pair approaches: one pair at angle ε in the same n = 20, d = 10 setting.
        for epsilon in Self.epsilons {
            let set = try Dataset.lambda0(count: 20, dimension: 10, pairs: 1, epsilon: epsilon, seed: 0)
            let limit = LimitGram.closedForm(set.inputs)
            m.lambdas.append(limit.extremeSymmetricEigenvalues()?.min ?? .nan)
            // Rayleigh quotient of (e₀ − e₁)/√2: an upper bound on λ₀, ≈ ε/(2π) for small ε.
            m.pairGaps.append((limit[0, 0] + limit[1, 1] - 2 * limit[0, 1]) / 2)
        }
        m.epsilonSlope = StudyMath.logLogSlope(x: Array(Self.epsilons.suffix(3)), y: Array(m.lambdas.suffix(3))) ?? .nan
        try measureLinearLimit(in: context, on: request, into: &m)
        return m
    }

    /// Claim 1: Monte Carlo vs closed form on a small set (n = 6, d = 5, as the reference check).
    private func measureMonteCarlo(in context: StudyContext, into m: inout Measurements) throws {
        let small = try context.dataset(DatasetRequest(kind: .synthetic, count: 6, dimension: 5, seed: 0))
        let closed = LimitGram.closedForm(small.inputs)
        m.sampleCounts = context.settings.size(full: [1000, 4000, 16000, 64000, 400_000],
                                               quick: [1000, 4000, 16000, 100_000])
        for samples in m.sampleCounts {
            if context.shouldStop() { throw ReportError.interrupted }
            let estimate = LimitGram.monteCarlo(small.inputs, samples: samples, seed: 7)
            m.errors.append(zip(estimate.storage, closed.storage).map { abs($0 - $1) }.max() ?? .nan)
        }
        // Each entry is a mean of N terms bounded by |x_iᵀx_j| ≤ 1 with variance ≤ 1/4: σ ≤ 0.5/√N. Allow 4σ.
        m.monteCarloBound = 4 * 0.5 / Double(m.largestSampleCount).squareRoot()
    }

    /// Claim 4: linearised NGD, and the real network at decreasing η.
    private func measureLinearLimit(in context: StudyContext, on request: DatasetRequest,
                                    into m: inout Measurements) throws {
        for eta in Self.linearRates {
            let config = TrainingConfig(width: m.width, seed: 0, optimizer: .ngd, learningRate: .fixed(eta),
                                        linearized: true, steps: m.steps)
            let run = try context.train(config, on: request, label: "linearised NGD η=\(eta)")
            let r0 = run.summary.initialResidualNorm
            m.linearCurves.append(run.steps.map { $0.residualNorm / r0 })
            for step in run.steps {
                m.linearDeviation = max(m.linearDeviation,
                                        abs(step.residualNorm / r0 - pow(1 - eta, Double(step.step))))
            }
            // Direction: r_{k+1} ∥ r_k, checked while the residual is above rounding.
            for k in 0..<(run.steps.count - 1) where run.steps[k + 1].residualNorm / r0 > 1e-10 {
                if let cosine = run.steps[k].residualCosine { m.linearCosine = min(m.linearCosine, cosine) }
            }
        }
        for eta in Self.smallRates {
            let config = TrainingConfig(width: m.width, seed: 0, optimizer: .ngd, learningRate: .fixed(eta), steps: 5)
            let run = try context.train(config, on: request, label: "NGD η=\(eta) (small-η limit)")
            let deviation = run.steps.compactMap(\.contractionRatio).map { abs($0 - (1 - eta)) }.max() ?? .nan
            m.realDeviations.append(deviation / eta)
        }
    }

    public func evaluate(_ m: Measurements) -> [ClaimOutcome] {
        Self.claims(monteCarloError: m.errors.last ?? .nan, monteCarloBound: m.monteCarloBound,
                    samples: m.largestSampleCount, diagonalError: m.diagonalError, lambda0: m.lambda0,
                    lambdas: m.lambdas, epsilonSlope: m.epsilonSlope, linearDeviation: m.linearDeviation,
                    linearCosine: m.linearCosine, realDeviations: m.realDeviations)
    }

    public func write(_ m: Measurements) -> StudyOutcome {
        let lambda0 = m.lambda0, width = m.width
        let figures = Self.figures(m)
        let blocks: [StudyBlock] = [
            .paragraph("H^∞_ij = x_iᵀx_j (π − arccos x_iᵀx_j)/(2π) is the infinite-width Gram matrix. The Monte Carlo "
                + "estimate with N = \(m.largestSampleCount) draws differs from it by at most "
                + "\(formatMeasure(m.errors.last ?? .nan, significantDigits: 3)) (4σ allowance "
                + "\(formatMeasure(m.monteCarloBound, significantDigits: 3))); the diagonal is 1/2 up to "
                + "\(formatMeasure(m.diagonalError, significantDigits: 3)); on the n = 20, d = 10 "
                + "inputs λ₀ = \(formatMeasure(lambda0, significantDigits: 3)) > 0. With one near-duplicate pair λ₀ "
                + "falls with the pair's angle ε: "
                + zip(Self.epsilons, m.lambdas).map { "ε = \($0.0): \(formatMeasure($0.1, significantDigits: 3))" }
                    .joined(separator: ", ")
                + " — roughly ∝ ε (slope \(formatMeasure(m.epsilonSlope, significantDigits: 3))), as the pair's "
                + "Rayleigh quotient ε/(2π) suggests."),
            .figure(figures.monteCarlo), .figure(figures.heatmap), .figure(figures.pair),
            .paragraph("Claim 4: on the linearised model, NGD's residual is exactly r_k = (1 − η)^k r₀: largest "
                + "deviation of ‖r_k‖/‖r₀‖ from (1 − η)^k over η ∈ {0.1, 0.5, 1} and 10 steps = "
                + "\(formatMeasure(m.linearDeviation, significantDigits: 3)), and the residual keeps its direction "
                + "(min cos∠(r_{k+1}, r_k) = \(formatMeasure(m.linearCosine, significantDigits: 15))). On the real "
                + "network (m = \(width)) the relative deviation max_k|ρ_k − (1 − η)|/η shrinks as η → 0: "
                + zip(Self.smallRates, m.realDeviations)
                    .map { "η = \($0.0): \(formatMeasure($0.1, significantDigits: 3))" }.joined(separator: ", ")
                + "."),
            .figure(figures.linear),
        ]
        let epsilons = Self.epsilons.map { formatMeasure($0, significantDigits: 3) }.joined(separator: ", ")
        let smallRates = Self.smallRates.map { formatMeasure($0, significantDigits: 3) }.joined(separator: ", ")
        let settingsRows: [(String, String)] = [
            ("Monte Carlo", "n = 6, d = 5 synthetic inputs (seed 0); N ∈ "
                + "{\(m.sampleCounts.map(String.init).joined(separator: ", "))}, w ~ N(0, I) from Xoshiro256** seed 7"),
            ("H^∞ and ε sweep", "n = 20, d = 10 synthetic (seed 0); one near-duplicate pair at ε ∈ {\(epsilons)} "
                + "(lambda0 sets, seed 0)"),
            ("linearised NGD", "m = \(width), ν = 1, network seed 0, η ∈ {0.1, 0.5, 1} (given), \(m.steps) steps, "
                + "undamped"),
            ("real NGD, small η", "m = \(width), η ∈ {\(smallRates)}, 5 steps"),
        ]
        return StudyOutcome(id: id, title: "The limit Gram matrix H^∞ and NGD in the linear limit", blocks: blocks,
                            settings: settingsRows)
    }

    private static func figures(_ m: Measurements)
        -> (monteCarlo: FigureData, heatmap: FigureData, pair: FigureData, linear: FigureData) {
        var monteCarlo = FigureData.panel(
            id: "limit-gram-monte-carlo", kind: .widthSweep,
            caption: "Largest entry error of the Monte Carlo estimate of H^∞ (N draws w ~ N(0, I₅) from the "
                + "seeded generator) against the arccos closed form, n = 6, d = 5. Dashed: 0.5/√N, the "
                + "largest possible standard deviation of an entry.",
            x: "samples N", xScale: .log10, y: "max_ij |Ĥ_ij − H^∞_ij|", yScale: .log10, width: 5.5, height: 3)
        let ns = m.sampleCounts.map(Double.init)
        monteCarlo.add("Monte Carlo error", .measured, .line, x: ns, y: m.errors)
        monteCarlo.add("0.5/√N", .theory, .line, x: ns, y: ns.map { 0.5 / $0.squareRoot() })

        let h = m.limitGram
        var heatmap = FigureData.panel(
            id: "limit-gram-heatmap", kind: .gramHeatmap,
            caption: "H^∞ for the n = 20, d = 10 synthetic inputs of the width sweep (closed form). Diagonal "
                + "exactly 1/2; λ₀ = λ_min(H^∞) = \(formatMeasure(m.lambda0, significantDigits: 3)), λ_max = "
                + "\(formatMeasure(m.spectrum.last ?? .nan, significantDigits: 3)).",
            x: "example j", y: "example i", width: 4.2, height: 3.8)
        heatmap.heatmap = FigureData.Heatmap(label: "H^∞_ij",
                                             matrix: MatrixValue(rows: h.rows, columns: h.columns, values: h.storage))
        heatmap.equalAspect = true

        var pair = FigureData.panel(
            id: "limit-gram-epsilon", kind: .widthSweep,
            caption: "λ₀ = λ_min(H^∞) as one input pair approaches (angle ε; n = 20, d = 10). Dashed: the pair's "
                + "Rayleigh quotient (H_ii + H_jj − 2H_ij)/2, an upper bound ≈ ε/(2π).",
            x: "pair angle ε (radians)", xScale: .log10, y: "λ₀", yScale: .log10, width: 5.5, height: 3)
        pair.add("λ₀ (slope over the three smallest ε: \(formatMeasure(m.epsilonSlope, significantDigits: 3)))",
                 .measured, .line, x: Self.epsilons, y: m.lambdas)
        pair.add("pair Rayleigh quotient", .theory, .line, x: Self.epsilons, y: m.pairGaps)

        var linear = FigureData.panel(
            id: "linear-ngd", kind: .convergence,
            caption: "NGD on the linearised model u₀ + J₀(θ − θ₀) (n = 20, d = 10, m = \(m.width)): relative "
                + "residual per step for η ∈ {0.1, 0.5, 1}. Dashed: (1 − η)^k. Values below 10⁻¹⁶ are drawn at 10⁻¹⁶.",
            x: "step k", y: "‖r_k‖/‖r₀‖", yScale: .log10, width: 5.5, height: 3)
        let ks = (0...m.steps).map(Double.init)
        for (eta, curve) in zip(Self.linearRates, m.linearCurves) {
            linear.add("linearised NGD η = \(eta)", .measured, .line, x: ks, y: curve.map { max($0, 1e-16) })
            linear.add("(1 − η)^k: linearised NGD η = \(eta)", .theory, .line, x: ks,
                       y: ks.map { max(pow(1 - eta, $0), 1e-16) })
        }
        return (monteCarlo, heatmap, pair, linear)
    }

    static func claims(monteCarloError: Double, monteCarloBound: Double, samples: Int, diagonalError: Double, lambda0: Double,
                       lambdas: [Double], epsilonSlope: Double, linearDeviation: Double, linearCosine: Double,
                       realDeviations: [Double]) -> [ClaimOutcome] {
        let decreasing = zip(lambdas, lambdas.dropFirst()).filter { $1 >= $0 }.count
        let realIncreases = zip(realDeviations, realDeviations.dropFirst()).filter { $1 >= $0 }.count
        return [
            Claim.atMost(id: "1a", statement: "H^∞ closed form matches Monte Carlo with N = \(samples) draws to "
                + "O(N^(−1/2)) (≈ 10⁻³): "
                                + "largest entry error ≤ 4·0.5/√N",
                              expression: "max_ij |Ĥ_ij − H^∞_ij|", measured: monteCarloError, bound: monteCarloBound),
            Claim.atMost(id: "1b", statement: "diag(H^∞) = 1/2 exactly (unit inputs)", expression: "max_i |H^∞_ii − "
                + "1/2|",
                              measured: diagonalError, bound: 1e-15),
            Claim.atLeast(id: "1c", statement: "H^∞ ≻ 0 when no two inputs are parallel (n = 20, d = "
                + "10)", expression: "λ₀ = λ_min(H^∞)",
                               measured: lambda0, bound: 1e-12),
            Claim.atMost(id: "1d", statement: "λ₀ shrinks as two inputs approach: λ₀ strictly decreases along ε = "
                                + "\(epsilons.map { "\($0)" }.joined(separator: ", "))",
                              expression: "number of ε steps where λ₀ does not "
                                  + "decrease", measured: Double(decreasing), bound: 0,
                              note: "log–log slope over the smallest three ε: \(formatMeasure(epsilonSlope))"),
            Claim.atMost(id: "4a", statement: "Linearised NGD gives r_k = (1 − η)^k r₀ exactly (η ∈ {0.1, 0.5, 1}, 10 "
                + "steps)",
                              expression: "max_{η,k} | ‖r_k‖/‖r_0‖ − (1 − η)^k "
                                  + "|", measured: linearDeviation, bound: 1e-12,
                              note: "min cos∠(r_{k+1}, r_k) = \(String(format: "%.15f", linearCosine))"),
            Claim.atMost(id: "4b", statement: "Real network at small η: max_k|ρ_k − (1 − η)|/η decreases as η → 0 (η = "
                                + "\(smallRates.map { "\($0)" }.joined(separator: ", ")))",
                              expression: "number of η steps where the relative deviation does not decrease",
                              measured: Double(realIncreases), bound: 0,
                              note: "relative deviations " + realDeviations.map(formatMeasure).joined(separator: ", ")),
        ]
    }
}
