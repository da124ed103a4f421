import Foundation
import NGD
import Testing
@testable import Report

/// A spec report over `data.csv` (relative to the spec), one run.
private let csvSpec = """
title: CSV cache
datasets:
  table: {kind: csv, path: data.csv}
models:
  small: {width: 16}
optimizers:
  ngd: {kind: ngd, lr: 0.5}
runs:
  - {id: fit, dataset: table, model: small, optimizer: ngd, steps: 2}

"""

private let csvData = "y,a,b,c\n1,0.5,0.2,0.1\n-1,0.1,0.9,0.3\n0.5,0.3,0.3,0.9\n"
private let csvDataWithOtherTargets = "y,a,b,c\n1,0.5,0.2,0.1\n-1,0.1,0.9,0.3\n0.9,0.3,0.3,0.9\n"

/// Replaces the number after `"name" : ` in a pretty-printed JSON file, as a hand edit would.
private func editNumber(named name: String, in path: String, to value: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let pattern = try NSRegularExpression(pattern: "(\"\(name)\" : )(-?[0-9.eE+-]+)")
    let range = try #require(pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))?.range(at: 2))
    let edited = (text as NSString).replacingCharacters(in: range, with: value)
    #expect(edited != text)
    try edited.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Rewrites the manifest's hash of `relative` to match the file as it is now (a forger covering an edit).
private func regenerateManifestHash(of relative: String, in report: String) throws {
    let path = (report as NSString).appendingPathComponent(Manifest.fileName)
    let data = try #require(FileManager.default.contents(atPath: path))
    var manifest = try CanonicalJSON.decoder().decode(Manifest.self, from: data)
    manifest.files[relative] = try #require(SHA256Hex.ofFile(at: (report as NSString).appendingPathComponent(relative)))
    try CanonicalJSON.data(manifest, pretty: true).write(to: URL(fileURLWithPath: path))
}

private func runFiles(in report: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: (report as NSString).appendingPathComponent("runs")).sorted()
}

