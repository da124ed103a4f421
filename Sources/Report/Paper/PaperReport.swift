import Foundation
import NGD

/// `ngd paper`: runs every study of the paper reproduction, numbers the figures, assembles one `ReportDocument`
/// (introduction, claims, one section per study with its settings table, finite-width effects and deviations) and
/// writes the output directory through the Report module's own path: staging directory + atomic swap, the run
/// cache in `runs/`, figures through the `FigureRenderer` seam, `HTMLReportWriter`, the optional `ReportPDFWriter`,
/// `manifest.json` with the SHA-256 of every file, and the wall time only in `timing.json`.
public struct PaperReport {
    /// How the report names MNIST: by its files, which manifest.json records with their sizes and SHA-256, not by
    /// the directory they were read from (a path of this machine; `ngd verify --mnist-dir` may read them elsewhere).
    static let mnistFiles = "the t10k test set given by --mnist-dir; manifest.json records its files' SHA-256"

    /// Every study of the report, in report order. Adding a study is one line here.
    public static var allStudies: [any PaperStudy] {
        [
            LimitGramStudy(),
            Figure1Study(),
            ConvergenceStudy(),
            WidthSweepStudy(),
            EtaOneStudy(),
            LambdaZeroStudy(),
            LinearTheoryStudy(),
            KFACStudy(),
            StepSizeStudy(),
            GeneralizationStudy(),
            PseudoHuberStudy(),
            DeepNetworkStudy(),
        ]
    }

    public var settings: PaperSettings
    public var studies: [any PaperStudy]
    /// The command line that asked for this report (recorded in the manifest and the provenance section).
    public var invocation: String

    public init(settings: PaperSettings, studies: [any PaperStudy] = PaperReport.allStudies,
                invocation: String? = nil) {
        self.settings = settings
        self.studies = studies
        self.invocation = invocation ?? settings.invocation
    }

    /// What a build did: the claims, run counts and wall times (the times are never written into verified files).
    public struct Summary: Sendable {
        public var outputDirectory: String
        public var claims: [ClaimOutcome]
        public var runsTrained: Int
        public var runsCached: Int
        public var wallSeconds: Double
        /// Seconds per study id, in study order.
        public var studySeconds: [(id: String, seconds: Double)]
    }

    public static let title = "Fast Convergence of Natural Gradient Descent for Over-Parameterized Neural Networks — a "
        + "reproduction"

    /// Runs the studies in `context` and returns their outcomes with the seconds each took.
    /// `progress` receives one line per study and per (uncached) training run.
    public func outcomes(in context: StudyContext, progress: ((String) -> Void)? = nil) throws
        -> [(outcome: StudyOutcome, seconds: Double)] {
        var results: [(StudyOutcome, Double)] = []
        for (index, study) in studies.enumerated() {
            if context.shouldStop() { throw ReportError.interrupted }
            progress?("[\(index + 1)/\(studies.count)] \(study.id)")
            let start = DispatchTime.now()
            let outcome = try study.run(in: context)
            results.append((outcome, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9))
        }
        return results
    }

