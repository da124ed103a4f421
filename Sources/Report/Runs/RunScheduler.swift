import Foundation

/// Executes the runs of an experiment in the deterministic order, reusing cached results and storing new ones
/// as each completes. Stops between runs when interrupted.
public struct RunScheduler {
    public var executor: any RunExecutor
    public var cache: RunCache
    public var progress: ProgressReporter
    public var shouldStop: @Sendable () -> Bool

    public init(executor: any RunExecutor, cache: RunCache, progress: ProgressReporter = ProgressReporter(style: .quiet),
                shouldStop: @escaping @Sendable () -> Bool = { Interruption.isRequested }) {
        self.executor = executor
        self.cache = cache
        self.progress = progress
        self.shouldStop = shouldStop
    }

    /// Results by run key for the runs of `shard` (all runs when nil).
    public func results(for experiment: ResolvedExperiment, shard: Shard? = nil) throws -> [String: RunResult] {
        let runs = experiment.runs(inShard: shard)
        let labels = Dictionary(experiment.members.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        var results: [String: RunResult] = [:]
        progress.begin(total: runs.count)
        defer { progress.finish() }
        for run in runs {
            if shouldStop() { throw ReportError.interrupted }
            let key = run.key
            let label = labels[key] ?? String(key.prefix(12))
            if let cached = cache.result(for: run) {
                results[key] = cached
                progress.didRun(label, cached: true)
                continue
            }
            progress.willRun(label)
            let result: RunResult
            do {
                result = try executor.execute(experiment.located(run), shouldStop: shouldStop)
            } catch let error as ReportError {
                throw error
            } catch {
                throw ReportError.runFailed(label: label, key: key, message: "\(error)")
            }
            try cache.store(result, for: run)
            results[key] = result
            progress.didRun(label, cached: false)
        }
        return results
    }
}
