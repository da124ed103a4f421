import Foundation
import NGD
import Testing
@testable import Report

@Suite struct ReportDirectoryTests {
    @Test func buildWritesTheHydraStyleLayout() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("out/report")
        let summary = try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml",
                                                                              into: output)
        #expect(summary.assembled)
        let files = Set(OutputFiles.list(output))
        for expected in ["report.html", "report.pdf", "manifest.json", "timing.json", "data/claims.json",
                         "figures/convergence.pdf", "figures/convergence.svg", "figures/convergence.png",
                         "figures/convergence.csv", "data/convergence.json"] {
            #expect(files.contains(expected), "missing \(expected)")
        }
        #expect(files.filter { $0.hasPrefix("runs/") }.count == 8)
        // No staging or retired directory is left behind (only the lock file).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appending("out")).sorted() == [".report.lock", "report"])
    }

    @Test func manifestHashesMatchEveryFileExceptManifestAndTiming() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let header = try ManifestHeader.read(from: output)
        let listed = Set(OutputFiles.list(output)).subtracting(["manifest.json", "timing.json"])
        #expect(Set(header.files.keys) == listed)
        for (path, hash) in header.files {
            let data = try #require(FileManager.default.contents(atPath: (output as NSString).appendingPathComponent(path)))
            #expect(SHA256Hex.of(data) == hash, "\(path)")
        }
        // Sorted keys: the manifest's own bytes are stable too.
        let text = try String(contentsOfFile: (output as NSString).appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(text.contains("\"claims\" : ["))
        #expect(text.contains("\"passed\" : false"))
    }

    @Test func rebuildingIsByteIdenticalAndReusesTheCache() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        let executor = FakeExecutor()
        let builder = ReportBuilder(configuration: configuration(executor: executor))
        try builder.build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let trained = executor.calls
        var first = snapshot(output)
        let second = try builder.build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        #expect(executor.calls == trained)
        #expect(second.runsTrained == 0 && second.runsCached == trained)
        var again = snapshot(output)
        first["timing.json"] = nil
        again["timing.json"] = nil
        #expect(first == again)
    }

    @Test func aFailingRunLeavesThePreviousReportByteIdentical() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let before = snapshot(output)
        // A changed spec needs new runs; the second new run fails.
        let changed = sampleSpec.replacingOccurrences(of: "steps: 12", with: "steps: 14")
        let failing = FakeExecutor()
        failing.failOnCall = 2
        #expect(throws: ReportError.self) {
            try ReportBuilder(configuration: configuration(executor: failing)).build(specSource: changed, specFile: "sample.yaml",
                                                                                     into: output)
        }
        #expect(snapshot(output) == before)
        // The run that completed before the failure is kept for the next attempt.
        let resumed = FakeExecutor()
        let summary = try ReportBuilder(configuration: configuration(executor: resumed)).build(specSource: changed,
                                                                                                specFile: "sample.yaml", into: output)
        #expect(summary.runsTrained == 1)
        #expect(summary.runsCached == 7)
    }

    @Test func anInterruptedBuildLeavesThePreviousReportAndResumes() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let before = snapshot(output)
        let changed = sampleSpec.replacingOccurrences(of: "steps: 6", with: "steps: 7")
        let executor = FakeExecutor()
        let budget = Budget(runs: 3)
        #expect(throws: ReportError.interrupted) {
            try ReportBuilder(configuration: configuration(executor: executor, stop: { budget.exhausted(executor.calls) }))
                .build(specSource: changed, specFile: "sample.yaml", into: output)
        }
        #expect(snapshot(output) == before)
        let resumed = FakeExecutor()
        let summary = try ReportBuilder(configuration: configuration(executor: resumed))
            .build(specSource: changed, specFile: "sample.yaml", into: output)
        #expect(summary.runsTrained == 3)
        #expect(summary.runsCached == 5)
    }

    @Test func aSwapInterruptedBetweenRenamesIsRepaired() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let before = snapshot(output)
        // Simulate death after the first rename: the old report sits aside, nothing at `output`.
        #expect(rename(output, ReportBuilder.retiredPath(output)) == 0)
        try ReportBuilder.recoverInterruptedSwap(output: output, retired: ReportBuilder.retiredPath(output))
        #expect(snapshot(output) == before)
    }

    @Test func aShardOnlyCachesItsRuns() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        var config = configuration()
        config.shard = Shard("1/2")
        let summary = try ReportBuilder(configuration: config).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        #expect(!summary.assembled)
        #expect(summary.runsTrained == 4)
        #expect(!FileManager.default.fileExists(atPath: output))
        // The assembling build picks up the shard's results and trains only the rest.
        let rest = try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        #expect(rest.runsTrained == 4 && rest.runsCached == 4)
    }
}

@Suite struct DirectoryLockTests {
    @Test func aSecondBuilderOnTheSameDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        let held = try DirectoryLock(path: ReportBuilder.lockPath(output))
        #expect(throws: ReportError.self) {
            try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "s.yaml", into: output)
        }
        withExtendedLifetime(held) {}
    }
}
