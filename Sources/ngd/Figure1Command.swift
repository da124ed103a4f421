import ArgumentParser
import Foundation
import NGD
import Render
import Report

/// `ngd figure1`: the paper's Figure 1 as one figure file plus a CSV with one row per example.
struct Figure1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure1",
        abstract: "Draw the paper's Figure 1: one NGD and one GD step at initialisation in the 2-D output space.",
        discussion: """
        Targets are onehot − 0.5 + 0.3·N(0, I₂) (our reading of the caption's lost operator). Writes FILE and FILE's \
        stem + .csv with the columns example, class, u1, u2, y1, y2, ngd_du1, ngd_du2, gd_du1, gd_du2, the cosines, and \
        with --steps K > 1 the trajectories (ngd_u1_k, ngd_u2_k, gd_u1_k, gd_u2_k).
        """)

    enum Source: String, ExpressibleByArgument, CaseIterable { case digits, mnist, synthetic }

    @Option(help: "Data: digits (embedded UCI 8×8), mnist or synthetic.")
    var dataset: Source = .digits

    @Option(name: .customLong("mnist-dir"), help: "MNIST directory (default: $NGD_MNIST_DIR).")
    var mnistDirectory: String?

    @Option(name: .customLong("per-class"), help: "Examples per class (4 and 9); synthetic: n = 2 × this.")
    var perClass: Int = 10

    @Option(help: "Hidden units m.")
    var width: Int = TrainingConfig.defaultWidth

    @Option(help: "Hidden layers L (1 = the paper's two-layer network; docs/DEEP.md).")
    var depth: Int = 1

    @Option(help: "Seed of the network initialisation and of the data draw.")
    var seed: UInt64 = 0

    @Option(name: .customLong("lr-ngd"), help: "NGD step size η.")
    var ngdLearningRate: Double = TrainingConfig.defaultScaleFreeLearningRate

    @Option(name: .customLong("lr-gd"), help: "GD step size η (default 1/λ_max(G₀)).")
    var gdLearningRate: Double?

    @Option(help: "Updates drawn per example (1 = the paper's single step; at most 10000).")
    var steps: Int = 1

    @OptionGroup var figureOptions: FigureOptions

    func checkOptions() throws {
        guard perClass > 0 else { throw NGDError("--per-class", "expected a positive number, got "
            + "\(perClass)", usage: true) }
        guard width > 0 else { throw NGDError("--width", "expected a positive width, got \(width)", usage: true) }
        try TrainingConfig(width: width, depth: depth).validate()
        guard steps >= 1 else { throw NGDError("--steps", "expected at least one step, got \(steps)", usage: true) }
        try ResourceLimits.checkLimit(perClass, option: "--per-class", maximum: ResourceLimits.maximumExamples / 2,
                                      what: "examples per class")
        try ResourceLimits.checkLimit(width, option: "--width", maximum: ResourceLimits.maximumWidth, what: "hidden "
            + "units")
        try ResourceLimits.checkLimit(steps, option: "--steps", maximum: ResourceLimits.maximumFigure1Steps, what: "steps")
        guard ngdLearningRate > 0, ngdLearningRate.isFinite else {
            throw NGDError("--lr-ngd", "expected a positive step size, got \(ngdLearningRate)", usage: true)
        }
        if let eta = gdLearningRate, !(eta > 0 && eta.isFinite) {
            throw NGDError("--lr-gd", "expected a positive step size, got \(eta)", usage: true)
        }
        _ = try figureOptions.format()
    }

    /// The memory of one of the figure's runs (NGD and GD run one after the other), recording the outputs at every step.
    private func checkMemory(examples: Int, dimension: Int) throws {
        let config = TrainingConfig(width: width, outputs: 2, steps: steps, recordOutputs: true, depth: depth)
        let shape = ResourceLimits.RunShape(
            config: config, examples: examples, dimension: dimension,
            examplesCause: .init(source: "--per-class", subject: "\(examples) examples (2 × --per-class)"))
        try ResourceLimits.current().check(shape)
    }

    func run() throws {
        try checkOptions()   // in run(), so NGD's usage errors keep their exit code 2
        let (out, csvPath) = (figureOptions.out, figureOptions.csvPath)
        let data: DatasetRequest
        switch dataset {
        case .digits:
            data = Figure1Request.defaultData(mnistDirectory: nil, perClass: perClass, seed: seed)
        case .mnist:
            guard let directory = mnistDirectory ?? ProcessInfo.processInfo.environment["NGD_MNIST_DIR"] else {
                throw NGDError("--mnist-dir", "mnist needs --mnist-dir DIR or NGD_MNIST_DIR", usage: true)
            }
            data = Figure1Request.defaultData(mnistDirectory: directory, perClass: perClass, seed: seed)
        case .synthetic:
            data = DatasetRequest(kind: .synthetic, count: 2 * perClass, dimension: 16, outputs: 2, seed: seed)
        }
        // Both outputs are checked before anything is computed; the CSV beside the figure is replaced only when
        // ngd wrote it (its first line is the header below).
        let inputs = CommandOutput.inputs(of: data)
        try CommandOutput.check(out, inputs: inputs)
        try CommandErrors.translating {
            try OutputLocation.checkSidecar(csvPath, of: out, header: Self.csvHeader, inputs: inputs)
        }
        let request = Figure1Request(data: data, width: width, seed: seed, ngdLearningRate: ngdLearningRate,
                                     gdLearningRate: gdLearningRate, steps: steps, depth: depth)
        try checkMemory(examples: 2 * perClass, dimension: dataset == .synthetic ? 16 : dataset == .mnist ? 784 : 64)
        let context = StudyContext(settings: PaperSettings(), cacheDirectory: nil)
        let result = try Figure1Computation.compute(request, in: context)
        let figureSize = figureOptions.size.size(aspect: Self.aspect)
        let figure = Figure1Study.combinedFigure(result, widthInches: figureSize.width, heightInches: figureSize.height)

        try CommandOutput.write(Data(result.csv.utf8), to: csvPath, inputs: inputs)
        let renderer = CairoFigureRenderer(theme: figureOptions.theme.theme)
        if try figureOptions.format() == "pgf" {
            let stem = ((out as NSString).lastPathComponent as NSString).deletingPathExtension
            let pgf = try CommandErrors.translating {
                try CairoFigureRenderer.figure(for: figure, theme: renderer.theme).pgf(imageStem: stem)
            }
            for image in pgf.images {
                try CommandOutput.write(image.png, to: ((out as NSString).deletingLastPathComponent as NSString)
                    .appendingPathComponent(image.name), inputs: inputs)
            }
            try CommandOutput.write(Data(pgf.text.utf8), to: out, inputs: inputs)
            return
        }
        let drawing = try CommandErrors.translating { try renderer.render(figure, idPrefix: "figure1-") }
        let bytes: Data
        switch try figureOptions.format() {
        case "pdf": bytes = drawing.pdf
        case "svg": bytes = drawing.svg
        default: bytes = drawing.png
        }
        try CommandOutput.write(bytes, to: out, inputs: inputs)
    }

    /// Figure 1 is one output-space panel with equal axis scales: nearly square whatever the preset's width
    /// (5.5 × 4.2 in at the NeurIPS width), not a preset's plot aspect.
    static let aspect = 4.2 / 5.5

    /// How every CSV `ngd figure1` writes begins (`Figure1Result.csv`): what marks the file beside the figure as ngd's.
    static let csvHeader = "example,class,u1,u2,y1,y2,ngd_du1,ngd_du2,gd_du1,gd_du2,"
}
