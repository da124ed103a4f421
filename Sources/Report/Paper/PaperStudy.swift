import Foundation
import NGD

/// A block of a study's section, before figure numbering and file paths are assigned by the assembler.
public enum StudyBlock: Sendable {
    case paragraph(String)
    case table(ReportDocument.Table)
    case figure(FigureData)
}

/// What one study of the paper reproduction produced: its section of the report and its claims.
public struct StudyOutcome: Sendable {
    /// Section anchor, e.g. "figure1", "width-sweep".
    public var id: String
    public var title: String
    public var blocks: [StudyBlock]
    public var claims: [ClaimOutcome]
    /// Every setting the study used (n, d, m, ν, η per method and how it was chosen, seeds, damping, steps),
    /// as label/value rows printed in the report's settings table.
    public var settings: [(String, String)]
    /// Finite-width effects, deviations from the theory and assumptions, one sentence each; the report collects
    /// them in its "Finite-width effects and deviations" section.
    public var caveats: [String] = []
    /// Tolerances for this study's sensitive files (a chaotic trace), recorded in the manifest for `ngd verify`.
    public var tolerances: [DeclaredTolerance] = []

    public init(id: String, title: String, blocks: [StudyBlock] = [], claims: [ClaimOutcome] = [],
                settings: [(String, String)] = []) {
        self.id = id
        self.title = title
        self.blocks = blocks
        self.claims = claims
        self.settings = settings
    }
}

/// One study: a function from the settings (and a shared, caching context) to an outcome.
/// Studies never draw: they produce `FigureData`; the Report pipeline renders it.
public protocol PaperStudy {
    var id: String { get }
    func run(in context: StudyContext) throws -> StudyOutcome
}

/// The shape every study takes (docs/ADDING-A-STUDY.md): `measure` trains through the context's cache and
/// computes numbers; `evaluate` turns those numbers into claims and is pure, so tests can flip a verdict with
/// made-up measurements; `write` turns them into the section's blocks, settings and caveats. `run` joins them.
public protocol MeasuredStudy: PaperStudy {
    associatedtype Measurements
    func measure(in context: StudyContext) throws -> Measurements
    func evaluate(_ measurements: Measurements) -> [ClaimOutcome]
    /// The study's section without its claims (`run` adds them).
    func write(_ measurements: Measurements) -> StudyOutcome
}

extension MeasuredStudy {
    public func run(in context: StudyContext) throws -> StudyOutcome {
        let measurements = try measure(in: context)
        var outcome = write(measurements)
        outcome.claims = evaluate(measurements)
        return outcome
    }
}

/// Shared state of one `ngd paper` invocation: settings, a memo of loaded data sets, and the on-disk run cache
/// (`runs/<sha256>.json`, keyed by the canonical JSON of the run's config + data request, with the content digest
/// of any data file it reads, + tool version), so re-rendering a report never retrains. A cached run is used only
/// when its checksum matches its content and it records exactly the requested config; otherwise a warning names
/// the file and the run is retrained. A class because the caches are shared by all studies of one invocation.
public final class StudyContext {
    public let settings: PaperSettings
    /// Where cached runs live (nil ⇒ no disk cache, e.g. in tests).
    public let cacheDirectory: String?
    /// Called with a short description before each (uncached) training run, for progress output.
    public var onRunStarted: ((String) -> Void)?
    /// Receives one line per cache file that was found but not used ("PATH: reason; retraining").
    public var warn: (String) -> Void = { CacheWarnings.standardError($0) }
    /// True once the user pressed Ctrl-C: studies should stop between runs by throwing `ReportError.interrupted`.
    public var shouldStop: () -> Bool = { false }
    /// Other caches read after `cacheDirectory` (the shards' shared cache); an entry used from one is copied into
    /// `cacheDirectory` byte for byte, so the report's runs/ equals a single-machine run's.
    public var readOnlyCaches: [String] = []
    /// `--shard i/N`: train only the runs whose key falls to this shard; a run of another shard that is not cached
    /// yet throws `NotThisShard`, which ends the study asking for it (see `PaperReport.runShard`).
    public var shard: Shard?

    /// Thrown when a sharded context is asked for a run another shard trains.
    public struct NotThisShard: Error {}

    private var datasets: [DatasetRequest: Dataset] = [:]
    private var digestedRequests: [DatasetRequest: DatasetRequest] = [:]
    private(set) public var trainedRuns = 0
    private(set) public var cachedRuns = 0
    /// Cache keys of every run this context served (trained or cached), so a report keeps exactly its own runs.
    private(set) public var usedKeys: Set<String> = []

