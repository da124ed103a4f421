/// One operation of `ngd bench --threads` at one thread count: its median time, and how it compares with the
/// first thread count of the list (speed-up = t₀/t, efficiency = speed-up / (threads/threads₀)).
public struct OperationScaling: Codable, Hashable, Sendable {
    public var operation: String
    public var threads: Int
    public var medianMs: Double
    public var speedup: Double
    public var efficiency: Double
}

/// The scaling table of `ngd bench --threads 1,2,4,…`.
public enum ThreadScaling {
    /// The timed operations, in the order the table lists them (a key of `BenchmarkResult.timings`).
    public static let operations = ["forward", "gram", "gram_z", "gram_pattern", "gram_inputs", "gram_popcount",
                                    "gram_lambda_min", "ngd_step", "ngd_solve", "gd_step", "kfac_step",
                                    "ngd_cold_step", "z_refresh"]

    /// Parses "1,2,4,…": positive thread counts, at most 1024 each, no repeats. Throws a usage error naming
    /// `option`.
    public static func parseList(_ text: String, option: String = "--threads") throws -> [Int] {
        var counts: [Int] = []
        for part in text.replacingSpaces.split(separator: ",", omittingEmptySubsequences: false) {
            guard let count = Int(part), count >= 1, count <= 1024 else {
                throw NGDError(option, "'\(part)' is not a thread count from 1 to 1024", usage: true)
            }
            guard !counts.contains(count) else { throw NGDError(option, "\(count) is listed twice", usage: true) }
            counts.append(count)
        }
        guard !counts.isEmpty else { throw NGDError(option, "expected thread counts such as 1,2,4", usage: true) }
        return counts
    }

    /// Rows per operation and thread count, against the first result (the runs of one size, in list order).
    public static func table(_ runs: [(threads: Int, result: BenchmarkResult)]) -> [OperationScaling] {
        guard let first = runs.first else { return [] }
        var rows: [OperationScaling] = []
        for operation in operations {
            guard let base = first.result.timings[operation]?.medianMs else { continue }
            for (threads, result) in runs {
                guard let ms = result.timings[operation]?.medianMs else { continue }
                let speedup = base / ms
                rows.append(OperationScaling(operation: operation, threads: threads, medianMs: ms, speedup: speedup,
                                             efficiency: speedup / (Double(threads) / Double(first.threads))))
            }
        }
        return rows
    }
}
