import Foundation
import NGD
import Report

/// `ngd paper --slurm` and the array task's `--shard i/N --shared-cache DIR`.
extension PaperCommand {
    /// Handles --slurm and --shard; false when neither was given (a report is built as usual).
    func runSharded(_ settings: PaperSettings) throws -> Bool {
        let shard = try sharding.parsedShard()
        try cluster.checkCombinations(shard: shard != nil)
        if studiesOnly, shard != nil || cluster.slurm || cluster.assemble != nil {
            throw NGDError("--studies-only", "cannot be combined with --shard, --slurm or --assemble", usage: true)
        }
        if cluster.slurm {
            let inputs = [mnistDirectory].compactMap { $0 } + sharding.caches
            try CommandErrors.translating { try OutputLocation.checkReportDirectory(out, inputs: inputs) }
            try cluster.launch(output: out, inputs: inputs, shards: cluster.shards ?? 4,
                               jobName: "ngd-" + ((out as NSString).standardizingPath as NSString).lastPathComponent,
                               shardCommand: jobArguments, assembleCommand: jobArguments + ["--out", out])
            return true
        }
        guard let shard else { return false }
        guard let sharedCache = cluster.sharedCache else {
            throw NGDError("--shard", "a paper shard needs --shared-cache DIR (where every shard's runs "
                + "go)", usage: true)
        }
        Interruption.installHandler()
        let progress: ((String) -> Void)? = quiet ? nil : { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        let summary = try CommandErrors.translating {
            try PaperReport(settings: settings).runShard(shard, sharedCache: sharedCache,
                                                         shouldStop: { Interruption.isRequested }, progress: progress)
        }
        print("shard \(shard): \(summary.runsTrained) trained, \(summary.runsCached) cached in \(sharedCache)"
              + (summary.studiesStopped.isEmpty ? "" : "; stopped at another shard's run: \(summary.studiesStopped.joined(separator: ", "))"))
        return true
    }

    /// The settings every job repeats (the MNIST directory as the user spelled it: the jobs run in this directory).
    private var jobArguments: [String] {
        ["paper"] + (quick ? ["--quick"] : []) + (seeds.map { ["--seeds", String($0)] } ?? [])
            + (mnistDirectory.map { ["--mnist-dir", $0] } ?? []) + (quiet ? ["--quiet"] : [])
    }
}
