import Foundation

/// The findings of `ngd verify DIR`.
public struct VerificationReport: Sendable {
    /// Files whose bytes on disk no longer match the manifest.
    public var altered: [String] = []
    /// Files the manifest lists that are gone.
    public var missing: [String] = []
    /// Files in the directory the manifest does not list (manifest.json and timing.json excepted).
    public var unlisted: [String] = []
    /// Cached results in `runs/` whose own checksum fails (edited, even if the manifest was rewritten to match).
    public var corruptRuns: [String] = []
    /// Files the re-run produced differently (or not at all, or in addition).
    public var differing: [String] = []
    /// Provenance fields that differ between the recorded report and the re-run (why HTML/PDF may differ).
    public var environmentChanges: [String] = []
    /// Symbolic links anywhere in the directory: a report holds none, and ngd never verifies through one.
    public var symbolicLinks: [String] = []
    /// Where the re-run was written, when it was kept (`keepScratch`).
    public var scratchDirectory: String?
    /// The re-run compared with the recorded report, number by number (nil for `--files-only`).
    public var comparison: ReportComparison?
    /// `--strict`: "claims hold" fails too (by default it passes: every claim of the report still has its verdict).
    public var strict = false

    /// The recorded files are intact: nothing altered, missing, added, corrupt or linked.
    public var intact: Bool {
        altered.isEmpty && missing.isEmpty && unlisted.isEmpty && corruptRuns.isEmpty && symbolicLinks.isEmpty
    }

    public var passed: Bool {
        guard intact else { return false }
        guard let level = comparison?.level else { return differing.isEmpty }
        return level == .identical || level == .equivalent || (level == .claimsHold && !strict)
    }
}

/// Re-runs a report from its manifest (no cache: every run is retrained) into a scratch directory and compares
/// the SHA-256 of every file. The re-run goes through the same seams (`ReportConfiguration`) as `ngd report`.
public struct ReportVerifier {
    public var configuration: ReportConfiguration

    public init(configuration: ReportConfiguration) { self.configuration = configuration }

    /// Only the on-disk check: do the files still match the manifest? (Cheap; no re-run.)
    public static func checkFiles(in directory: String) throws -> VerificationReport {
        let header = try ManifestHeader.read(from: directory)
        var report = VerificationReport()
        let present = OutputFiles.hashes(directory)
        for (path, hash) in header.files.sorted(by: { $0.key < $1.key }) {
            guard let actual = present[path] else { report.missing.append(path); continue }
            if actual != hash { report.altered.append(path) }
        }
        report.unlisted = present.keys.filter { header.files[$0] == nil }.sorted()
        report.symbolicLinks = ReportOwnership.walk(directory).filter { $0.kind == .symbolicLink }.map(\.path)
        report.corruptRuns = present.keys.filter { $0.hasPrefix("runs/") && $0.hasSuffix(".json") }.sorted().filter {
            !CacheIntegrity.isIntact(fileAt: (directory as NSString).appendingPathComponent($0))
        }
        return report
    }