@Suite struct CacheIntegrityTests {
    @Test func aCSVWhoseContentChangesUnderTheSamePathIsRetrained() throws {
        let directory = try TemporaryDirectory()
        let spec = directory.appending("spec.yaml"), output = directory.appending("report")
        try csvSpec.write(toFile: spec, atomically: true, encoding: .utf8)
        try csvData.write(toFile: directory.appending("data.csv"), atomically: true, encoding: .utf8)
        let builder = ReportBuilder(configuration: configuration(executor: NGDRunExecutor()))

        let first = try builder.build(specSource: csvSpec, specFile: spec, into: output)
        #expect(first.runsTrained == 1 && first.runsCached == 0)
        let firstRuns = try runFiles(in: output)
        let again = try builder.build(specSource: csvSpec, specFile: spec, into: output)
        #expect(again.runsTrained == 0 && again.runsCached == 1)

        try csvDataWithOtherTargets.write(toFile: directory.appending("data.csv"), atomically: true, encoding: .utf8)
        let changed = try builder.build(specSource: csvSpec, specFile: spec, into: output)
        #expect(changed.runsTrained == 1 && changed.runsCached == 0)
        let changedRuns = try runFiles(in: output)
        #expect(changedRuns.count == 1 && changedRuns != firstRuns)
        let entry = try CanonicalJSON.decoder().decode(CachedRun.self, from: try #require(
            FileManager.default.contents(atPath: directory.appending("report/runs/\(changedRuns[0])"))))
        #expect(entry.result.matrices["targets"]?.values.last == 0.9)
        #expect(entry.run.dataset.path == "data.csv")
    }

    @Test func relativeDataPathsAreReadFromTheSpecsDirectoryAndKeysDoNotDependOnIt() throws {
        let first = try TemporaryDirectory(), second = try TemporaryDirectory()
        for directory in [first, second] {
            try csvData.write(toFile: directory.appending("data.csv"), atomically: true, encoding: .utf8)
        }
        // Neither directory is the current one: the spec's directory decides.
        let spec = try ExperimentSpec.parse(yaml: csvSpec)
        let a = try spec.resolved(dataDirectory: first.path), b = try spec.resolved(dataDirectory: second.path)
        #expect(a.members.map(\.key) == b.members.map(\.key))
        let run = try #require(a.members.first?.run)
        #expect(run.dataset.path == "data.csv" && run.dataset.contentDigest != nil)
        #expect(a.located(run).dataset.path == first.appending("data.csv"))

        try csvDataWithOtherTargets.write(toFile: second.appending("data.csv"), atomically: true, encoding: .utf8)
        #expect(try spec.resolved(dataDirectory: second.path).members.map(\.key) != a.members.map(\.key))
        #expect(throws: NGDError.self) { try spec.resolved(dataDirectory: first.appending("nowhere")) }
    }

    @Test func builtInDataHaveNoContentDigestSoTheirKeysAreUnchanged() throws {
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved(dataDirectory: "/nonexistent")
        #expect(experiment.members.allSatisfy { $0.run.dataset.contentDigest == nil })
        #expect(!String(decoding: try CanonicalJSON.data(experiment.members[0].run), as: UTF8.self).contains("digest"))
    }

    @Test func aFileChangedAfterItsKeyWasComputedFailsTheRunInsteadOfBeingCachedUnderIt() throws {
        let directory = try TemporaryDirectory()
        try csvData.write(toFile: directory.appending("data.csv"), atomically: true, encoding: .utf8)
        let experiment = try ExperimentSpec.parse(yaml: csvSpec).resolved(dataDirectory: directory.path)
        let run = try #require(experiment.runs.first)
        try csvDataWithOtherTargets.write(toFile: directory.appending("data.csv"), atomically: true, encoding: .utf8)
        let error = try #require(throws: NGDError.self) {
            try NGDRunExecutor().execute(experiment.located(run), shouldStop: { false })
        }
        #expect(error.message.contains("changed while it was in use"))
    }

    @Test func anEditedCachedNumberIsWarnedAboutAndRetrained() throws {
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let executor = FakeExecutor(), warnings = LineCollector()
        let cache = RunCache(directory: directory.appending("runs"), warn: { warnings.append($0 + "\n") })
        let scheduler = RunScheduler(executor: executor, cache: cache, shouldStop: { false })
        let original = try scheduler.results(for: experiment)
        let run = try #require(experiment.runs.first)
        let file = directory.appending("runs/\(run.key).json")
        try editNumber(named: "lambda_max", in: file, to: "4e-16")

        let again = try scheduler.results(for: experiment)
        #expect(executor.calls == experiment.runs.count + 1)
        #expect(again == original)
        #expect(warnings.text == "\(file): cached result fails its checksum (edited or corrupt); retraining\n")
        // The retrained entry replaced the edited one.
        #expect(cache.lookup(run).result == original[run.key])
    }

    @Test func anEditedCachedNumberFailsFilesOnlyVerificationEvenWithARegeneratedManifest() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        #expect(try ReportVerifier.checkFiles(in: output).passed)
        let name = try #require(try runFiles(in: output).first)
        try editNumber(named: "lambda_max", in: directory.appending("report/runs/\(name)"), to: "4e-16")
        try regenerateManifestHash(of: "runs/\(name)", in: output)

        let report = try ReportVerifier.checkFiles(in: output)
        #expect(report.altered.isEmpty)
        #expect(report.corruptRuns == ["runs/\(name)"])
        #expect(!report.passed)

        // The next build refuses the edited entry and retrains that run only.
        let executor = FakeExecutor()
        let summary = try ReportBuilder(configuration: configuration(executor: executor))
            .build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        #expect(summary.runsTrained == 1 && executor.calls == 1)
        #expect(try ReportVerifier.checkFiles(in: output).passed)
    }

    @Test func aPoisonedEntryInAnExtraCacheIsRefusedAndNotCopied() throws {
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let shard = RunCache(directory: directory.appending("shard"), warn: { _ in })
        _ = try RunScheduler(executor: FakeExecutor(), cache: shard, shouldStop: { false }).results(for: experiment)
        let run = try #require(experiment.runs.first)
        let poisoned = directory.appending("shard/\(run.key).json")
        try editNumber(named: "lambda_max", in: poisoned, to: "4e-16")

        let warnings = LineCollector()
        let cache = RunCache(directory: directory.appending("runs"), readOnly: [directory.appending("shard")],
                             warn: { warnings.append($0 + "\n") })
        try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
        let lookup = cache.lookup(run)
        #expect(lookup.result == nil && lookup.rejected.map(\.path) == [poisoned])
        let executor = FakeExecutor()
        _ = try RunScheduler(executor: executor, cache: cache, shouldStop: { false }).results(for: experiment)
        #expect(executor.calls == 1)
        #expect(warnings.text == "\(poisoned): cached result fails its checksum (edited or corrupt); retraining\n")
        // The intact entries were copied; the retrained one is this build's own, not the poisoned bytes.
        let copied = try #require(FileManager.default.contents(atPath: cache.directory + "/\(run.key).json"))
        #expect(copied != FileManager.default.contents(atPath: poisoned))
        #expect(cache.lookup(run).result != nil)
    }

    @Test func dryRunListingUsesTheBuildsCacheRule() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let run = try #require(experiment.runs.first)
        try editNumber(named: "lambda_max", in: directory.appending("report/runs/\(run.key).json"), to: "4e-16")

        let lines = LineCollector(), warnings = LineCollector()
        RunListing.write(experiment, cache: .forReport(output: output), shard: nil,
                         line: { lines.append($0 + "\n") }, warn: { warnings.append($0 + "\n") })
        let listed = lines.text.split(separator: "\n")
        #expect(listed.count == experiment.runs.count + 1)
        #expect(listed[0].hasPrefix("0\t\(run.key.prefix(12))\tto run\t"))
        #expect(listed.dropFirst().dropLast().allSatisfy { $0.contains("\tcached\t") })
        #expect(listed.last?.hasPrefix("\(experiment.runs.count) run(s), \(experiment.runs.count - 1) cached, ") == true)
        #expect(warnings.text.contains("fails its checksum"))
    }

    @Test func dryRunListingIsLinearInTheNumberOfMembers() throws {
        // 20 000 members: the former per-run scan of all members did 4·10⁸ comparisons here.
        let widths = (1...2000).map(String.init).joined(separator: ", ")
        let yaml = """
        title: big sweep
        datasets:
          s: {kind: synthetic, n: 4, d: 2}
        models:
          m: {width: 8}
        optimizers:
          o: {kind: ngd, lr: 0.5}
        sweeps:
          - id: big
            dataset: s
            model: m
            optimizer: o
            steps: 1
            over:
              width: [\(widths)]
              seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

        """
        let directory = try TemporaryDirectory()
        let experiment = try ExperimentSpec.parse(yaml: yaml).resolved()
        #expect(experiment.members.count == 20_000)
        let start = DispatchTime.now()
        var count = 0
        RunListing.write(experiment, cache: .forReport(output: directory.appending("report")), shard: nil,
                         line: { _ in count += 1 }, warn: { _ in })
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        #expect(count == 20_001)
        #expect(seconds < 20, "listing 20 000 runs took \(seconds) s")
    }
}

