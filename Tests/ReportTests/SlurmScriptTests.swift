import Foundation
import Testing
@testable import Report

@Suite struct SlurmScriptTests {
    private func scripts(in directory: SlurmDirectory, resources: SlurmResources = SlurmResources()) -> SlurmScripts {
        SlurmScripts(jobName: "ngd-sweep", directory: directory, shards: 4, resources: resources,
                     workingDirectory: "/home/me/project",
                     shardCommand: ["/opt/ngd", "report", "my spec.yaml"],
                     assembleCommand: ["/opt/ngd", "report", "my spec.yaml", "--out", "out/sweep"],
                     environment: [("OPENBLAS_NUM_THREADS", "1")])
    }

    @Test func arrayScriptRunsOneShardPerTaskIntoTheSharedCacheWithPerTaskLogs() {
        let directory = SlurmDirectory(path: "/shared/.sweep.slurm")
        let text = scripts(in: directory, resources: SlurmResources(partition: "debug", time: "10:00", cpusPerTask: 2,
                                                                    memory: "4G", extraArguments: ["--account=abc"])).arrayScript
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        #expect(lines.contains("#SBATCH --array=0-3"))
        #expect(lines.contains("#SBATCH --output=/shared/.sweep.slurm/logs/shard-%a.out"))
        #expect(lines.contains("#SBATCH --error=/shared/.sweep.slurm/logs/shard-%a.err"))
        #expect(lines.contains("#SBATCH --chdir=/home/me/project"))
        let directives = lines.filter { $0.hasPrefix("#SBATCH --partition") || $0.hasPrefix("#SBATCH --time")
            || $0.hasPrefix("#SBATCH --cpus") || $0.hasPrefix("#SBATCH --mem") || $0.hasPrefix("#SBATCH --account") }
        #expect(directives == ["#SBATCH --partition=debug", "#SBATCH --time=10:00", "#SBATCH --cpus-per-task=2",
                               "#SBATCH --mem=4G", "#SBATCH --account=abc"])
        #expect(lines.contains("export OPENBLAS_NUM_THREADS=1"))
        #expect(lines.contains("/opt/ngd report 'my spec.yaml' --shard \"${SLURM_ARRAY_TASK_ID}/4\" --shared-cache /shared/.sweep.slurm/cache"))
        // The done marker is written only after ngd succeeded (set -e) and renamed into place.
        let command = lines.firstIndex { $0.hasPrefix("/opt/ngd") } ?? 0
        let marker = lines.firstIndex { $0.hasPrefix("mv -f") } ?? 0
        #expect(lines.contains("set -euo pipefail") && command < marker)
    }

    /// The array script run by bash as a task would run it (the shard command stubbed by `true`): its done marker
    /// must be the one the assembly job reads, naming the job, the array job and the node.
    @Test func arrayTaskRunByBashLeavesTheDoneMarkerTheAssemblyReads() throws {
        let temporary = try TemporaryDirectory()
        let directory = SlurmDirectory(path: temporary.appending(".sweep.slurm"))
        try directory.prepare(shards: 4)
        let script = SlurmScripts(jobName: "ngd-sweep", directory: directory, shards: 4, resources: SlurmResources(),
                                  workingDirectory: temporary.path, shardCommand: ["true"], assembleCommand: ["true"],
                                  environment: []).arrayScript
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.environment = ["PATH": "/usr/bin:/bin", "SLURM_ARRAY_TASK_ID": "2", "SLURM_JOB_ID": "17",
                               "SLURM_ARRAY_JOB_ID": "15"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let finished = directory.finishedShards(count: 4)
        #expect(finished.map(\.index) == [2])
        #expect(finished.first?.jobID == "17" && finished.first?.arrayJobID == "15")
        #expect(finished.first.map { !$0.node.isEmpty && !$0.node.contains(" ") } == true)
    }

    @Test func assemblyScriptAssemblesFromTheSlurmDirectoryWithItsOwnLogs() {
        let directory = SlurmDirectory(path: "/shared/.sweep.slurm")
        let lines = scripts(in: directory).assembleScript.split(separator: "\n").map(String.init)
        #expect(lines.contains("#SBATCH --output=/shared/.sweep.slurm/logs/assemble.out"))
        #expect(!lines.contains { $0.contains("--array") })
        #expect(lines.last == "/opt/ngd report 'my spec.yaml' --out out/sweep --assemble /shared/.sweep.slurm")
        #expect(scripts(in: directory).submitHint.contains("--dependency=afterany:"))
    }

    @Test func shellQuotingSurvivesQuotesAndSpaces() {
        #expect(ShellWord.quoted("plain/path.yaml") == "plain/path.yaml")
        #expect(ShellWord.quoted("it's here") == "'it'\\''s here'")
        #expect(ShellWord.quoted("") == "''")
        #expect(ShellWord.quoted("$HOME") == "'$HOME'")
    }

    @Test func resourceValuesThatWouldBreakTheScriptAreRefusedNamingTheOption() {
        #expect(throws: ClusterError.self) { try SlurmResources(time: "10:00\n#SBATCH --x").check() }
        do {
            try SlurmResources(extraArguments: ["account=abc"]).check()
            Issue.record("an sbatch argument without a dash was accepted")
        } catch let error as ClusterError {
            #expect(error.isUsage && error.source == "--sbatch-arg")
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: ClusterError.self) { try SlurmResources(cpusPerTask: 0).check() }
        #expect(throws: Never.self) { try SlurmResources(partition: "debug", time: "1:00:00", extraArguments: ["--qos=short"]).check() }
    }

    @Test func assemblyNamesTheShardsThatDidNotFinishWithTheirLogs() throws {
        let temporary = try TemporaryDirectory()
        let directory = SlurmDirectory(path: temporary.appending(".sweep.slurm"))
        try directory.prepare(shards: 4)
        for index in [0, 1, 3] {
            try "job=1\(index) array_job=10 node=n\(index)\n".write(toFile: directory.doneMarker(index), atomically: true, encoding: .utf8)
        }
        do {
            _ = try directory.requireAllShardsFinished()
            Issue.record("an incomplete array was accepted")
        } catch let error as ClusterError {
            guard case .shardsMissing(_, let missing, let shards, let logs) = error else { Issue.record("\(error)"); return }
            #expect(missing == [2] && shards == 4)
            #expect(logs == [directory.shardLog(2)])
            #expect(error.message.hasPrefix("1 of 4 shard(s) did not finish: shard 2/4 (log \(directory.logs)/shard-2.err)"))
            #expect(!error.isUsage)
        }
        try "job=12 array_job=10 node=n2\n".write(toFile: directory.doneMarker(2), atomically: true, encoding: .utf8)
        let finished = try directory.requireAllShardsFinished()
        #expect(finished.map(\.node) == ["n0", "n1", "n2", "n3"])
        let provenance = ClusterProvenance(finished: finished, environment: ["SLURM_JOB_ID": "11", "SLURMD_NODENAME": "n9"])
        #expect(provenance.arrayJobID == "10" && provenance.assemblyJobID == "11" && provenance.assemblyNode == "n9")
        // A new submission forgets the old markers.
        directory.clearDoneMarkers()
        #expect(directory.finishedShards(count: 4).isEmpty)
    }

    @Test func slurmDirectoryFollowsTheOutputLocationRule() throws {
        let temporary = try TemporaryDirectory()
        let output = temporary.appending("sweep")
        let spec = temporary.appending("spec.yaml")
        try "x".write(toFile: spec, atomically: true, encoding: .utf8)
        let mine = SlurmDirectory.beside(output: output)
        #expect(mine.path == temporary.appending(".sweep.slurm"))
        try mine.check(output: output, inputs: [spec], option: "--out")
        try mine.prepare(shards: 2)
        try mine.check(output: output, inputs: [spec], option: "--out")   // its own directory: accepted

        // A stranger's directory, a link, the report itself and a directory holding the spec are refused.
        let foreign = SlurmDirectory(path: temporary.appending("theirs"))
        try FileManager.default.createDirectory(atPath: foreign.path, withIntermediateDirectories: true)
        try "data".write(toFile: foreign.path + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: OutputRefusal.self) { try foreign.check(output: output, inputs: [], option: "--slurm-dir") }
        try FileManager.default.createSymbolicLink(atPath: temporary.appending("link"), withDestinationPath: mine.path)
        #expect(throws: OutputRefusal.self) {
            try SlurmDirectory(path: temporary.appending("link")).check(output: output, inputs: [], option: "--slurm-dir")
        }
        #expect(throws: OutputRefusal.self) { try SlurmDirectory(path: output).check(output: output, inputs: [], option: "--slurm-dir") }
        #expect(throws: OutputRefusal.self) {
            try SlurmDirectory(path: temporary.path).check(output: output, inputs: [spec], option: "--slurm-dir")
        }
        // Something planted inside ngd's own directory is named.
        try "x".write(toFile: mine.path + "/planted.sh", atomically: true, encoding: .utf8)
        #expect(throws: OutputRefusal.self) { try mine.check(output: output, inputs: [], option: "--out") }
    }
}