    /// Builds the report directory `output` atomically (the previous report stays intact if anything fails or
    /// Ctrl-C arrives; completed runs are kept in the staging `runs/` and reused by the next attempt).
    @discardableResult
    public func build(into output: String, configuration: ReportConfiguration,
                      progress: ((String) -> Void)? = nil) throws -> Summary {
        try configuration.requireValidSourceDateEpoch()
        let transaction = try ReportTransaction(output: output, inputs: [settings.mnistDirectory, configuration.templatesDirectory]
                                                    .compactMap { $0 })
        let output = transaction.output, staging = transaction.staging
        try transaction.prepareStaging(seedingRunsFrom: (output as NSString).appendingPathComponent("runs"))

        let runs = transaction.stagingRuns
        let context = StudyContext(settings: settings, cacheDirectory: runs)
        context.readOnlyCaches = configuration.extraCaches
        context.shouldStop = configuration.shouldStop
        context.onRunStarted = { label in progress?("    training \(label)") }
        let results = try outcomes(in: context, progress: progress)
        if configuration.shouldStop() { throw ReportError.interrupted }

        // Keep exactly this report's runs, so the directory is a function of the settings.
        transaction.pruneRuns(keeping: Set(context.usedKeys.map { "\($0).json" }))

        let provenance = Provenance.collect(seeds: settings.seedList, compute: configuration.compute,
                                          graphics: configuration.graphics,
                                          sourceDirectory: configuration.sourceDirectory,
                                          environment: configuration.environment)
        let document = self.document(from: results.map(\.outcome), provenance: provenance)
        let figures = Self.figures(of: results.map(\.outcome))
        let (rendered, svgs) = try transaction.writeFigures(figures, configuration: configuration)
        try AtomicFile.write(CanonicalJSON.data(document.claims, pretty: true),
                             to: (staging as NSString).appendingPathComponent("data/claims.json"))
        try AtomicFile.write(CanonicalJSON.data(settings, pretty: true),
                             to: (staging as NSString).appendingPathComponent("data/settings.json"))
        try transaction.writeReport(document, figures: figures, rendered: rendered, svgs: svgs,
                                    configuration: configuration)
        try configuration.latexWriter?.write(into: staging, document: document, figures: figures, rendered: rendered,
                                             reproduce: [invocation + " --out DIR", "ngd verify DIR"])

        let spec = ExperimentSpec(title: document.title, description: document.description, seeds: settings.seedList,
                                  datasets: [:], models: [:], optimizers: [:])
        let manifest = Manifest(tool: provenance.tool, toolVersion: provenance.toolVersion, specFile: PaperSettings.command,
                                specSource: invocation, templatesDirectory: configuration.templatesDirectory,
                                sourceDateEpoch: configuration.environment["SOURCE_DATE_EPOCH"], spec: spec,
                                runs: [], provenance: provenance, claims: document.claims,
                                files: OutputFiles.hashes(staging), verification: Self.verificationRule,
                                latex: configuration.latex?.figures.rawValue,
                                reproducibility: ReproducibilityRecord.of([.activationPatterns]
                                    + results.flatMap(\.outcome.tolerances)),
                                dataFiles: try DataIdentity.recorded(settings.dataRequests))
        try AtomicFile.write(CanonicalJSON.data(manifest, pretty: true),
                             to: (staging as NSString).appendingPathComponent(Manifest.fileName))
        let seconds = try transaction.writeTiming(runsTrained: context.trainedRuns, runsCached: context.cachedRuns)

        if configuration.shouldStop() { throw ReportError.interrupted }
        try transaction.commit()
        return Summary(outputDirectory: output, claims: document.claims, runsTrained: context.trainedRuns,
                       runsCached: context.cachedRuns, wallSeconds: seconds,
                       studySeconds: zip(results, studies).map { ($1.id, $0.seconds) })
    }

    static let verificationRule = "every file listed in `files` is re-created by re-running the command in "
        + "`spec_source` (ngd paper with the same options; `ngd verify` does this); on the same machine and BLAS core "
        + "it must match its SHA-256 and manifest.json the re-run's byte for byte (identical); elsewhere numbers must "
        + "agree within tolerance (`reproducibility` declares a report's own) and texts, fonts and claim verdicts "
        + "exactly (equivalent), or at least every claim's verdict (claims hold); data files are named by SHA-256, "
        + "not path; timing.json is not compared"

    /// Every figure of the outcomes, in document order.
    static func figures(of outcomes: [StudyOutcome]) -> [FigureData] {
        outcomes.flatMap { $0.blocks.compactMap { if case .figure(let figure) = $0 { return figure } else { return nil } } }
    }

    // MARK: The document

