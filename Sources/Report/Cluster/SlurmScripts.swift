import Foundation

/// What each Slurm job asks the scheduler for (`--partition`, `--time`, `--cpus`, `--mem`, `--sbatch-arg`).
public struct SlurmResources: Sendable, Equatable {
    public var partition: String?
    public var time: String?
    public var cpusPerTask: Int?
    public var memory: String?
    /// Passed through verbatim as `#SBATCH` lines (e.g. `--account=abc`, `--qos=short`).
    public var extraArguments: [String]

    public init(partition: String? = nil, time: String? = nil, cpusPerTask: Int? = nil, memory: String? = nil,
                extraArguments: [String] = []) {
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.memory = memory
        self.extraArguments = extraArguments
    }

    /// The `#SBATCH` directives, in a fixed order.
    var directives: [String] {
        var lines: [String] = []
        if let partition { lines.append("--partition=\(partition)") }
        if let time { lines.append("--time=\(time)") }
        if let cpusPerTask { lines.append("--cpus-per-task=\(cpusPerTask)") }
        if let memory { lines.append("--mem=\(memory)") }
        return lines + extraArguments
    }

    /// Refuses values that would break the `#SBATCH` lines they go into (a line break would start a new line of
    /// the script); names the option.
    public func check() throws {
        let values: [(String, String?)] = [("--partition", partition), ("--time", time), ("--mem", memory)]
            + extraArguments.map { ("--sbatch-arg", $0) }
        for (option, value) in values {
            guard let value else { continue }
            if value.isEmpty || value.contains(where: { $0.isNewline || $0 == "\0" }) {
                throw ClusterError.usage(option, "expected one non-empty line, got "
                    + "'\(value.debugDescription.dropFirst().dropLast())'")
            }
        }
        for argument in extraArguments where !argument.hasPrefix("-") {
            throw ClusterError.usage("--sbatch-arg", "expected an sbatch option starting with '-' (e.g. "
                + "--account=NAME), got '\(argument)'")
        }
        if let cpusPerTask, cpusPerTask < 1 {
            throw ClusterError.usage("--cpus", "expected at least 1 CPU per task, got \(cpusPerTask)")
        }
    }
}

/// The two batch scripts of a Slurm run: a job array whose task i runs shard i of N into the shared cache, and
/// an assembly job (submitted with a dependency on the array) that builds the report from that cache.
///
/// Every path is absolute except the ngd arguments the user gave (spec, --out, …), which keep their spelling and
/// are read from the submitting directory (`--chdir`): the manifest records the spec path as given, and the
/// assembled report must equal a local run's byte for byte.
public struct SlurmScripts: Sendable, Equatable {
    public var jobName: String
    public var directory: SlurmDirectory
    public var shards: Int
    public var resources: SlurmResources
    /// The submitting directory; every job runs there.
    public var workingDirectory: String
    /// The ngd executable and the arguments of one shard, without `--shard` and `--shared-cache` (added here).
    public var shardCommand: [String]
    /// The ngd executable and the arguments that assemble the report, without `--assemble` (added here).
    public var assembleCommand: [String]
    /// Variables pinned in every job (e.g. OPENBLAS_NUM_THREADS: the thread count changes the last bits).
    public var environment: [(String, String)]

    public init(jobName: String, directory: SlurmDirectory, shards: Int, resources: SlurmResources,
                workingDirectory: String, shardCommand: [String], assembleCommand: [String],
                environment: [(String, String)] = []) {
        self.jobName = jobName
        self.directory = directory
        self.shards = shards
        self.resources = resources
        self.workingDirectory = workingDirectory
        self.shardCommand = shardCommand
        self.assembleCommand = assembleCommand
        self.environment = environment
    }

    public static func == (a: SlurmScripts, b: SlurmScripts) -> Bool {
        a.arrayScript == b.arrayScript && a.assembleScript == b.assembleScript
    }

    /// The job array: task `SLURM_ARRAY_TASK_ID` runs its shard, then records that it finished (job id, node) in
    /// `done/`. Its stdout and stderr go to `logs/shard-<index>.out|.err`.
    public var arrayScript: String {
        let command = (shardCommand + ["--shard"]).map(ShellWord.quoted).joined(separator: " ")
            + " \"${SLURM_ARRAY_TASK_ID}/\(shards)\" --shared-cache " + ShellWord.quoted(directory.cache)
        let done = ShellWord.quoted(directory.doneDirectory)
        return header(name: jobName, extra: ["--array=0-\(shards - 1)",
                                             "--output=\(directory.logs)/shard-%a.out",
                                             "--error=\(directory.logs)/shard-%a.err"])
            + """
            \(command)
            # Recorded only after the shard succeeded: the assembly job reads which shards finished, where and as which job.
            marker=\(done)/shard-${SLURM_ARRAY_TASK_ID}
            node=$(hostname -s)
            printf 'job=%s array_job=%s node=%s\\n' "$SLURM_JOB_ID" "$SLURM_ARRAY_JOB_ID" "$node" > "$marker.tmp-$$"
            mv -f "$marker.tmp-$$" "$marker"

            """
    }

    /// The assembly job: `ngd … --assemble DIR` names the shards that did not finish (exit 1, no report), or
    /// builds the report from the shared cache.
    public var assembleScript: String {
        let command = (assembleCommand + ["--assemble", directory.path]).map(ShellWord.quoted).joined(separator: " ")
        return header(name: jobName + "-assemble", extra: ["--output=\(directory.logs)/assemble.out",
                                                           "--error=\(directory.logs)/assemble.err"])
            + command + "\n"
    }

    private func header(name: String, extra: [String]) -> String {
        let directives = ["--job-name=\(name)", "--chdir=\(workingDirectory)"] + extra + resources.directives
        var text = "#!/bin/bash\n# Written by ngd (--slurm). Submit with: \(submitHint)\n"
        text += directives.map { "#SBATCH \($0)\n" }.joined()
        text += "set -euo pipefail\n"
        text += environment.map { "export \($0.0)=\(ShellWord.quoted($0.1))\n" }.joined()
        return text
    }

    /// How to submit both scripts by hand (the assembly runs after every array task ended, however it ended).
    public var submitHint: String {
        "array=$(sbatch --parsable \(ShellWord.quoted(directory.arrayScript))) && "
            + "sbatch --dependency=afterany:${array%%;*} \(ShellWord.quoted(directory.assembleScript))"
    }
}

/// Quoting for a POSIX shell: a word of safe characters stays as it is, anything else is single-quoted.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./=:,+@%")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
