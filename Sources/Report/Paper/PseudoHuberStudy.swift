import Foundation
import NGD

/// The general-loss extension (docs/CLAIMS.md, huber-*; variant (a)): NGD with metric JᵀJ and gradient Jᵀ∇_uL on a
/// non-quadratic loss is, to first order, gradient descent in output space: Δu ≈ −η∇_uL. We check the direction
/// (cos∠(Δu, −∇_uL) ≈ 1) and length (‖Δu‖ ≈ η‖∇_uL‖) of every step on the pseudo-Huber loss, compare L_k with the
/// exact output-space recursion r ← r − η∇ℓ(r), and with the linear rate L_k ≤ (1 − ημ)^k L₀ of a μ-strongly
/// convex, 1-smooth loss (μ of pseudo-Huber on |r| ≤ R: (1 + R²/δ²)^(−3/2)). The paper's statement of this
/// extension could not be confirmed (docs/CLAIMS.md); this is the derivation's prediction.
public struct PseudoHuberStudy: MeasuredStudy {
    public struct Sizes: Hashable, Sendable {
        public var count: Int
        public var dimension: Int
        public var width: Int
        public var learningRate: Double
        public var delta: Double
        public var steps: Int
        public var dataSeed: UInt64
        public var initSeed: UInt64

        public init(count: Int = 20, dimension: Int = 10, width: Int, learningRate: Double = 0.5, delta: Double = 0.5,
                    steps: Int = 30, dataSeed: UInt64 = 0, initSeed: UInt64 = 0) {
            self.count = count
            self.dimension = dimension
            self.width = width
            self.learningRate = learningRate
            self.delta = delta
            self.steps = steps
            self.dataSeed = dataSeed
            self.initSeed = initSeed
        }

        public static let full = Sizes(width: 10_000)
        public static let quick = Sizes(width: 2000)
    }

    public struct Measurements: Hashable, Sendable {
        public var learningRate: Double
        public var delta: Double
        /// Per step k (0..<K): cos∠(u_{k+1} − u_k, −∇_uL(u_k)) and ‖u_{k+1} − u_k‖/(η‖∇_uL(u_k)‖).
        public var cosines: [Double]
        public var lengthRatios: [Double]
        /// L(u_k) measured and from the output-space recursion started at r₀, k = 0…K.
        public var losses: [Double]
        public var predictedLosses: [Double]
        /// Per step k: L after one output-space step r_k − η∇ℓ(r_k) from the measured r_k.
        public var oneStepPredicted: [Double]
        /// Per step k: μ_k = (1 + R_k²/δ²)^(−3/2), the strong convexity on |r| ≤ R_k = max_i |r_i(k)|.
        public var strongConvexity: [Double]
        /// The sizes the run used, and whether they were the quick ones (a claim then notes what it needs).
        public var sizes = Sizes.full
        public var quick = false
    }

    public var sizes: Sizes?
    public init(sizes: Sizes? = nil) { self.sizes = sizes }
    public var id: String { "pseudo-huber" }

    public func measure(in context: StudyContext) throws -> Measurements {
        let s = sizes ?? context.settings.size(full: .full, quick: .quick)
        let request = DatasetRequest(kind: .synthetic, count: s.count, dimension: s.dimension, seed: s.dataSeed)
        let dataset = try context.dataset(request)
        let config = TrainingConfig(width: s.width, seed: s.initSeed, optimizer: .ngd,
                                    learningRate: .fixed(s.learningRate), loss: .pseudoHuber, huberDelta: s.delta,
                                    steps: s.steps, recordOutputs: true)
        let run = try context.train(config, on: request, label: "pseudo-Huber: NGD")
        var m = try Self.measure(run, targets: dataset.targets, learningRate: s.learningRate, delta: s.delta)
        m.sizes = s
        m.quick = context.settings.quick
        return m
    }

    public func evaluate(_ m: Measurements) -> [ClaimOutcome] { Self.evaluate(m, quick: m.quick) }

    public func write(_ m: Measurements) -> StudyOutcome {
        let s = m.sizes
        var outcome = StudyOutcome(
            id: id, title: "General losses: NGD on pseudo-Huber is gradient descent in output space",
            blocks: blocks(s, m),
            settings: [
                ("data", "synthetic n = \(s.count), d = \(s.dimension), y ~ N(0, 1), data seed \(s.dataSeed)"),
                ("width m, ν, init seed", "\(s.width), 1, \(s.initSeed)"),
                ("loss", "pseudo-Huber Σ δ²(√(1 + (r/δ)²) − 1), δ = \(formatMeasure(s.delta))"),
                ("NGD", "θ ← θ − ηJᵀ(JJᵀ)⁻¹∇_uL, η = \(formatMeasure(s.learningRate)) (given), "
                    + "undamped, \(s.steps) steps"),
            ])
        outcome.caveats = [
            "General losses: the paper's general-loss theorem could not be confirmed (docs/CLAIMS.md); the "
                + "pseudo-Huber "
                + "study checks the derivation of variant (a), Δu ≈ −η∇_uL, with δ = \(formatMeasure(s.delta)).",
        ]
        outcome.tolerances = [Self.cancellation]
        return outcome
    }

