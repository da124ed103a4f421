import Foundation
import NGD

/// The paper's Figure 1 (claim 15): one update at random initialisation of the real two-layer network, drawn in
/// the two-dimensional output space of a 4-vs-9 regression. NGD's output change Δu_i points at the example's own
/// target (cos∠(Δu_i, y_i − u_i) ≈ 1); GD's is a mixture of all examples' residuals through G₀ and points
/// elsewhere. Also the multi-step trajectories and the histogram of both cosines, and the NGD cosine vs width.
public struct Figure1Study: MeasuredStudy {
    public let id = "figure1"
    public init() {}

    /// NGD's median cosine must exceed this at the default width (claim 15).
    static let cosineThreshold = 0.99
    /// GD's cosines count as "spread out" when their interquartile range exceeds this.
    static let gdSpreadThreshold = 0.05

    static let width = 4096, steps = 5

    public struct Measurements {
        var result: Figure1Result
        /// The request's own count per class ("all" when not limited), for the text.
        var perClass: String
        var dimension: Int
        var mnistDirectory: String?
        /// NGD's and GD's median cosine per width of the sweep (one update each).
        var sweepWidths: [Int] = []
        var sweepMedians: [Double] = [], sweepGD: [Double] = []
    }

    public func measure(in context: StudyContext) throws -> Measurements {
        let settings = context.settings
        let data = Figure1Request.defaultData(mnistDirectory: settings.mnistDirectory)
        let width = Self.width
        let request = Figure1Request(data: data, width: width, seed: 0, ngdLearningRate: 0.5, steps: Self.steps)
        let result = try Figure1Computation.compute(request, in: context)
        var m = Measurements(result: result, perClass: data.perClass.map(String.init) ?? "all",
                             dimension: try context.dataset(data).dimension, mnistDirectory: settings.mnistDirectory)
        // NGD's alignment vs width: one update each, same data and seed.
        m.sweepWidths = settings.size(full: [256, 1024, 4096, 16384], quick: [256, 1024, 4096])
        for hidden in m.sweepWidths {
            let point = hidden == width ? result
                : try Figure1Computation.compute(Figure1Request(data: data, width: hidden, seed: 0, steps: 1),
                                                 in: context)
            m.sweepMedians.append(StudyMath.median(point.ngd.cosines))
            m.sweepGD.append(StudyMath.median(point.gd.cosines))
        }
        return m
    }

    public func evaluate(_ m: Measurements) -> [ClaimOutcome] {
        Self.claims(ngdCosines: m.result.ngd.cosines, gdCosines: m.result.gd.cosines, width: Self.width)
    }

    public func write(_ m: Measurements) -> StudyOutcome {
        let result = m.result
        var blocks = Self.introduction(m)
        for figure in Self.figures(result, sweepWidths: m.sweepWidths, sweepMedians: m.sweepMedians,
                                   sweepGD: m.sweepGD) {
            blocks.append(.figure(figure))
        }
        let worst = Self.worstAligned(result)
        blocks.append(.paragraph("The least aligned NGD example (#\(worst.index), cos = "
            + "\(formatMeasure(worst.cosine, significantDigits: 3))) is the one whose output already sits near its "
            + "target: ‖y_i − u_i‖ = \(formatMeasure(worst.residual, significantDigits: 3)) against a median of "
            + "\(formatMeasure(worst.medianResidual, significantDigits: 3)) over the examples. Its deviation from the "
            + "linear-theory step, ‖Δu_i − η(y_i − u_i)‖ = \(formatMeasure(worst.error, significantDigits: 3)), is of "
            + "the same size as everyone else's (median \(formatMeasure(worst.medianError, significantDigits: 3))), "
            + "but relative to its tiny intended step it turns the direction around: the "
            + "cosine is ill-conditioned when y_i ≈ u_i."))
        blocks.append(.paragraph("NGD's median cosine at widths \(m.sweepWidths.map(String.init).joined(separator: ", ")): "
            + m.sweepMedians.map { formatMeasure($0, significantDigits: 5) }.joined(separator: ", ")
            + ". The gap 1 − cos shrinks with m because the only deviation from the output-space step "
            + "Δu = −η(u − y) is the change of the activation pattern during the step."))

        let width = Self.width
        let settingsRows: [(String, String)] = [
            ("data", "\(result.datasetName): \(m.mnistDirectory == nil ? "embedded UCI digits" : "MNIST")"),
            ("n, d, k", "\(result.outputs.count), \(m.dimension), 2"),
            ("targets", "onehot − 0.5 + 0.3·N(0, I₂) (operator “−”: our reading of the caption), data seed 0"),
            ("width m, ν", "\(width), 1 (first layer trained, a_r ∈ {±1}² fixed)"),
            ("NGD η", "0.5 (given: the arrow covers half the way in the linear theory), undamped"),
            ("GD η", "\(formatMeasure(result.gd.learningRate, significantDigits: 5)) = 1/λ_max(G₀)"),
            ("network seed", "0"),
            ("steps", "1 for the arrows; \(Self.steps) for the trajectories"),
            ("width sweep (NGD cosine)", m.sweepWidths.map(String.init).joined(separator: ", ")),
        ]
        var outcome = StudyOutcome(id: id, title: "The paper's Figure 1: NGD and GD steps in output space",
                                   blocks: blocks, settings: settingsRows)
        outcome.caveats = [
            "NGD's arrows point at the targets only up to the activation-pattern change during the step: median "
                + "1 − cos = \(formatMeasure(1 - (m.sweepMedians.first ?? .nan), significantDigits: 3)) at "
                + "m = \(m.sweepWidths.first ?? 0) and "
                + "\(formatMeasure(1 - (m.sweepMedians.last ?? .nan), significantDigits: 3)) at "
                + "m = \(m.sweepWidths.last ?? 0).",
            "The paper does not give Figure 1's width, number of points, step sizes or arrow scaling; ours "
                + "(m = \(width), \(m.perClass) per class, NGD η = 0.5, GD η = 1/λ_max(G₀), arrows = the real Δu) "
                + "are stated choices."
                + (m.mnistDirectory == nil ? " The data are the 8×8 UCI digits, not MNIST." : ""),
        ]
        return outcome
    }

