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

    /// Looks `run` up without side effects (no copy, no warning): the one rule shared by the scheduler and
    /// `ngd report --dry-run`.
    /// `key` saves recomputing `run.key` when the caller has it.
    public func lookup(_ run: ResolvedRun, key knownKey: String? = nil) -> Lookup {
        let key = knownKey ?? run.key
        var lookup = Lookup(result: nil, source: nil, rejected: [], bytes: nil)
        for source in [directory] + readOnly {
            let path = (source as NSString).appendingPathComponent(Self.fileName(for: key))
            switch CacheRead.read(CachedRun.self, at: path) {
            case .missing:
                continue
            case .rejected(let reason):
                lookup.rejected.append((path, reason))
            case .intact(let entry, let bytes):
                // An older version's entry is expected after an upgrade: not a warning.
                guard entry.toolVersion == ToolInfo.version else { continue }
                guard entry.key == key, entry.run == run else {
                    lookup.rejected.append((path, "cached result records another run than the one its name says"))
                    continue
                }
                lookup.result = entry.result
                lookup.source = path
                lookup.bytes = bytes
                return lookup
            }
        }
        return lookup
    }

    /// The cached result for `run`, if a valid entry exists; refused entries are warned about.
    public func result(for run: ResolvedRun) -> RunResult? {
        let lookup = lookup(run)
        let target = (directory as NSString).appendingPathComponent(Self.fileName(for: run.key))
        for (path, reason) in lookup.rejected where lookup.result == nil || path != target {
            warn("\(path): \(reason); \(lookup.result == nil ? "retraining" : "using \(lookup.source ?? "another copy")")")
        }
        if let source = lookup.source, source != target, let bytes = lookup.bytes {
            try? AtomicFile.write(bytes, to: target)
        }
        return lookup.result
    }

    public func store(_ result: RunResult, for run: ResolvedRun) throws {
        let entry = try CachedRun(key: run.key, toolVersion: ToolInfo.version, run: run, result: result).sealed()
        try AtomicFile.write(try CanonicalJSON.data(entry, pretty: true),
                             to: (directory as NSString).appendingPathComponent(Self.fileName(for: run.key)))
    }
}
