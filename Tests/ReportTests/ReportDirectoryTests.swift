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
        // No staging, retired or lock file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appending("out")) == ["report"])
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
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report"])
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

@Suite struct ReportReplacementTests {
    @Test func replacingAnNGDReportWorksAndLeavesNoLockOrPreviousBehind() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let changed = sampleSpec.replacingOccurrences(of: "steps: 12", with: "steps: 14")
        let summary = try ReportBuilder(configuration: configuration()).build(specSource: changed, specFile: "sample.yaml",
                                                                              into: output)
        #expect(summary.assembled)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report"])
        let manifest = try String(contentsOfFile: (output as NSString).appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("steps: 14"))
    }

    @Test func aFileNGDDidNotWriteInsideAnOldReportIsRefusedAndKept() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let notes = (output as NSString).appendingPathComponent("figures/notes.txt")
        try "mine\n".write(toFile: notes, atomically: false, encoding: .utf8)
        let before = snapshot(output)
        let executor = FakeExecutor()
        #expect {
            try ReportBuilder(configuration: configuration(executor: executor)).build(specSource: sampleSpec,
                                                                                      specFile: "sample.yaml", into: output)
        } throws: { error in
            (error as? OutputRefusal)?.reason.hasPrefix("holds figures/notes.txt, which ngd did not write") == true
        }
        #expect(executor.calls == 0)
        #expect(snapshot(output) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report"])
    }

    @Test func aNonEmptyDirectoryThatIsNoReportIsRefusedAndAnEmptyOneIsUsed() throws {
        let directory = try TemporaryDirectory()
        let thesis = directory.appending("mine/thesis.tex")
        try FileManager.default.createDirectory(atPath: directory.appending("mine"), withIntermediateDirectories: true)
        try "\\documentclass{article}\n".write(toFile: thesis, atomically: false, encoding: .utf8)
        #expect(throws: OutputRefusal.self) {
            try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml",
                                                                    into: directory.appending("mine"))
        }
        #expect(FileManager.default.contents(atPath: thesis) == Data("\\documentclass{article}\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["mine"])

        try FileManager.default.createDirectory(atPath: directory.appending("empty"), withIntermediateDirectories: true)
        let summary = try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml",
                                                                              into: directory.appending("empty"))
        #expect(summary.assembled)
    }

    @Test func aLinkPlantedInsideTheStagingDirectoryIsRefusedNotFollowed() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        let victim = directory.appending("victim")
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        try "keep\n".write(toFile: (victim as NSString).appendingPathComponent("keep.txt"), atomically: false, encoding: .utf8)
        let staging = ReportBuilder.stagingPath(output)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: (staging as NSString).appendingPathComponent("runs"),
                                                   withDestinationPath: victim)
        #expect {
            try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        } throws: { error in
            (error as? OutputRefusal)?.path == (staging as NSString).appendingPathComponent("runs")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim) == ["keep.txt"])
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func anOutputThatContainsAnInputIsRefusedBeforeAnythingIsCreated() throws {
        let directory = try TemporaryDirectory()
        let spec = directory.appending("project/spec.yaml")
        try FileManager.default.createDirectory(atPath: directory.appending("project"), withIntermediateDirectories: true)
        try sampleSpec.write(toFile: spec, atomically: false, encoding: .utf8)
        let executor = FakeExecutor()
        #expect(throws: OutputRefusal.self) {
            try ReportBuilder(configuration: configuration(executor: executor)).build(specSource: sampleSpec, specFile: spec,
                                                                                      into: directory.appending("project"))
        }
        #expect(executor.calls == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["project"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appending("project")) == ["spec.yaml"])
    }
}

@Suite struct DirectoryLockTests {
    @Test func aSecondConcurrentBuildOnTheSameDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        let staging = ReportBuilder.stagingPath(output)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            let held = try DirectoryLock(directory: staging, building: output)
            let executor = FakeExecutor()
            #expect(throws: ReportError.io(path: output, message: "another ngd process is building this report directory")) {
                try ReportBuilder(configuration: configuration(executor: executor)).build(specSource: sampleSpec,
                                                                                          specFile: "s.yaml", into: output)
            }
            #expect(executor.calls == 0)
            withExtendedLifetime(held) {}
        }
        // Once the first build is gone, the next one proceeds from the same staging directory.
        let summary = try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "s.yaml",
                                                                              into: output)
        #expect(summary.assembled)
    }
}