    /// Assembles the report from the studies' outcomes: deterministic, only computed values enter it.
    public func document(from outcomes: [StudyOutcome], provenance: Provenance) -> ReportDocument {
        var claims = outcomes.flatMap(\.claims)
        claims.sort { Self.claimOrder($0.id) < Self.claimOrder($1.id) }
        var sections = [introduction(outcomes: outcomes, claims: claims)]
        let failed = claims.filter { !$0.passed }
        sections.append(ReportDocument.Section(id: "claims", title: "Claims", blocks: [
            .paragraph("Each row compares a quantity measured from the runs with what the theory predicts "
                + "(docs/CLAIMS.md "
                + "numbers the claims 1–16 and gives each one's tolerance; letters split a claim into its parts; rows "
                    + "without a number check a study's "
                + "curves against their theory). "
                + (failed.isEmpty ? "All \(claims.count) checks passed."
                    : "\(claims.count - failed.count) of \(claims.count) checks passed; failed: "
                        + failed.map(\.id).joined(separator: ", ") + " — see their details and the deviations "
                            + "section.")),
            .claims,
        ]))
        var number = 0
        for outcome in outcomes {
            var blocks: [ReportDocument.Block] = []
            if !outcome.settings.isEmpty {
                blocks.append(.table(ReportDocument.Table(caption: "Settings of this "
                    + "study.", header: ["setting", "value"],
                                                          rows: outcome.settings.map { [$0.0, $0.1] }, columns: [.text, .text])))
            }
            for block in outcome.blocks {
                switch block {
                case .paragraph(let text): blocks.append(.paragraph(text))
                case .table(let table): blocks.append(.table(table))
                case .figure(let figure):
                    number += 1
                    blocks.append(.figure(ReportDocument.FigureBlock(
                        number: number, id: figure.id, title: figure.title, caption: figure.caption,
                        csvPath: "figures/\(figure.id).csv", pdfPath: "figures/\(figure.id).pdf",
                        svgPath: "figures/\(figure.id).svg", pngPath: "figures/\(figure.id).png")))
                }
            }
            sections.append(ReportDocument.Section(id: outcome.id, title: outcome.title, blocks: blocks))
        }
        sections.append(deviations(outcomes: outcomes, failed: failed))
        sections.append(ReportDocument.Section(id: "reproducing", title: "Reproducing this report", blocks: [
            .paragraph("Command: \(invocation). Settings: \(settings.quick ? "quick" : "full") sizes, "
                + "\(settings.seeds) seed(s) "
                + "(\(settings.seedList.map(String.init).joined(separator: ", "))), MNIST: "
                + "\(settings.mnistDirectory == nil ? "none (embedded UCI digits)" : Self.mnistFiles). "
                + "Every training run is cached in "
                    + "runs/<sha256>.json "
                + "(key: the run's configuration, data request and tool version); re-running the same command re-uses "
                    + "them "
                + "and re-creates every file byte for byte (with one BLAS thread). Figures are in figures/ as PDF, "
                    + "SVG, PNG "
                + "and CSV; data/ holds each figure's data, the claims and the settings as JSON; manifest.json lists "
                    + "the "
                + "SHA-256 of every file; the wall time is only in timing.json."),
        ]))
        return ReportDocument(title: Self.title, description: Self.summary, sections: sections, provenance: provenance,
                              claims: claims, scriptsInProse: true)
    }

    static let summary = "Zhang, Martens and Grosse (NeurIPS 2019) prove that natural gradient descent on an "
        + "over-parameterised two-layer ReLU network converges to a global minimum at a rate 1 − η that does not "
            + "depend "
        + "on the data's conditioning, with a smaller width requirement than gradient descent; K-FAC converges with a "
            + "rate "
        + "set by the input Gram matrix. This report measures every checkable claim with the ngd toolkit."