@Suite struct PaperCacheIntegrityTests {
    /// Runs compared by their bytes (a NaN metric makes `==` false for equal runs).
    private func encoded(_ run: TrainingRun) throws -> Data { try CanonicalJSON.data(run) }

    private func mnistDirectory(_ root: TemporaryDirectory, firstPixel: UInt8) throws -> String {
        let path = root.appending("mnist")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        func word(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
        let labels: [UInt8] = [4, 9, 4, 9]
        let pixels: [UInt8] = [firstPixel, 30, 0, 200, 90, 0, 40, 1, 0, 70, 220, 5, 33, 0, 180, 60]
        try Data(word(0x0803) + word(4) + word(2) + word(2) + pixels)
            .write(to: URL(fileURLWithPath: path + "/t10k-images-idx3-ubyte"))
        try Data(word(0x0801) + word(4) + labels).write(to: URL(fileURLWithPath: path + "/t10k-labels-idx1-ubyte"))
        return path
    }

    @Test func theStudyContextRetrainsWhenAnMNISTFileChanges() throws {
        let root = try TemporaryDirectory()
        let runs = root.appending("runs")
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        let request = DatasetRequest(kind: .mnist, outputs: 2, classes: [4, 9], perClass: 2,
                                     path: try mnistDirectory(root, firstPixel: 10))
        let config = TrainingConfig(width: 32, outputs: 2, steps: 2)

        let first = StudyContext(settings: PaperSettings(quick: true), cacheDirectory: runs)
        let trained = try first.train(config, on: request, label: "mnist")
        #expect(first.trainedRuns == 1)
        #expect(trained.config.data?.contentDigest != nil)

        let second = StudyContext(settings: PaperSettings(quick: true), cacheDirectory: runs)
        #expect(try encoded(second.train(config, on: request, label: "mnist")) == encoded(trained))
        #expect(second.cachedRuns == 1 && second.trainedRuns == 0)

        _ = try mnistDirectory(root, firstPixel: 250)
        let third = StudyContext(settings: PaperSettings(quick: true), cacheDirectory: runs)
        let retrained = try third.train(config, on: request, label: "mnist")
        #expect(third.trainedRuns == 1 && third.cachedRuns == 0)
        #expect(retrained.config.data?.contentDigest != trained.config.data?.contentDigest)
        #expect(Set(first.usedKeys).isDisjoint(with: third.usedKeys))

        // Built-in data read no file: no digest, so the paper's run keys without MNIST are unchanged.
        #expect(try third.digested(Figure1Request.defaultData(mnistDirectory: nil)).contentDigest == nil)
    }

    @Test func anEditedPaperCacheEntryIsWarnedAboutAndRetrained() throws {
        let root = try TemporaryDirectory()
        let runs = root.appending("runs")
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        let request = DatasetRequest(kind: .synthetic, count: 6, dimension: 4, seed: 0)
        let config = TrainingConfig(width: 64, steps: 2)
        let first = StudyContext(settings: PaperSettings(quick: true), cacheDirectory: runs)
        let trained = try first.train(config, on: request, label: "tiny")
        let key = try #require(first.usedKeys.first)
        let file = StudyContext.path(runs, key)
        try editNumber(named: "residual_norm", in: file, to: "4e-16")

        let warnings = LineCollector()
        let second = StudyContext(settings: PaperSettings(quick: true), cacheDirectory: runs)
        second.warn = { warnings.append($0 + "\n") }
        #expect(try encoded(second.train(config, on: request, label: "tiny")) == encoded(trained))
        #expect(second.trainedRuns == 1 && second.cachedRuns == 0)
        #expect(warnings.text == "\(file): cached result fails its checksum (edited or corrupt); retraining\n")
        #expect(CacheIntegrity.isIntact(fileAt: file))
    }
}
