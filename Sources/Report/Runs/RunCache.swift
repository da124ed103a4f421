import Foundation
import NGD

/// Key-addressed results: `<directory>/<key>.json`. New entries are written atomically as each run completes,
/// so an interrupted report resumes where it stopped; `readOnly` directories (the previous report's `runs/`,
/// other shards' outputs) are consulted first and their entries copied byte for byte.
public struct RunCache: Sendable {
    public var directory: String
    public var readOnly: [String]

    public init(directory: String, readOnly: [String] = []) {
        self.directory = directory
        self.readOnly = readOnly
    }

    static func fileName(for key: String) -> String { "\(key).json" }

    /// The cached result for `run`, if a valid entry exists (same key, same tool version, same run).
    public func result(for run: ResolvedRun) -> RunResult? {
        let key = run.key
        for source in [directory] + readOnly {
            let path = (source as NSString).appendingPathComponent(Self.fileName(for: key))
            guard let data = FileManager.default.contents(atPath: path),
                  let entry = try? CanonicalJSON.decoder().decode(CachedRun.self, from: data),
                  entry.key == key, entry.toolVersion == ToolInfo.version, entry.run == run else { continue }
            if source != directory {
                try? AtomicFile.write(data, to: (directory as NSString).appendingPathComponent(Self.fileName(for: key)))
            }
            return entry.result
        }
        return nil
    }

    public func store(_ result: RunResult, for run: ResolvedRun) throws {
        let entry = CachedRun(key: run.key, toolVersion: ToolInfo.version, run: run, result: result)
        try AtomicFile.write(try CanonicalJSON.data(entry, pretty: true),
                             to: (directory as NSString).appendingPathComponent(Self.fileName(for: run.key)))
    }
}