    /// Δu = u_{k+1} − u_k is a difference of outputs of size 1: by step 30 it is ~1e-9 of them, so only its first
    /// ~7 digits are the run's and the rest are rounding, which another BLAS kernel changes.
    static let cancellation = DeclaredTolerance(
        files: ["figures/pseudo-huber-direction*", "data/pseudo-huber-direction.json"], relative: 1e-5,
        absolute: 1e-12, reason: "Δu = u_{k+1} − u_k cancels all but the last digits of outputs of size 1 once the "
            + "residual is 1e-9 of them, so its direction and length keep fewer digits (measured: 4e-9 relative)")

    static func measure(_ run: TrainingRun, targets: Matrix, learningRate eta: Double, delta: Double) throws -> Measurements {
        let loss = Loss(.pseudoHuber, delta: delta)
        let outputs = run.steps.compactMap(\.outputs)
        guard outputs.count == run.steps.count, outputs.count >= 2 else {
            throw NGDError("pseudo-huber", "the run did not record its outputs")
        }
        // Per step: direction and length of Δu against −η∇_uL, the loss after one exact output-space step from the
        // measured r_k, and the strong convexity μ_k on the current residual range.
        var cosines: [Double] = [], lengths: [Double] = [], oneStep: [Double] = [], mu: [Double] = []
        for k in 0..<(outputs.count - 1) {
            let r = PaperAnalysis.difference(outputs[k].storage, targets.storage)
            guard let residual = Matrix(rows: targets.rows, columns: targets.columns, storage: r) else { continue }
            let gradient = loss.gradient(residuals: residual).storage
            let step = PaperAnalysis.difference(outputs[k + 1].storage, outputs[k].storage)
            cosines.append(-StudyMath.cosine(step, gradient))
            lengths.append(PaperAnalysis.norm(step) / (eta * PaperAnalysis.norm(gradient)))
            let next = zip(r, gradient).map { $0 - eta * $1 }
            guard let stepped = Matrix(rows: targets.rows, columns: targets.columns, storage: next) else { continue }
            oneStep.append(loss.value(residuals: stepped))
            let radius = r.map(abs).max() ?? 0
            mu.append(pow(1 + radius * radius / (delta * delta), -1.5))
        }
        // The output-space recursion r ← r − η∇ℓ(r), example by example, from the measured r₀.
        var r = PaperAnalysis.difference(outputs[0].storage, targets.storage)
        var predicted: [Double] = []
        for _ in 0..<outputs.count {
            guard let residual = Matrix(rows: targets.rows, columns: targets.columns, storage: r) else { break }
            predicted.append(loss.value(residuals: residual))
            r = zip(r, loss.gradient(residuals: residual).storage).map { $0 - eta * $1 }
        }
        return Measurements(learningRate: eta, delta: delta, cosines: cosines, lengthRatios: lengths,
                            losses: run.steps.map(\.loss), predictedLosses: predicted, oneStepPredicted: oneStep,
                            strongConvexity: mu)
    }

    public static func evaluate(_ m: Measurements, quick: Bool) -> [ClaimOutcome] {
        let source = "docs/CLAIMS.md huber-*, variant (a) (derived; the paper's general-loss theorem is unconfirmed)"
        var direction = Claim.atLeast(
            id: "huber-direction", statement: "Each NGD step on pseudo-Huber moves the outputs along −∇_uL",
            source: source, expression: "min_k cos∠(u_{k+1} − u_k, −∇_uL(u_k))", measured: m.cosines.min() ?? .nan,
            bound: 0.99, tolerance: 0, detail: "Cosines per step: \(formatMeasures(m.cosines.prefix(8).map { $0 }))….")
        direction = Claim.noteQuickSize(direction, quick: quick, needs: "m = \(Sizes.full.width)")
        var length = Claim.atMost(
            id: "huber-length", statement: "Each NGD step's output change has length η‖∇_uL‖",
            source: source, expression: "max_k |‖u_{k+1} − u_k‖/(η‖∇_uL‖) − 1|",
            measured: m.lengthRatios.map { abs($0 - 1) }.max() ?? .nan, bound: 0.05,
            tolerance: 0, detail: "Ratios per step: \(formatMeasures(m.lengthRatios.prefix(8).map { $0 }))….")
        length = Claim.noteQuickSize(length, quick: quick, needs: "m = \(Sizes.full.width)")

        // L_{k+1} ≤ (1 − ημ_k) L_k at every step, μ_k the strong convexity on the current residual range.
        let steps = min(m.losses.count - 1, m.strongConvexity.count)
        let excess = (0..<steps).map { k in (m.losses[k + 1] / m.losses[k]) / (1 - m.learningRate * m.strongConvexity[k]) }
        let linear = Claim.atMost(
            id: "huber-linear-rate", statement: "L − L* decreases linearly: L_{k+1} ≤ (1 − ημ_k) L_k, μ_k the strong "
                + "convexity "
                + "of pseudo-Huber on |r| ≤ max_i |r_i(k)| (L* = 0)",
            source: source, expression: "max_k (L_{k+1}/L_k) / (1 − ημ_k)", measured: excess.max() ?? .nan, bound: 1,
            tolerance: 0, detail: "μ_k from \(formatMeasure(m.strongConvexity.first ?? .nan)) to "
                + "\(formatMeasure(m.strongConvexity.last ?? .nan)); L₀ = \(formatMeasure(m.losses.first ?? .nan)), "
                + "L_K = \(formatMeasure(m.losses.last ?? .nan)).")
        let deviations = (0..<min(m.losses.count - 1, m.oneStepPredicted.count)).map { k in
            abs(m.losses[k + 1] - m.oneStepPredicted[k]) / m.oneStepPredicted[k]
        }
        var recursion = Claim.atMost(
            id: "huber-recursion", statement: "Each step's loss is the loss after one output-space gradient step "
                + "r_k − η∇ℓ(r_k) from the measured r_k",
            source: source, expression: "max_k |L_{k+1} − L(r_k − η∇ℓ(r_k))| / L(r_k − η∇ℓ(r_k))",
            measured: deviations.max() ?? .nan, bound: 0.05,
            tolerance: 0, detail: "Over \(deviations.count) steps. The recursion run from r₀ alone (dashed in the "
                + "figure) ends at L_K = "
                + "\(formatMeasure(m.predictedLosses.last ?? .nan)) vs measured "
                    + "\(formatMeasure(m.losses.last ?? .nan)).")
        recursion = Claim.noteQuickSize(recursion, quick: quick, needs: "m = \(Sizes.full.width)")
        return [direction, length, linear, recursion]
    }

