import Foundation

/// Cached runs (`runs/<key>.json`) are named by a hash of their settings, and some settings are computed numbers (a
/// learning rate of 2/λ_max(G₀)). When another BLAS kernel or thread count moves such a number in its last digits,
/// the re-run stores the same run under another name. `ngd verify` pairs each recorded run found only in the
/// recording with a re-run one found only in the re-run whose settings agree within tolerance, and compares the two
/// as one file; runs left unpaired are missing or extra as before.
enum RenamedRuns {
    static func isRun(_ path: String) -> Bool { path.hasPrefix("runs/") && path.hasSuffix(".json") }

    /// What a cache entry was asked to compute: a paper run's `config`, a spec run's `run`.
    static func settings(_ entry: Data) -> Data? {
        DataFileComparison.member("config", of: entry) ?? DataFileComparison.member("run", of: entry)
    }

    /// (recorded path, re-run path) pairs, each path used once, in recorded path order.
    /// `masking`: values that may differ between the sides (a data directory), masked before settings compare.
    static func pairs(recordedOnly: [String], rerunOnly: [String], tolerance: NumericTolerance,
                      masking values: [MaskedValue] = [],
                      read: (_ path: String, _ recorded: Bool) -> Data?) -> [(recorded: String, rerun: String)] {
        let candidates = rerunOnly.filter(isRun).compactMap { path in
            read(path, false).map { MaskedValue.mask($0, values, side: \.rerun) }.flatMap(settings).map { (path, $0) }
        }
        var taken: Set<String> = [], found: [(recorded: String, rerun: String)] = []
        for path in recordedOnly.sorted() where isRun(path) {
            guard let settings = read(path, true).map({ MaskedValue.mask($0, values, side: \.recorded) })
                .flatMap(settings) else { continue }
            let match = candidates.first { candidate in
                guard !taken.contains(candidate.0) else { return false }
                var tracker = DeviationTracker(tolerance: tolerance)
                let problem = DataFileComparison.json(settings, candidate.1, tracker: &tracker, ignoring: [])
                return problem == nil && tracker.comparison(path: path, problem: nil).outcome == .equivalent
            }
            if let match {
                taken.insert(match.0)
                found.append((path, match.0))
            }
        }
        return found
    }

    /// The re-run's key of each pair mapped to the recorded one (the manifest names runs by key).
    static func keys(_ pairs: [(recorded: String, rerun: String)]) -> [String: String] {
        func key(_ path: String) -> String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }
        return Dictionary(pairs.map { (key($0.rerun), key($0.recorded)) }, uniquingKeysWith: { first, _ in first })
    }
}