    /// The two paragraphs before the figures: the data and the set-up, then both methods' cosines.
    private static func introduction(_ m: Measurements) -> [StudyBlock] {
        let result = m.result
        let source = m.mnistDirectory == nil
            ? "the embedded UCI 8×8 digits (scikit-learn's copy, 64 pixels) — no MNIST directory was given "
                + "(pass --mnist-dir or set NGD_MNIST_DIR for MNIST)"
            : "MNIST images (784 pixels; \(PaperReport.mnistFiles))"
        let n = result.outputs.count, perClass = m.perClass
        let ngdStats = stats(result.ngd.cosines), gdStats = stats(result.gd.cosines)
        func number(_ value: Double, _ digits: Int) -> String { formatMeasure(value, significantDigits: digits) }
        return [
            .paragraph("The paper's Figure 1 shows, for a randomly initialised network, where one NGD update and one "
                + "GD update move each training example's output. Data: \(source); \(n) examples (\(perClass) of "
                + "class 4, \(perClass) of class 9), inputs scaled to unit norm. Targets y_i = onehot(class_i) − 0.5 + "
                + "0.3·ε_i, ε_i ~ N(0, I₂), one draw per example — the caption's operator between the one-hot vector "
                + "and 0.5 was lost in extraction; “−” is our reading (it centres the targets at (±0.5, ∓0.5) around "
                + "the outputs at initialisation). Network: two outputs, m = \(width), ν = 1, first layer trained. "
                + "Both methods start from the same initialisation; Δu_i = u₁ − u₀ is the real network's change, not "
                + "the linearisation."),
            .paragraph("NGD (η = 0.5) moves every output about half-way straight at its own target: median "
                + "cos∠(Δu_i, y_i − u_i) = \(number(ngdStats.median, 6)) (min \(number(ngdStats.min, 6))). "
                + "GD (η = 1/λ_max(G₀) = \(number(result.gd.learningRate, 3))) moves each output along "
                + "−η Σ_j (G₀)_ij (u_j − y_j), a mixture of all residuals: its cosines have median "
                + "\(number(gdStats.median, 3)), minimum \(number(gdStats.min, 3)) and interquartile range "
                + "\(number(gdStats.iqr, 3)) (quartiles \(number(gdStats.q1, 3)) – \(number(gdStats.q3, 3))). "
                + "λ_min(G₀) = \(number(result.gramLambdaMin, 3)), λ_max(G₀) = \(number(result.gramLambdaMax, 3)) "
                + "(G₀ is 2n × 2n), λ₀ = \(number(result.lambda0, 3))."),
        ]
    }

