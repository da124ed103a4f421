import Foundation

/// Why a Slurm run could not be written, submitted or assembled. `usage` is a bad option or location (exit 2),
/// the rest are runtime failures (exit 1).
public enum ClusterError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A bad option value: the option and what was expected.
    case usage(String, String)
    /// A file or directory that could not be read or written.
    case io(path: String, message: String)
    /// `sbatch` failed or answered something that is not a job id.
    case submission(String)
    /// The assembly found shards that did not finish: their indices and log files; no report was written.
    case shardsMissing(directory: String, missing: [Int], shards: Int, logs: [String])

    public var isUsage: Bool { if case .usage = self { return true } else { return false } }

    /// Where the problem is (option or path), for the CLI's `ngd: <source>: <message>`.
    public var source: String {
        switch self {
        case .usage(let option, _): return option
        case .io(let path, _): return path
        case .submission: return "sbatch"
        case .shardsMissing(let directory, _, _, _): return directory
        }
    }

    public var message: String {
        switch self {
        case .usage(_, let message), .io(_, let message), .submission(let message):
            return message
        case .shardsMissing(_, let missing, let shards, let logs):
            let named = zip(missing, logs).map { "shard \($0)/\(shards) (log \($1))" }.joined(separator: ", ")
            return "\(missing.count) of \(shards) shard(s) did not finish: \(named); no report written. "
                + "Re-submit: finished runs stay cached and are not trained again"
        }
    }

    public var description: String { "\(source): \(message)" }
}
