import Foundation
import NGD

/// Everything a report build needs from outside the Report module. The three seams (`executor`, `renderer`,
/// `pdfWriter`) and the two environment values are what the lead connects to NGD and Render.
public struct ReportConfiguration {
    public var executor: any RunExecutor
    public var renderer: any FigureRenderer
    /// nil: no report.pdf is written (until Render's document writer is connected).
    public var pdfWriter: (any ReportPDFWriter)?
    public var compute: ComputeEnvironment?
    public var graphics: GraphicsEnvironment?
    public var templates: ReportTemplates
    /// Recorded in the manifest so `ngd verify` renders with the same templates.
    public var templatesDirectory: String?
    public var progress: ProgressReporter
    /// Extra read-only result caches (other shards' `runs/`); the previous report's `runs/` is always read.
    public var extraCaches: [String]
    /// Use no cached result at all (verify).
    public var ignoreCache: Bool
    public var shard: Shard?
    public var sourceDirectory: String?
    public var environment: [String: String]
    public var shouldStop: @Sendable () -> Bool
    /// `--latex`: also write `latex/` (appendix.tex, main.tex, figures); nil writes nothing more.
    public var latex: LaTeXOptions?

    public init(executor: any RunExecutor = NGDRunExecutor(), renderer: any FigureRenderer,
                pdfWriter: (any ReportPDFWriter)? = nil,
                compute: ComputeEnvironment? = nil, graphics: GraphicsEnvironment? = nil,
                templates: ReportTemplates = .builtIn, templatesDirectory: String? = nil,
                progress: ProgressReporter = ProgressReporter(style: .quiet), extraCaches: [String] = [],
                ignoreCache: Bool = false, shard: Shard? = nil,
                sourceDirectory: String? = Provenance.defaultSourceDirectory,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                shouldStop: @escaping @Sendable () -> Bool = { Interruption.isRequested }, latex: LaTeXOptions? = nil) {
        self.executor = executor
        self.renderer = renderer
        self.pdfWriter = pdfWriter
        self.compute = compute
        self.graphics = graphics
        self.templates = templates
        self.templatesDirectory = templatesDirectory
        self.progress = progress
        self.extraCaches = extraCaches
        self.ignoreCache = ignoreCache
        self.shard = shard
        self.sourceDirectory = sourceDirectory
        self.environment = environment
        self.shouldStop = shouldStop
        self.latex = latex
    }
}

/// What a build did.
public struct BuildSummary: Sendable {
    public var outputDirectory: String
    /// false for a shard build: results were cached, no report was assembled.
    public var assembled: Bool
    public var runsTrained: Int
    public var runsCached: Int
    public var claims: [ClaimOutcome]
}

/// Builds a report directory atomically (Hydra-style run directory):
/// everything is written into the sibling `.NAME.staging/`, then swapped in with renames, so a failed or
/// interrupted build leaves the previous `NAME/` exactly as it was. New run results are written into the
/// staging `runs/` as each completes, and a later build resumes from them.
public struct ReportBuilder {
    public var configuration: ReportConfiguration

    public init(configuration: ReportConfiguration) { self.configuration = configuration }

    /// Sibling paths used while building `output`.
    static func stagingPath(_ output: String) -> String { sibling(output, suffix: "staging") }
    static func retiredPath(_ output: String) -> String { sibling(output, suffix: "previous") }

    private static func sibling(_ output: String, suffix: String) -> String {
        let standardized = (output as NSString).standardizingPath
        let parent = PathText.parent(of: standardized)
        let name = PathText.lastComponent(of: standardized)
        return ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(".\(name).\(suffix)")
    }

    /// Every file and directory a build of `spec` reads (the output may not contain any of them): the spec, the
    /// templates, the extra caches and the data sets' files. A relative data path is listed as read from the
    /// current directory and from `dataDirectory` (where the resolver reads it), to be safe either way.
    public static func inputPaths(of spec: ExperimentSpec, specFile: String, dataDirectory: String,
                                  templatesDirectory: String?, caches: [String],
                                  environment: [String: String]) -> [String] {
        var paths = [specFile] + caches + [templatesDirectory].compactMap { $0 }
        for dataset in spec.datasets.values {
            if let path = dataset.path {
                paths.append(path)
                if !path.hasPrefix("/"), !dataDirectory.isEmpty {
                    paths.append((dataDirectory as NSString).appendingPathComponent(path))
                }
            } else if dataset.kind == .mnist, let directory = environment[MNIST.directoryVariable], !directory.isEmpty {
                paths.append(directory)
            }
        }
        return paths
    }

    /// Where a spec's relative data paths are read by default: the spec file's directory.
    public static func dataDirectory(ofSpec specFile: String) -> String { PathText.parent(of: specFile) }