    /// The NGD example with the smallest cosine, its residual and its deviation ‖Δu_i − η(y_i − u_i)‖ from the
    /// linear-theory step, beside the medians of both over the examples.
    static func worstAligned(_ result: Figure1Result) -> (index: Int, cosine: Double, residual: Double, medianResidual: Double,
                                                        error: Double, medianError: Double) {
        let eta = result.ngd.learningRate
        var residuals: [Double] = [], errors: [Double] = []
        for i in result.outputs.indices {
            let r = zip(result.targets[i], result.outputs[i]).map { $0 - $1 }
            residuals.append(r.reduce(0) { $0 + $1 * $1 }.squareRoot())
            errors.append(zip(result.ngd.displacement[i], r).map { $0 - eta * $1 }.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
        let index = result.ngd.cosines.indices.min { result.ngd.cosines[$0] < result.ngd.cosines[$1] } ?? 0
        return (index, result.ngd.cosines[index], residuals[index], StudyMath.median(residuals), errors[index],
                StudyMath.median(errors))
    }

    struct CosineStats {
        var min: Double, q1: Double, median: Double, q3: Double
        var iqr: Double { q3 - q1 }
    }

    static func stats(_ values: [Double]) -> CosineStats {
        CosineStats(min: values.min() ?? .nan, q1: StudyMath.quantile(values, 0.25),
                    median: StudyMath.median(values), q3: StudyMath.quantile(values, 0.75))
    }

    /// Claim 15 from the two lists of cosines.
    static func claims(ngdCosines: [Double], gdCosines: [Double], width: Int) -> [ClaimOutcome] {
        let ngd = stats(ngdCosines), gd = stats(gdCosines)
        return [
            Claim.atLeast(id: "15a", statement: "NGD's one-step output change points at each example's own target: "
                + "median "
                                + "cos∠(Δu_i, y_i − u_i) > 0.99 (m = \(width))",
                               expression: "median_i cos∠(Δu_i^NGD, y_i − u_i)", measured: ngd.median,
                               bound: cosineThreshold, note: "min \(formatMeasure(ngd.min))"),
            Claim.atLeast(id: "15b", statement: "GD's one-step output changes are spread out in direction: the "
                + "interquartile range "
                                + "of cos∠(Δu_i, y_i − u_i) exceeds \(gdSpreadThreshold) (our threshold for “spread”)",
                               expression: "IQR_i cos∠(Δu_i^GD, y_i − u_i)", measured: gd.iqr, bound: gdSpreadThreshold,
                               note: "GD min \(formatMeasure(gd.min)), median \(formatMeasure(gd.median)); NGD IQR "
                                   + "\(formatMeasure(ngd.iqr))"),
        ]
    }

    /// The paper's figure (what `ngd figure1` draws) as NGD | GD panels sharing both axes: outputs by class and
    /// targets as stars in both, each method's arrows (one per example and update, all `request.steps` updates)
    /// in its own panel. Equal axis scales.
    public static func combinedFigure(_ result: Figure1Result, widthInches: Double = 5.5, heightInches: Double = 4.2) -> FigureData {
        let steps = result.ngd.trajectory.count - 1
        var figure = scatter(result, id: "figure1", caption: "\(steps == 1 ? "One NGD and one GD update" : "\(steps) NGD and GD updates") "
            + "at initialisation in output space (\(result.datasetName), m = \(result.request.width), ν = "
                + "\(formatMeasure(result.request.initScale, significantDigits: 3))). "
            + "Dots: outputs u_i by class; stars: targets y_i = onehot − 0.5 + 0.3·N(0, I₂); arrows: the real "
                + "network's "
            + "output changes, NGD η = \(formatMeasure(result.ngd.learningRate, significantDigits: 3)), GD η = "
                + "\(formatMeasure(result.gd.learningRate, significantDigits: 3)) "
            + "(\(result.gd.learningRateRule == "given" ? "given" : "1/λ_max(G₀)")).")
        figure.widthInches = widthInches
        figure.heightInches = heightInches
        figure.arrows = arrows(result, result.ngd, steps: steps) + arrows(result, result.gd, steps: steps)
        return figure
    }

    static func scatter(_ result: Figure1Result, id: String, caption: String) -> FigureData {
        let classes = result.classes ?? Array(repeating: 0, count: result.outputs.count)
        let names = result.request.data.classes
        let labelled = result.classes != nil && names.count == 2
        var figure = FigureData.panel(id: id, kind: .outputSpace, caption: caption,
                                      x: labelled ? "output u₁ (class \(names[0]) axis)" : "output u₁",
                                      y: labelled ? "output u₂ (class \(names[1]) axis)" : "output "
                                          + "u₂", width: 5.5, height: 4.2)
        figure.equalAspect = true
        for name in Array(Set(classes)).sorted() {
            let members = classes.indices.filter { classes[$0] == name }
            let label = result.classes == nil ? "" : " (class \(name))"
            figure.add("output u_i\(label)", .measured, .points, x: members.map { result.outputs[$0][0] },
                       y: members.map { result.outputs[$0][1] })
            figure.add("target y_i\(label)", .measured, .star, x: members.map { result.targets[$0][0] },
                       y: members.map { result.targets[$0][1] })
        }
        return figure
    }

    /// One arrow per example and update, for the first `steps` updates of `method`, in the method's panel.
    static func arrows(_ result: Figure1Result, _ method: Figure1Method, steps: Int) -> [FigureData.Arrow] {
        var list: [FigureData.Arrow] = []
        let label = "\(method.name) (η = \(formatMeasure(method.learningRate, significantDigits: 3)))"
        for k in 0..<min(steps, method.trajectory.count - 1) {
            for i in result.outputs.indices {
                let a = method.trajectory[k][i], b = method.trajectory[k + 1][i]
                list.append(FigureData.Arrow(group: label, x0: a[0], y0: a[1], x1: b[0], y1: b[1], panel: method.name))
            }
        }
        return list
    }

    static func figures(_ result: Figure1Result, sweepWidths: [Int], sweepMedians: [Double],
                        sweepGD: [Double]) -> [FigureData] {
        let sizes = "n = \(result.outputs.count), m = \(result.request.width), ν = 1"
        func scatter(id: String, caption: String) -> FigureData { Self.scatter(result, id: id, caption: caption) }
        func arrows(_ method: Figure1Method, step: Int? = nil) -> [FigureData.Arrow] {
            Self.arrows(result, method, steps: step ?? 1)
        }

        var updates = scatter(id: "figure1",
            caption: "One update at initialisation in output space (\(sizes)), NGD (left, "
            + "η = 0.5) and GD (right, η = 1/λ_max(G₀) = "
            + "\(formatMeasure(result.gd.learningRate, significantDigits: 3))), "
            + "from the same outputs. Dots: outputs u_i by class; stars: targets y_i = onehot − 0.5 + 0.3·N(0, I₂); "
            + "arrows: Δu_i = u₁ − u₀ of the real network. Shared, equal axis scales.")
        updates.heightInches = 3
        updates.arrows = arrows(result.ngd) + arrows(result.gd)
        let steps = result.ngd.trajectory.count - 1
        var trajectories = scatter(id: "figure1-trajectories", caption: "Extension: \(steps) updates of each method "
            + "from the "
            + "same initialisation (\(sizes)); each arrow is one update of one example's output. NGD (η = 0.5) walks "
            + "straight to the targets, halving the distance per step (left); GD (η = 1/λ_max(G₀)) follows the "
            + "eigenmodes of G₀ (right).")
        trajectories.heightInches = 3
        trajectories.arrows = arrows(result.ngd, step: steps) + arrows(result.gd, step: steps)

        var histogram = FigureData.panel(id: "figure1-cosines", kind: .histogram,
                                         caption: "Histogram of cos∠(Δu_i, y_i − u_i) over the \(result.outputs.count) "
                                             + "examples for "
                                            + "one update at initialisation (\(sizes)); 20 bins on [−1, 1]. NGD's "
                                                + "cosines "
                                            + "sit in the last bin; GD's are spread.",
                                         x: "cos∠(Δu_i, y_i − u_i)", y: "examples", width: 5.5, height: 3)
        for method in [result.ngd, result.gd] {
            let bins = HistogramBins(method.cosines, bins: 20, lower: -1, upper: 1)
            histogram.add("\(method.name) (η = "
                + "\(formatMeasure(method.learningRate, significantDigits: 3)))", .measured, .bars,
                          x: bins.centres, y: bins.counts, edges: bins.edges)
        }

        var sweep = FigureData.panel(id: "figure1-width", kind: .widthSweep,
                                     caption: "Median over the examples of 1 − cos∠(Δu_i, y_i − u_i) for one update at "
                                        + "initialisation vs width m (same data and seed). NGD's gap to perfect "
                                            + "alignment "
                                        + "shrinks with m; GD's stays O(1).",
                                     x: "width m", xScale: .log10, y: "1 − median "
                                         + "cos", yScale: .log10, width: 5.5, height: 3)
        let xs = sweepWidths.map(Double.init)
        sweep.add("NGD (η = 0.5)", .measured, .line, x: xs, y: sweepMedians.map { max(1 - $0, 1e-16) })
        sweep.add("GD (η = 1/λ_max(G₀))", .measured, .line, x: xs, y: sweepGD.map { max(1 - $0, 1e-16) })
        return [updates, trajectories, histogram, sweep]
    }
}