    private func introduction(outcomes: [StudyOutcome], claims: [ClaimOutcome]) -> ReportDocument.Section {
        let studyList = outcomes.map(\.title).joined(separator: "; ")
        let figure1Data = settings.mnistDirectory == nil
            ? "the embedded UCI 8×8 digits (4 vs 9), because no MNIST directory was given"
            : "MNIST 4 vs 9 (\(Self.mnistFiles))"
        return ReportDocument.Section(id: "introduction", title: "Introduction", blocks: [
            .paragraph("What the paper claims. For squared error and a network whose Jacobian J has full row rank and "
                + "stays "
                + "stable near initialisation, the over-parameterised NGD update θ ← θ − η Jᵀ(JJᵀ)⁻¹(u − y) satisfies "
                + "‖y − u_k‖² ≤ (1 − η)^k ‖y − u₀‖²: every example's residual shrinks by the same factor, whatever the "
                    + "Gram "
                + "matrix G = JJᵀ. For the two-layer ReLU network this holds once m = Ω(n⁴/(ν²λ₀⁴δ³)) (GD needs n⁶ and "
                    + "a "
                + "step size O(λ₀/n²)); K-FAC converges at a rate set by λ_max(XᵀX); and NGD generalises like GD."),
            .paragraph("The model. f(x) = (1/√m) Σ_r a_r ReLU(w_rᵀx) with w_r ~ N(0, ν²I), a_r ~ Unif{±1} fixed, only "
                + "the "
                + "first layer W trained, unit-norm inputs, loss ½‖u − y‖². λ₀ = λ_min(H^∞), where H^∞ is the Gram "
                    + "matrix's "
                + "infinite-width limit. Everything is computed in Float64 by the NGD engine; the linearised model "
                + "u₀ + J₀(θ − θ₀) gives the theory curves."),
            .paragraph("What this report checks, and on which data: \(studyList). Data: synthetic points on the unit "
                + "sphere "
                + "with y ~ N(0, 1) (n and d per study), sets with a near-duplicate pair to control λ₀, and for Figure "
                    + "1 "
                + "\(figure1Data). Sizes: \(settings.quick ? "quick (reduced widths and seeds; a claim that fails here may only need the full sizes — see the deviations section)" : "full"); "
                + "\(settings.seeds) seed(s) where results are averaged. Dashed lines in the figures are theory, solid "
                    + "lines "
                + "measurements; bands are the min–max over seeds. \(claims.filter(\.passed).count) of \(claims.count) "
                    + "checks pass."),
        ])
    }

    private func deviations(outcomes: [StudyOutcome], failed: [ClaimOutcome]) -> ReportDocument.Section {
        var blocks: [ReportDocument.Block] = [
            .paragraph("Assumptions of this reproduction (not confirmed from the paper's full text): ν = 1; ReLU′(0) = "
                + "1; the "
                + "NGD and K-FAC updates are undamped (exact solves, eigen pseudo-inverse only as a logged fallback); "
                    + "K-FAC uses "
                + "summed factors A = XᵀX and S = G_mG_mᵀ with pseudo-inverses; Figure 1's targets use the operator "
                    + "“−”."),
        ]
        for outcome in outcomes {
            for caveat in outcome.caveats { blocks.append(.paragraph("\(outcome.title): \(caveat)")) }
        }
        for claim in failed {
            var text = "Claim \(claim.id) failed — \(claim.statement): \(claim.detail)."
            if settings.quick { text += " This is a --quick run; the full sizes (ngd paper without --quick) may be "
                + "needed." }
            blocks.append(.paragraph(text))
        }
        if failed.isEmpty { blocks.append(.paragraph("No check failed in this run.")) }
        return ReportDocument.Section(id: "deviations", title: "Finite-width effects and deviations", blocks: blocks)
    }

    /// Sorts claim ids "1a" < "2" < "10b" < "conv-ngd": numbered claims by number and letter, then the rest by name.
    static func claimOrder(_ id: String) -> String {
        let digits = id.prefix { $0.isNumber }
        guard let value = Int(digits) else { return "z" + id }
        return String(format: "%04d", value) + id.dropFirst(digits.count)
    }
}