    public init(settings: PaperSettings, cacheDirectory: String?) {
        self.settings = settings
        self.cacheDirectory = cacheDirectory
    }

    /// Loads (once) the data set a request describes, checking after the load that its files still have the
    /// content their digest (computed once per invocation) records.
    public func dataset(_ request: DatasetRequest) throws -> Dataset {
        let request = try digested(request)
        if let cached = datasets[request] { return cached }
        let dataset = try request.load()
        try InputDigest.check(request)
        datasets[request] = dataset
        return dataset
    }

    /// `request` with the content digest of the files it reads (MNIST, a digits file), computed once.
    func digested(_ request: DatasetRequest) throws -> DatasetRequest {
        guard request.contentDigest == nil else { return request }
        if let known = digestedRequests[request] { return known }
        let digested = try InputDigest.digested(request)
        digestedRequests[request] = digested
        return digested
    }

    /// Trains `config` on the data `request` describes (the request, with the content digest of its files, enters
    /// the config and so the cache key), or returns the cached run. `label` is shown in progress output.
    public func train(_ config: TrainingConfig, on request: DatasetRequest, label: String) throws -> TrainingRun {
        let request = try digested(request)
        var keyed = config
        keyed.data = request
        return try cached(keyed, identity: "", label: label) { try NGD.train(keyed, on: try self.dataset(request)) }
    }

    /// Where the report keeps the run `train(config, on: request, …)` serves (`runs/<key>.json`): for a study that
    /// declares a tolerance for one of its runs.
    public func reportPath(of config: TrainingConfig, on request: DatasetRequest) throws -> String {
        var keyed = config
        keyed.data = try digested(request)
        return "runs/\(try Self.key(for: keyed)).json"
    }

    /// Trains on an in-memory data set that no request describes (e.g. a transformed copy). `identity` must
    /// determine the data uniquely: it enters the cache key.
    public func train(_ config: TrainingConfig, on dataset: Dataset, identity: String, label: String) throws -> TrainingRun {
        try cached(config, identity: identity, label: label) { try NGD.train(config, on: dataset) }
    }

    /// The run cache of this invocation: the same lookup rule as a spec report's `RunCache`.
    private var store: EntryStore<CachedTrainingRun> {
        EntryStore(directory: cacheDirectory, readOnly: readOnlyCaches, warn: warn)
    }

    private func cached(_ config: TrainingConfig, identity: String, label: String,
                        compute: () throws -> TrainingRun) throws -> TrainingRun {
        let key = try Self.key(for: config, extra: identity)
        usedKeys.insert(key)
        if let entry = store.entry(key, records: { $0.config == config && $0.identity == identity }) {
            cachedRuns += 1
            return entry.run
        }
        if let shard, Self.shardIndex(of: key, count: shard.count) != shard.index { throw NotThisShard() }
        if shouldStop() { throw ReportError.interrupted }
        onRunStarted?(label)
        let run = try compute()
        trainedRuns += 1
        try store.store(CachedTrainingRun(key: key, toolVersion: ToolInfo.version, config: config,
                                          identity: identity, run: run))
        return run
    }

    /// The shard (of `count`) that trains the run with cache key `key`: its first 60 bits, modulo `count`.
    static func shardIndex(of key: String, count: Int) -> Int {
        Int(UInt64(key.prefix(15), radix: 16).map { $0 % UInt64(max(count, 1)) } ?? 0)
    }

    static func key(for config: TrainingConfig, extra: String = "") throws -> String {
        var material = try CanonicalJSON.data(config)
        material.append(Data("|\(extra)|\(ToolInfo.version)".utf8))
        return SHA256Hex.of(material)
    }

    static func path(_ directory: String, _ key: String) -> String {
        (directory as NSString).appendingPathComponent("\(key).json")
    }
}

/// A cached paper run `runs/<key>.json`: the requested config and data identity, the tool version, the run as
/// trained, and the checksum of all of these (see `ChecksummedEntry`).
struct CachedTrainingRun: Codable, KeyedEntry {
    var key: String
    var toolVersion: String
    /// The config as requested (the run's own `config` has defaults filled in).
    var config: TrainingConfig
    /// What names an in-memory data set (empty for a request's data, which `config.data` names).
    var identity: String
    var run: TrainingRun
    var checksum: String? = nil
}