    private func blocks(_ s: Sizes, _ m: Measurements) -> [StudyBlock] {
        let ks = m.losses.indices.map(Double.init)
        let mu0 = m.strongConvexity.first ?? .nan
        let rate = 1 - m.learningRate * mu0
        let lossFigure = PaperAnalysis.figure(
            id: "pseudo-huber-loss", title: "NGD on the pseudo-Huber loss",
            caption: "Pseudo-Huber loss L_k (δ = \(formatMeasure(s.delta)); L* = 0) along NGD (η = "
                + "\(formatMeasure(s.learningRate))) on n = \(s.count) unit points in R^\(s.dimension), m = "
                    + "\(s.width), "
                + "ν = 1. Dashed: the output-space recursion r ← r − η∇ℓ(r) started from the measured r₀, and the "
                    + "linear "
                + "bound (1 − ημ₀)^k L₀ with μ₀ = \(formatMeasure(mu0)) on the initial residual range (the claim uses "
                    + "the local "
                + "μ_k of each step).",
            x: "step k", y: "L_k", yScale: .log10, series: [
                PaperAnalysis.measured("NGD (network)", x: ks, y: m.losses),
                PaperAnalysis.theory("output-space recursion", x: ks, y: m.predictedLosses),
                PaperAnalysis.theory("(1 − ημ₀)^k L₀", x: ks, y: ks.map { pow(rate, $0) * (m.losses.first ?? .nan) }),
            ])
        let steps = m.cosines.indices.map(Double.init)
        let directionFigure = PaperAnalysis.figure(
            id: "pseudo-huber-direction", title: "Direction and length of each NGD step in output space",
            caption: "cos∠(u_{k+1} − u_k, −∇_uL(u_k)) and ‖u_{k+1} − u_k‖/(η‖∇_uL(u_k)‖) per step for the run of the "
                + "previous figure. Dashed: 1, their value for exact gradient descent in output space.",
            x: "step k", y: "value", series: [
                PaperAnalysis.measured("cosine", x: steps, y: m.cosines, style: .points),
                PaperAnalysis.measured("length ratio", x: steps, y: m.lengthRatios, style: .points),
                PaperAnalysis.theory("1", x: steps, y: steps.map { _ in 1 }),
            ])
        return [
            .paragraph("For a loss other than ½‖u − y‖² the natural-gradient step with the Gauss–Newton metric JᵀJ and "
                + "gradient Jᵀ∇_uL is θ ← θ − ηJᵀ(JJᵀ)⁻¹∇_uL; linearised, the outputs move by Δu = −η∇_uL — gradient "
                + "descent on L in output space, whatever G is. On a μ-strongly convex, β-smooth loss this converges "
                + "linearly at a rate set by the loss (1 − ημ for η ≤ 1/β), not by λ₀. Pseudo-Huber is quadratic near "
                    + "0 "
                + "and linear in the tails (β = 1; μ = (1 + R²/δ²)^(−3/2) on |r| ≤ R), so the early steps, with large "
                + "residuals, are slower than squared-loss NGD and the rate speeds up as the residuals enter the "
                    + "quadratic "
                + "zone. The paper's own statement of this extension could not be confirmed; we check the derivation."),
            .figure(lossFigure),
            .figure(directionFigure),
        ]
    }
}