    /// Relative data paths in the spec are read from `dataDirectory`, by default the spec file's directory.
    @discardableResult
    public func build(specSource: String, specFile: String, into output: String,
                      dataDirectory: String? = nil) throws -> BuildSummary {
        try configuration.requireValidSourceDateEpoch()
        let spec = try ExperimentSpec.parse(yaml: specSource, file: specFile)
        let dataDirectory = dataDirectory ?? Self.dataDirectory(ofSpec: specFile)
        let experiment = try spec.resolved(dataDirectory: dataDirectory)
        try experiment.checkResources(limits: try ResourceLimits.current(environment: configuration.environment),
                                      shard: configuration.shard, specSource: specSource, specFile: specFile)
        let fileManager = FileManager.default
        let inputs = Self.inputPaths(of: spec, specFile: specFile, dataDirectory: dataDirectory,
                                     templatesDirectory: configuration.templatesDirectory,
                                     caches: configuration.extraCaches, environment: configuration.environment)
        let transaction = try ReportTransaction(output: output, inputs: inputs)
        let output = transaction.output, staging = transaction.staging
        try transaction.prepareStaging()

        let runsDirectory = transaction.stagingRuns
        var cache = RunCache.forReport(output: output, extraCaches: configuration.extraCaches)
        if configuration.ignoreCache { cache.readOnly = [] }
        if configuration.ignoreCache { try? fileManager.removeItem(atPath: runsDirectory) }
        let counting = CountingExecutor(inner: configuration.executor)
        let scheduler = RunScheduler(executor: counting, cache: cache, progress: configuration.progress,
                                     shouldStop: configuration.shouldStop)
        let results = try scheduler.results(for: experiment, shard: configuration.shard).mapValues { $0.withDerivedQuantities() }
        let trained = counting.count
        let cached = results.count - trained

        if configuration.shard != nil {
            return BuildSummary(outputDirectory: staging, assembled: false, runsTrained: trained, runsCached: cached, claims: [])
        }
        if configuration.shouldStop() { throw ReportError.interrupted }

        // Keep exactly this spec's results in runs/, so the directory is a function of the spec.
        transaction.pruneRuns(keeping: Set(experiment.runs.map { RunCache.fileName(for: $0.key) }))

        let figures = try FigureBuilder(experiment: experiment, results: results).figures()
        let claims = ClaimEvaluator(experiment: experiment, results: results).outcomes()
        let provenance = Provenance.collect(experiment: experiment, compute: configuration.compute,
                                            graphics: configuration.graphics,
                                            sourceDirectory: configuration.sourceDirectory,
                                            environment: configuration.environment)

        let (rendered, svgs) = try transaction.writeFigures(figures, configuration: configuration)
        try write(CanonicalJSON.data(claims, pretty: true), to: (staging as NSString).appendingPathComponent("data/claims.json"))

        let document = ReportDocument.make(experiment: experiment, results: results, figures: figures, claims: claims,
                                           provenance: provenance)
        try transaction.writeReport(document, figures: figures, rendered: rendered, svgs: svgs,
                                    configuration: configuration)
        try configuration.latexWriter?.write(into: staging, document: document, figures: figures, rendered: rendered,
                                             reproduce: ["ngd report \(specFile) --out "
                                                 + "DIR" + (configuration.latex?.commandLineSuffix ?? ""),
                                                         "ngd verify DIR"])

        let manifest = Manifest(tool: provenance.tool, toolVersion: provenance.toolVersion, specFile: specFile,
                                specSource: specSource, templatesDirectory: configuration.templatesDirectory,
                                sourceDateEpoch: configuration.environment["SOURCE_DATE_EPOCH"], spec: spec,
                                runs: experiment.members, provenance: provenance, claims: claims,
                                files: OutputFiles.hashes(staging), verification: Manifest.rule,
                                latex: configuration.latex?.figures.rawValue,
                                reproducibility: spec.reproducibility,
                                dataFiles: try DataIdentity.recorded(experiment.runs.map {
                                    experiment.located($0).dataset
                                }))
        try write(CanonicalJSON.data(manifest, pretty: true), to: (staging as NSString).appendingPathComponent(Manifest.fileName))
        try transaction.writeTiming(runsTrained: trained, runsCached: cached)

        if configuration.shouldStop() { throw ReportError.interrupted }
        try transaction.commit()
        return BuildSummary(outputDirectory: output, assembled: true, runsTrained: trained, runsCached: cached, claims: claims)
    }

    private func write(_ data: Data, to path: String) throws {
        try AtomicFile.write(data, to: path)
    }

    /// If a previous build died between its two renames, the old report sits at `.NAME.previous`: put it back,
    /// or, when the new one made it into place, delete it (only if everything in it is ngd's).
    static func recoverInterruptedSwap(output: String, retired: String) throws {
        guard EntryKind(at: retired) != .missing else { return }
        if EntryKind(at: output) != .missing {
            try ReportOwnership.removeOwnedReport(at: retired)
        } else if EntryKind(at: retired) != .directory {
            throw OutputRefusal(retired, "is not a report ngd moved aside; remove it")
        } else if rename(retired, output) != 0 {
            throw ReportError.io(path: retired, message: "cannot restore the previous report: "
                + "\(String(cString: strerror(errno)))")
        }
    }

    /// `output` → `.NAME.previous`, staging → `output`, then delete the previous one. Each step is one rename(2);
    /// the previous report is deleted only when everything in it is still ngd's (it was checked before the build;
    /// otherwise it stays aside and the next build names what is in the way).
    static func swapIn(staging: String, output: String, retired: String) throws {
        let hadPrevious = EntryKind(at: output) != .missing
        if hadPrevious, rename(output, retired) != 0 {
            throw ReportError.io(path: output, message: "cannot move the previous report aside: "
                + "\(String(cString: strerror(errno)))")
        }
        if rename(staging, output) != 0 {
            let reason = String(cString: strerror(errno))
            if hadPrevious { _ = rename(retired, output) }
            throw ReportError.io(path: output, message: "cannot move the new report into place: \(reason)")
        }
        if hadPrevious { try? ReportOwnership.removeOwnedReport(at: retired) }
    }
}

/// Counts the runs that were actually trained (not served from the cache).
final class CountingExecutor: RunExecutor, @unchecked Sendable {
    let inner: any RunExecutor
    private let lock = NSLock()
    private var calls = 0

    init(inner: any RunExecutor) { self.inner = inner }

    var count: Int { lock.withLock { calls } }

    func execute(_ run: ResolvedRun, shouldStop: @Sendable () -> Bool) throws -> RunResult {
        let result = try inner.execute(run, shouldStop: shouldStop)
        lock.withLock { calls += 1 }
        return result
    }
}
