import ArgumentParser
import Foundation
import NGD
import Report

/// The Slurm options of `ngd report` and `ngd paper`: `--slurm` writes (and with `--submit` submits) a job array
/// of shards plus an assembly job; `--shared-cache` is what one array task runs, `--assemble` what the assembly
/// job runs.
struct SlurmOptions: ParsableArguments {
    @Flag(name: .long, help: "Write a Slurm job array (one task per shard) and an assembly job; see --submit.")
    var slurm = false

    @Option(name: .long, help: "With --slurm: array tasks (default: the run count, at most 32; paper: 4).")
    var shards: Int?

    @Option(name: .long, help: "With --slurm: the partition to submit to.")
    var partition: String?

    @Option(name: .long, help: "With --slurm: time limit per job (sbatch --time, e.g. 30:00).")
    var time: String?

    @Option(name: .long, help: "With --slurm: CPUs per task.")
    var cpus: Int?

    @Option(name: .long, help: "With --slurm: memory per job (sbatch --mem, e.g. 4G).")
    var mem: String?

    @Option(name: .customLong("sbatch-arg"), help: "With --slurm: an extra sbatch option for both jobs (e.g. --account=abc); repeatable.")
    var sbatchArguments: [String] = []

    @Flag(name: .long, help: "With --slurm: submit both jobs through sbatch and print their ids.")
    var submit = false

    @Option(name: .customLong("slurm-dir"), help: "With --slurm: where the scripts, logs and shared cache go (default: .NAME.slurm beside --out).")
    var slurmDirectory: String?

    @Option(name: .customLong("shared-cache"), help: "With --shard: read and write run results in this directory, shared by all shards (an array task's command).")
    var sharedCache: String?

    @Option(name: .long, help: "Assemble the report from a --slurm run's directory; names the shards that did not finish (the assembly job's command).")
    var assemble: String?

    /// Options that only mean something with --slurm.
    private var slurmOnlyGiven: String? {
        if shards != nil { return "--shards" }
        if partition != nil { return "--partition" }
        if time != nil { return "--time" }
        if cpus != nil { return "--cpus" }
        if mem != nil { return "--mem" }
        if !sbatchArguments.isEmpty { return "--sbatch-arg" }
        if submit { return "--submit" }
        if slurmDirectory != nil { return "--slurm-dir" }
        return nil
    }

    /// Refuses combinations that mean nothing; `shard` is whether --shard was given.
    func checkCombinations(shard: Bool, dryRun: Bool = false) throws {
        if !slurm, let option = slurmOnlyGiven { throw NGDError(option, "only applies with --slurm", usage: true) }
        if slurm, shard || sharedCache != nil || assemble != nil || dryRun {
            let other = shard ? "--shard" : sharedCache != nil ? "--shared-cache" : assemble != nil ? "--assemble" : "--dry-run"
            throw NGDError("--slurm", "cannot be combined with \(other) (the jobs --slurm writes use it)", usage: true)
        }
        if sharedCache != nil, !shard { throw NGDError("--shared-cache", "only applies with --shard i/N", usage: true) }
        if assemble != nil, shard { throw NGDError("--assemble", "cannot be combined with --shard", usage: true) }
        if let shards, !(1...1000).contains(shards) {
            throw NGDError("--shards", "expected 1 to 1000 array tasks, got \(shards)", usage: true)
        }
    }

    var resources: SlurmResources {
        SlurmResources(partition: partition, time: time, cpusPerTask: cpus, memory: mem, extraArguments: sbatchArguments)
    }

    /// Writes the scripts into the Slurm directory of `output` and, with --submit, submits them. Everything that can
    /// be refused (sbatch missing, bad values, the directory, an unwritable cache) is refused before anything is
    /// written or submitted.
    func launch(output: String, inputs: [String], shards: Int, jobName: String,
                shardCommand: [String], assembleCommand: [String]) throws {
        try translating {
            let environment = ProcessInfo.processInfo.environment
            let submitter = try SlurmSubmitter(environment: environment)
            try resources.check()
            let directory = slurmDirectory.map(SlurmDirectory.init(path:)) ?? SlurmDirectory.beside(output: output)
            try directory.check(output: output, inputs: inputs, option: slurmDirectory == nil ? "--out" : "--slurm-dir")
            let pinned = ["OPENBLAS_NUM_THREADS", "SOURCE_DATE_EPOCH", "NGD_MNIST_DIR", "NGD_MEMORY_LIMIT"]
                .compactMap { name in environment[name].map { (name, $0) } }
            let scripts = SlurmScripts(jobName: jobName, directory: directory, shards: shards, resources: resources,
                                       workingDirectory: FileManager.default.currentDirectoryPath,
                                       shardCommand: [Self.executable] + shardCommand,
                                       assembleCommand: [Self.executable] + assembleCommand, environment: pinned)
            try directory.prepare(shards: shards)
            try directory.write(scripts)
            guard submit else {
                print("wrote \(directory.arrayScript) (\(shards) tasks) and \(directory.assembleScript); submit with:")
                print("  \(scripts.submitHint)")
                return
            }
            directory.clearDoneMarkers()
            let array = try submitter.submit(directory.arrayScript)
            let assembly = try submitter.submit(directory.assembleScript, dependency: array)
            print("submitted array job \(array) (\(shards) tasks) and assembly job \(assembly) (after the array)")
            print("  watch:  squeue -j \(array),\(assembly)")
            print("  logs:   \(directory.logs)/shard-<i>.out|.err, \(directory.logs)/assemble.out|.err")
            print("  report: \(output) (with cluster.json: job ids and nodes)")
        }
    }

    /// This ngd, by absolute path, for the job scripts.
    static var executable: String {
        if let resolved = realpath("/proc/self/exe", nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let first = CommandLine.arguments.first ?? "ngd"
        return first.hasPrefix("/") ? first : FileManager.default.currentDirectoryPath + "/" + first
    }

    /// Cluster errors and refused locations in the CLI's shape.
    func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ClusterError {
            throw NGDError(error.source, error.message, usage: error.isUsage)
        } catch let refusal as OutputRefusal {
            throw NGDError(refusal.path, refusal.reason, usage: true)
        }
    }

    /// The assembly's check: every shard finished (else the error naming the missing ones); returns the record.
    func finishedShards(in directory: String) throws -> [FinishedShard] {
        try translating { try SlurmDirectory(path: directory).requireAllShardsFinished() }
    }

    func cacheOfAssembly(_ directory: String) -> String { SlurmDirectory(path: directory).cache }

    func writeClusterRecord(_ finished: [FinishedShard], into output: String) throws {
        try translating { try ClusterProvenance(finished: finished, environment: ProcessInfo.processInfo.environment).write(into: output) }
    }
}

/// `--shard i/N` and `--cache DIR` of `ngd report` and `ngd paper`: the shard/assemble split.
struct ShardOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Run only the runs of shard i of N (0-based, e.g. 0/4), caching their "
                                            + "results (with --shared-cache: there); assemble no report."))
    var shard: String?

    @Option(name: .customLong("cache"),
            help: "Extra directory of cached run results (e.g. the shards' shared cache); repeatable.")
    var caches: [String] = []

    func parsedShard() throws -> Shard? {
        try shard.map { text in
            guard let value = Shard(text) else {
                throw NGDError("--shard", "expected i/N with 0 ≤ i < N, got '\(text)'", usage: true)
            }
            return value
        }
    }
}