    /// `dataDirectory`: where a spec's relative data paths are read (default: the recorded spec file's directory,
    /// which is relative to where the report was built unless the spec was named by an absolute path);
    /// `mnistDirectory`: for a paper report made with `--mnist-dir` (the manifest records no machine paths);
    /// `paperProgress` receives the paper re-run's progress lines; `files`, the caller's `checkFiles` result if it
    /// has one (hashing every file is not free).
    public func verify(directory: String, scratchRoot: String = NSTemporaryDirectory(), keepScratch: Bool = false,
                       dataDirectory: String? = nil, mnistDirectory: String? = nil, paperProgress: ((String) -> Void)? = nil,
                       files: VerificationReport? = nil, tolerances: ComparisonTolerances = ComparisonTolerances(),
                       strict: Bool = false) throws -> VerificationReport {
        let header = try ManifestHeader.read(from: directory)
        var report = try files ?? Self.checkFiles(in: directory)
        report.strict = strict

        let scratchParent = try Self.makeScratchParent(in: scratchRoot)
        let scratch = (scratchParent as NSString).appendingPathComponent("report")
        defer { if !keepScratch { try? FileManager.default.removeItem(atPath: scratchParent) } }
        var rerun = configuration
        rerun.ignoreCache = true
        rerun.extraCaches = []
        rerun.shard = nil
        rerun.environment["SOURCE_DATE_EPOCH"] = header.sourceDateEpoch
        if let templates = header.templatesDirectory {
            rerun.templates = try ReportTemplates.load(directory: templates)
            rerun.templatesDirectory = templates
        }
        rerun.latex = header.latex.map { LaTeXOptions(figures: LaTeXOptions.FigureFormat(rawValue: $0) ?? .pgf) }
        var dataLocation: (recorded: String, rerun: String)?
        if header.specFile == PaperSettings.command {
            let settings = try PaperSettings(invocation: LaTeXOptions.extract(from: header.specSource).rest,
                                             mnistDirectory: mnistDirectory,
                                             manifestPath: (directory as NSString).appendingPathComponent(Manifest.fileName))
            // The same bytes at any path are the same data; other bytes are refused before anything is trained.
            try DataIdentity.check(settings.dataRequests, against: header.dataFiles)
            try PaperReport(settings: settings, invocation: header.specSource).build(into: scratch, configuration: rerun,
                                                                                    progress: paperProgress)
            dataLocation = Self.recordedMNISTDirectory(in: directory).flatMap { recorded in
                settings.mnistDirectory.map { (recorded, $0) }
            }
        } else {
            let spec = try ExperimentSpec.parse(yaml: header.specSource, file: header.specFile)
            let experiment = try spec.resolved(dataDirectory: dataDirectory
                                                   ?? ReportBuilder.dataDirectory(ofSpec: header.specFile))
            try DataIdentity.check(experiment.runs.map { experiment.located($0).dataset }, against: header.dataFiles)
            try ReportBuilder(configuration: rerun).build(specSource: header.specSource, specFile: header.specFile,
                                                          into: scratch, dataDirectory: dataDirectory)
        }

        let fresh = try ManifestHeader.read(from: scratch)
        for path in Set(header.files.keys).union(fresh.files.keys).sorted() where header.files[path] != fresh.files[path] {
            report.differing.append(path)
        }
        // The manifest cannot hash itself, but it is deterministic: compare it whole with the re-run's, so
        // editing it (a claim's `passed`, say) is caught too.
        let recorded = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(Manifest.fileName))
        let rerunManifest = FileManager.default.contents(atPath: (scratch as NSString).appendingPathComponent(Manifest.fileName))
        if recorded != rerunManifest { report.differing.append(Manifest.fileName) }
        if let old = header.provenance, let new = fresh.provenance {
            report.environmentChanges = Self.differences(old, new)
        }
        report.comparison = try ReportComparison.between(recorded: directory, rerun: scratch, tolerances: tolerances,
                                                         dataLocation: dataLocation)
        if keepScratch { report.scratchDirectory = scratch }
        return report
    }

    /// A new, private directory under `root` for the re-run (`mkdtemp`: created at once with mode 0700 under a
    /// name nothing else holds). A name made from the pid and the time could already be taken, by a link planted
    /// in a shared /tmp among others, and the re-run would write into it and then delete it.
    static func makeScratchParent(in root: String) throws -> String {
        var template = Array((root as NSString).appendingPathComponent("ngd-verify-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let made else {
            throw ReportError.io(path: root, message: "cannot create a scratch directory for the re-run "
                                 + "(\(String(cString: strerror(errno))))")
        }
        return made
    }

    /// The MNIST directory a paper report records in data/settings.json (nil without one).
    static func recordedMNISTDirectory(in directory: String) -> String? {
        let path = (directory as NSString).appendingPathComponent("data/settings.json")
        guard let data = FileManager.default.contents(atPath: path),
              let settings = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return settings["mnist_directory"] as? String
    }

    /// Field-by-field provenance changes, as `name: old → new`.
    static func differences(_ old: Provenance, _ new: Provenance) -> [String] {
        let oldRows = HTMLReportWriter.provenanceRows(old), newRows = HTMLReportWriter.provenanceRows(new)
        var changes: [String] = []
        for index in 0..<max(oldRows.count, newRows.count) {
            let before = index < oldRows.count ? oldRows[index] : ("", "—")
            let after = index < newRows.count ? newRows[index] : ("", "—")
            if before != after { changes.append("\(before.0.isEmpty ? after.0 : before.0): \(before.1) → \(after.1)") }
        }
        return changes
    }
}
