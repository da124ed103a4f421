import Foundation

extension PaperReport {
    /// What one shard of the paper did.
    public struct ShardSummary: Sendable {
        public var runsTrained: Int
        public var runsCached: Int
        /// Studies stopped at a run another shard trains (the assembly finishes them from the shared cache).
        public var studiesStopped: [String]
    }

    /// Shard `shard` of the paper: runs the studies in order with a context that trains only the runs whose key
    /// falls to this shard, into `sharedCache`. A study that asks for a run of another shard, not cached yet,
    /// stops there (its later runs may depend on that result), and the next study begins. The assembly
    /// (`build` with the shared cache among `extraCaches`) then finds every run cached unless a study's runs
    /// depend on each other's results, and trains what is still missing.
    public func runShard(_ shard: Shard, sharedCache: String, shouldStop: @escaping () -> Bool = { false },
                         progress: ((String) -> Void)? = nil) throws -> ShardSummary {
        do {
            try FileManager.default.createDirectory(atPath: sharedCache, withIntermediateDirectories: true)
        } catch {
            throw ReportError.io(path: sharedCache, message: "cannot create the shared cache: "
                + "\(error.localizedDescription)")
        }
        let context = StudyContext(settings: settings, cacheDirectory: sharedCache)
        context.shard = shard
        context.shouldStop = shouldStop
        context.onRunStarted = { label in progress?("    training \(label)") }
        var stopped: [String] = []
        for (index, study) in studies.enumerated() {
            if shouldStop() { throw ReportError.interrupted }
            progress?("[\(index + 1)/\(studies.count)] \(study.id)")
            do {
                _ = try study.run(in: context)
            } catch is StudyContext.NotThisShard {
                stopped.append(study.id)
            }
        }
        return ShardSummary(runsTrained: context.trainedRuns, runsCached: context.cachedRuns, studiesStopped: stopped)
    }
}
