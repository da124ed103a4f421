import Foundation
import NGD

extension ReportBuilder {
    /// Runs shard `configuration.shard` of a spec straight into `sharedCache`, the directory all shards of a
    /// Slurm array share: no report, no staging directory. Shards own disjoint runs, so two tasks never write the
    /// same key; each entry is written atomically (a task killed mid-write leaves only a `.tmp-` file, which no
    /// lookup reads), and an entry already there from an earlier submission is used, not retrained.
    public func buildShard(specSource: String, specFile: String, sharedCache: String,
                           dataDirectory: String? = nil) throws -> BuildSummary {
        guard let shard = configuration.shard else {
            throw ReportError.io(path: sharedCache, message: "a shared cache is written by one shard (--shard i/N)")
        }
        let spec = try ExperimentSpec.parse(yaml: specSource, file: specFile)
        let experiment = try spec.resolved(dataDirectory: dataDirectory ?? Self.dataDirectory(ofSpec: specFile))
        try experiment.checkResources(limits: try ResourceLimits.current(environment: configuration.environment),
                                      shard: shard, specSource: specSource, specFile: specFile)
        do {
            try FileManager.default.createDirectory(atPath: sharedCache, withIntermediateDirectories: true)
        } catch {
            throw ReportError.io(path: sharedCache, message: "cannot create the shared cache: "
                + "\(error.localizedDescription)")
        }
        let counting = CountingExecutor(inner: configuration.executor)
        let scheduler = RunScheduler(executor: counting, cache: RunCache(directory: sharedCache), progress: configuration.progress,
                                     shouldStop: configuration.shouldStop)
        let results = try scheduler.results(for: experiment, shard: shard)
        return BuildSummary(outputDirectory: sharedCache, assembled: false, runsTrained: counting.count,
                            runsCached: results.count - counting.count, claims: [])
    }
}
