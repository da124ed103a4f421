import Foundation
import NGD

/// Key-addressed results: `<directory>/<key>.json`. New entries are written atomically as each run completes,
/// so an interrupted report resumes where it stopped; `readOnly` directories (the previous report's `runs/`,
/// other shards' outputs) are consulted after it and a valid entry found there is copied byte for byte.
///
/// An entry is used only when it is intact (its checksum matches its content), was written by this tool version,
/// and records exactly the requested run — key, settings and the content digest of its input files. Anything
/// else is not used; a damaged or mismatched entry is reported through `warn` and the run is retrained.
public struct RunCache: Sendable {
    public var directory: String
    public var readOnly: [String]
    /// Receives one line per cache file that was found but not used ("PATH: reason; retraining").
    public var warn: @Sendable (String) -> Void

    public init(directory: String, readOnly: [String] = [],
                warn: @escaping @Sendable (String) -> Void = CacheWarnings.standardError) {
        self.directory = directory
        self.readOnly = readOnly
        self.warn = warn
    }

    static func fileName(for key: String) -> String { "\(key).json" }

    /// The cache a build of the report `output` reads: its staging `runs/` (an interrupted build's results), then
    /// the previous report's `runs/`, then `extraCaches` (other shards' `runs/`).
    public static func forReport(output: String, extraCaches: [String] = []) -> RunCache {
        let standardized = (output as NSString).standardizingPath
        return RunCache(directory: (ReportBuilder.stagingPath(standardized) as NSString).appendingPathComponent("runs"),
                        readOnly: [(standardized as NSString).appendingPathComponent("runs")] + extraCaches)
    }

    /// What the cache holds for one run: the entry that may be used, if any, and the files that were found
    /// and refused, with why.
    public struct Lookup: Sendable {
        public var result: RunResult?
        /// The file `result` came from.
        public var source: String?
        public var rejected: [(path: String, reason: String)]
        var bytes: Data?
    }

    private var store: EntryStore<CachedRun> {
        EntryStore(directory: directory, readOnly: readOnly, warn: warn)
    }

    /// Looks `run` up without side effects (no copy, no warning): the one rule shared by the scheduler and
    /// `ngd report --dry-run`.
    /// `key` saves recomputing `run.key` when the caller has it.
    public func lookup(_ run: ResolvedRun, key knownKey: String? = nil) -> Lookup {
        let found = store.lookup(knownKey ?? run.key) { $0.run == run }
        return Lookup(result: found.entry?.result, source: found.source, rejected: found.rejected, bytes: found.bytes)
    }

    /// The cached result for `run`, if a valid entry exists; refused entries are warned about.
    public func result(for run: ResolvedRun) -> RunResult? {
        store.entry(run.key) { $0.run == run }?.result
    }

    public func store(_ result: RunResult, for run: ResolvedRun) throws {
        try store.store(CachedRun(key: run.key, toolVersion: ToolInfo.version, run: run, result: result))
    }
}
