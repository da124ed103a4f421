import Foundation
import NGD
import Report

/// `ngd report --slurm` and the array task's `--shard i/N --shared-cache DIR`.
extension ReportCommand {
    /// The arguments every job repeats from this command line (spec and templates as the user spelled them: the
    /// manifest records them, and the jobs run in this directory).
    private var jobArguments: [String] {
        ["report", spec] + (templates.map { ["--templates", $0] } ?? []) + (quiet ? ["--quiet"] : [])
    }

    func launchSlurm(_ parsed: ExperimentSpec, source: String, output: String, inputs: [String], dataDirectory: String) throws {
        let experiment = try CommandErrors.translating { try parsed.resolved(dataDirectory: dataDirectory) }
        try CommandErrors.translating {
            try experiment.checkResources(limits: try ResourceLimits.current(environment: ProcessInfo.processInfo.environment),
                                          shard: nil, specSource: source, specFile: spec)
        }
        let runs = max(experiment.runs.count, 1)
        let shards = cluster.shards ?? min(runs, 32)
        if shards > runs { throw NGDError("--shards", "\(shards) tasks for \(runs) distinct run(s); give at most "
            + "\(runs)", usage: true) }
        let name = "ngd-" + ((output as NSString).standardizingPath as NSString).lastPathComponent
        try cluster.launch(output: output, inputs: inputs, shards: shards, jobName: name,
                           shardCommand: jobArguments, assembleCommand: jobArguments + ["--out", output])
    }

    func runShard(_ shard: Shard, into sharedCache: String, source: String) throws {
        var configuration = ReportConfiguration.standard()
        configuration.progress = ProgressReporter.standard(quiet: quiet)
        configuration.shard = shard
        Interruption.installHandler()
        let summary = try CommandErrors.translating {
            try ReportBuilder(configuration: configuration).buildShard(specSource: source, specFile: spec, sharedCache: sharedCache)
        }
        print("shard \(shard): \(summary.runsTrained) trained, \(summary.runsCached) cached in \(sharedCache)")
    }
}
