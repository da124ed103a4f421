import Foundation
import Testing
@testable import Report

@Suite struct VerifyScratchAndLinkTests {
    private func scratchDirectories(in root: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix("ngd-verify-") }
    }

    @Test func aFailedVerifyLeavesNoScratchDirectory() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let scratchRoot = directory.appending("tmp")
        try FileManager.default.createDirectory(atPath: scratchRoot, withIntermediateDirectories: true)
        let noisy = FakeExecutor()
        noisy.nondeterministic = true
        let report = try ReportVerifier(configuration: configuration(executor: noisy)).verify(directory: output,
                                                                                              scratchRoot: scratchRoot,
                                                                                              strict: true)
        #expect(!report.passed)
        #expect(report.scratchDirectory == nil)
        #expect(try scratchDirectories(in: scratchRoot).isEmpty)
    }

    @Test func aRerunThatFailsLeavesNoScratchDirectory() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let scratchRoot = directory.appending("tmp")
        try FileManager.default.createDirectory(atPath: scratchRoot, withIntermediateDirectories: true)
        let failing = FakeExecutor()
        failing.failOnCall = 3
        #expect(throws: ReportError.self) {
            try ReportVerifier(configuration: configuration(executor: failing)).verify(directory: output, scratchRoot: scratchRoot)
        }
        #expect(try scratchDirectories(in: scratchRoot).isEmpty)
    }

    @Test func anInterruptedVerifyLeavesNoScratchDirectory() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let scratchRoot = directory.appending("tmp")
        try FileManager.default.createDirectory(atPath: scratchRoot, withIntermediateDirectories: true)
        let executor = FakeExecutor()
        let budget = Budget(runs: 2)
        #expect(throws: ReportError.interrupted) {
            try ReportVerifier(configuration: configuration(executor: executor, stop: { budget.exhausted(executor.calls) }))
                .verify(directory: output, scratchRoot: scratchRoot)
        }
        #expect(try scratchDirectories(in: scratchRoot).isEmpty)
    }

    @Test func keepScratchKeepsTheRerun() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let scratchRoot = directory.appending("tmp")
        try FileManager.default.createDirectory(atPath: scratchRoot, withIntermediateDirectories: true)
        let report = try ReportVerifier(configuration: configuration()).verify(directory: output, scratchRoot: scratchRoot,
                                                                               keepScratch: true)
        let kept = try #require(report.scratchDirectory)
        #expect(FileManager.default.fileExists(atPath: (kept as NSString).appendingPathComponent("manifest.json")))
        // Its parent is private to this user: nobody else on a shared /tmp can plant files or links in it.
        let parent = (kept as NSString).deletingLastPathComponent
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: parent)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o700)
    }

    @Test func eachVerifyRerunsInADirectoryOfItsOwn() throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("tmp")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let first = try ReportVerifier.makeScratchParent(in: root)
        let second = try ReportVerifier.makeScratchParent(in: root)
        #expect(first != second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: first).isEmpty)
        #expect(throws: ReportError.self) { try ReportVerifier.makeScratchParent(in: directory.appending("missing")) }
    }

    @Test func aReportHoldingASymbolicLinkAtAnyDepthIsNotVerified() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let elsewhere = directory.appending("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: (output as NSString).appendingPathComponent("data/extra"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: (output as NSString).appendingPathComponent("data/extra/linked"),
                                                   withDestinationPath: elsewhere)
        let report = try ReportVerifier.checkFiles(in: output)
        #expect(report.symbolicLinks == ["data/extra/linked"])
        #expect(!report.passed)
    }

    @Test func aListedFileReplacedByALinkToTheSameBytesIsNotVerified() throws {
        let directory = try TemporaryDirectory()
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration()).build(specSource: sampleSpec, specFile: "sample.yaml", into: output)
        let html = (output as NSString).appendingPathComponent("report.html")
        let copy = directory.appending("copy.html")
        try FileManager.default.moveItem(atPath: html, toPath: copy)
        try FileManager.default.createSymbolicLink(atPath: html, withDestinationPath: copy)
        let report = try ReportVerifier.checkFiles(in: output)
        #expect(report.symbolicLinks == ["report.html"])
        #expect(report.missing == ["report.html"])
        #expect(!report.passed)
    }
}
