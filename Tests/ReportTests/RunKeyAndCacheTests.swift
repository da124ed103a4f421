import Foundation
import NGD
import Testing
@testable import Report

@Suite struct RunKeyAndCacheTests {
    @Test func resolvingExpandsRunsSweepsAndSeedsInSpecOrder() throws {
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        #expect(experiment.members.map(\.group) == ["ngd_wide", "gd_wide"] + Array(repeating: "widths", count: 6))
        // The product nests in SweepParameter order: width outer, seed inner.
        #expect(experiment.members(of: "widths").map(\.label) == [
            "widths (width=64, seed=1)", "widths (width=64, seed=2)", "widths (width=256, seed=1)",
            "widths (width=256, seed=2)", "widths (width=1024, seed=1)", "widths (width=1024, seed=2)",
        ])
        let first = try #require(experiment.members.first)
        #expect(first.run.model.seed == 7 && first.run.dataset.seed == 7)
        #expect(experiment.members(of: "widths")[1].run.dataset.seed == 2)
        #expect(first.run.model.initScale == 1 && first.run.optimizer.damping == 0)
    }

    @Test func canonicalJSONOfARunIsPinned() throws {
        // The key is SHA-256 of exactly these bytes plus the tool version: sorted keys, snake_case, no
        // Dictionary order, no dates. If this text changes, every cached result is invalidated.
        let run = try #require(try ExperimentSpec.parse(yaml: sampleSpec).resolved().members.first?.run)
        let json = String(decoding: try CanonicalJSON.data(run), as: UTF8.self)
        #expect(json == #"{"dataset":{"count":8,"dimension":4,"kind":"synthetic","outputs":1,"seed":7},"model":{"init_scale":1,"outputs":1,"seed":7,"train_output_layer":false,"width":1024},"optimizer":{"damping":0,"kind":"ngd","learning_rate":0.5,"linearized":false},"steps":12}"#)
        let expected = SHA256Hex.of(Data(json.utf8) + Data("\nngd \(ToolInfo.version)".utf8))
        #expect(run.key == expected)
    }

    @Test func keysDoNotDependOnTheOrderOfYAMLKeys() throws {
        let reordered = sampleSpec
            .replacingOccurrences(of: "sphere: {kind: synthetic, n: 8, d: 4, outputs: 1}",
                                  with: "sphere: {outputs: 1, d: 4, n: 8, kind: synthetic}")
            .replacingOccurrences(of: "width: [64, 256, 1024]\n      seed: [1, 2]", with: "seed: [1, 2]\n      width: [64, 256, 1024]")
        let a = try ExperimentSpec.parse(yaml: sampleSpec).resolved().members.map(\.key)
        let b = try ExperimentSpec.parse(yaml: reordered).resolved().members.map(\.key)
        #expect(a == b)
        #expect(Set(a).count == a.count)
    }

    @Test func identicalComputationsShareOneKeyAndOneRun() throws {
        let yaml = sampleSpec.replacingOccurrences(of: "width: [64, 256, 1024]", with: "width: [64, 1024]")
            .replacingOccurrences(of: "seed: [1, 2]", with: "seed: [7]")
            .replacingOccurrences(of: "steps: 6", with: "steps: 12")
        let experiment = try ExperimentSpec.parse(yaml: yaml).resolved()
        // widths (width=1024, seed=7) is the same computation as ngd_wide.
        #expect(experiment.members.count == 4)
        #expect(experiment.runs.count == 3)
    }

    @Test func shardsPartitionTheRunsDeterministically() throws {
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let all = experiment.runs.map(\.key)
        let parts = (0..<3).map { index in experiment.runs(inShard: Shard("\(index)/3")).map(\.key) }
        #expect(parts.flatMap { $0 }.sorted() == all.sorted())
        #expect(parts[0] == [all[0], all[3], all[6]])
        #expect(Shard("3/3") == nil && Shard("a/2") == nil)
    }

    @Test func cachedResultsAreReusedWithoutRetraining() throws {
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let executor = FakeExecutor()
        let scheduler = RunScheduler(executor: executor, cache: RunCache(directory: directory.appending("runs")),
                                     shouldStop: { false })
        let first = try scheduler.results(for: experiment)
        #expect(executor.calls == experiment.runs.count)
        let second = try scheduler.results(for: experiment)
        #expect(executor.calls == experiment.runs.count)
        #expect(first == second)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appending("runs")).sorted()
        #expect(files == experiment.runs.map { "\($0.key).json" }.sorted())
    }

    @Test func aCacheEntryForADifferentRunIsIgnored() throws {
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let run = try #require(experiment.runs.first)
        var other = run
        other.steps += 1
        // A file named for `run` holding another run's result (tampered or colliding): retrain.
        // The entry is intact (its checksum matches), so only the run comparison can refuse it.
        let entry = try CachedRun(key: run.key, toolVersion: ToolInfo.version, run: other,
                                  result: RunResult(scalars: ["x": 1])).sealed()
        try FileManager.default.createDirectory(atPath: directory.appending("runs"), withIntermediateDirectories: true)
        try CanonicalJSON.data(entry).write(to: URL(fileURLWithPath: directory.appending("runs/\(run.key).json")))
        let warnings = LineCollector()
        #expect(RunCache(directory: directory.appending("runs"), warn: { warnings.append($0) }).result(for: run) == nil)
        #expect(warnings.text.contains("records another run"))
    }

    @Test func interruptionStopsBetweenRunsAndKeepsCompletedResults() throws {
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let executor = FakeExecutor()
        let budget = Budget(runs: 2)
        let scheduler = RunScheduler(executor: executor, cache: RunCache(directory: directory.appending("runs")),
                                     shouldStop: { budget.exhausted(executor.calls) })
        #expect(throws: ReportError.interrupted) { try scheduler.results(for: experiment) }
        #expect(executor.calls == 2)
        let cached = try FileManager.default.contentsOfDirectory(atPath: directory.appending("runs"))
        #expect(cached.count == 2 && cached.allSatisfy { $0.hasSuffix(".json") })
    }

    @Test func progressPrintsOneLinePerRunWhenNotATerminal() throws {
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let lines = LineCollector()
        let scheduler = RunScheduler(executor: FakeExecutor(), cache: RunCache(directory: directory.appending("runs")),
                                     progress: ProgressReporter(style: .lines, write: lines.append), shouldStop: { false })
        _ = try scheduler.results(for: experiment)
        #expect(lines.text.split(separator: "\n").count == experiment.runs.count)
        #expect(lines.text.hasPrefix("[1/\(experiment.runs.count)] NGD, η = 0.5: "))
    }
}

final class Budget: Sendable {
    let runs: Int
    init(runs: Int) { self.runs = runs }
    func exhausted(_ calls: Int) -> Bool { calls >= runs }
}

final class LineCollector: @unchecked Sendable {
    private(set) var text = ""
    func append(_ line: String) { text += line }
}

@Suite(.serialized) struct InterruptionTests {
    @Test func sigintSetsTheStopFlag() {
        Interruption.setRequested(false)
        Interruption.installHandler()
        // The test runner may block SIGINT on its worker threads; deliver it to this one synchronously.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        var previous = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &set, &previous)
        raise(SIGINT)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        #expect(Interruption.isRequested)
        Interruption.setRequested(false)
        // The handler restored the default action, so a second Ctrl-C still kills a stuck process.
        signal(SIGINT, SIG_DFL)
    }
}
