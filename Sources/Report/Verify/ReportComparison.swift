import Foundation

/// What still holds when a report is re-run elsewhere, from strongest to weakest (`ngd verify`, README
/// "Reproducibility"):
/// - identical: every file byte for byte;
/// - equivalent: every number within tolerance, every claim's verdict and every text unchanged;
/// - claims hold: some numbers moved beyond their tolerance, but every claim has the same verdict;
/// - differs: a claim flipped, a file is missing or extra, a text, font or structure changed, a value is NaN where it
///   was finite.
public enum ReproducibilityLevel: String, Codable, Sendable, Comparable {
    case identical
    case equivalent
    case claimsHold = "claims hold"
    case differs

    private var rank: Int { [.identical: 0, .equivalent: 1, .claimsHold: 2, .differs: 3][self] ?? 3 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// A claim whose verdict or number changed in the re-run.
public struct ClaimChange: Codable, Hashable, Sendable {
    public var id: String
    public var recordedPassed: Bool
    public var rerunPassed: Bool?
    public var recordedMeasured: Double?
    public var rerunMeasured: Double?

    public var flipped: Bool { rerunPassed != recordedPassed }
}

/// The comparison of a recorded report with its re-run, file by file and claim by claim.
public struct ReportComparison: Codable, Sendable {
    public var level: ReproducibilityLevel
    /// Provenance fields that changed (`name: old → new`): why numbers may have moved. Printed first.
    public var provenance: [String]
    /// Every file that is not byte-identical, in path order.
    public var files: [FileComparison]
    public var identicalFiles: Int
    /// Claims whose verdict flipped or whose measured number moved.
    public var claims: [ClaimChange]
    public var tolerance: NumericTolerance
    public var pixelTolerance: Double
    /// The report's own tolerances for its sensitive files (manifest.json `reproducibility`).
    public var declared: [DeclaredTolerance]
    /// The largest relative deviation of any number in any file.
    public var largestRelative: Double

    /// Compares the report directory `recorded` with its re-run `rerun`: every file either manifest lists, the
    /// claims (the recorded verdicts against the ones re-evaluated from the re-run's data) and the provenance. The
    /// tolerances the recorded report declared for its sensitive files replace `tolerances.declared`.
    /// `dataLocation`: the data directory the report was made from and the one the re-run read, when they differ
    /// (the same bytes elsewhere): masked like a provenance value.
    public static func between(recorded: String, rerun: String,
                               tolerances: ComparisonTolerances = ComparisonTolerances(),
                               dataLocation: (recorded: String, rerun: String)? = nil) throws -> ReportComparison {
        let old = try ManifestHeader.read(from: recorded), new = try ManifestHeader.read(from: rerun)
        var tolerances = tolerances
        tolerances.declared = old.reproducibility?.tolerances ?? []
        var provenance: [String] = [], words: Set<[UInt8]> = [], values: [MaskedValue] = []
        if let before = old.provenance, let after = new.provenance {
            provenance = ReportVerifier.differences(before, after)
            words = changedWords(HTMLReportWriter.provenanceRows(before), HTMLReportWriter.provenanceRows(after))
            values = MaskedValue.changed(before, after)
        }
        if let location = MaskedValue.dataLocation(recorded: dataLocation?.recorded, rerun: dataLocation?.rerun) {
            values.insert(location, at: 0)
            // A PDF sets the path in kerned pieces ("(/tmp/mn/)" "(A.)"): its pieces count as the location's.
            words.formUnion([Array(location.recorded.utf8), Array(location.rerun.utf8)])
        }
        let manifest = (recorded as NSString).appendingPathComponent(Manifest.fileName)
        return compare(recorded: recorded, rerun: rerun, recordedFiles: Array(old.files.keys),
                       rerunFiles: Array(new.files.keys), recordedClaims: old.claims ?? [],
                       rerunClaims: { renamed in
                           ClaimReevaluation.claims(recordedManifest: manifest, rerun: rerun, renamedKeys: renamed)
                       },
                       tolerances: tolerances, provenance: provenance, provenanceWords: words,
                       provenanceValues: values)
    }

    /// The words (letters and digits, as they start a document's word) that one side's provenance values have and the
    /// other's do not.
    static func changedWords(_ old: [(String, String)], _ new: [(String, String)]) -> Set<[UInt8]> {
        func words(_ rows: [(String, String)]) -> Set<[UInt8]> {
            Set(rows.flatMap { $0.1.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) }.filter { $0.count > 2 }
                .map { Array($0.utf8) })
        }
        let before = words(old), after = words(new)
        return before.symmetricDifference(after)
    }

    /// Compares `recorded` with `rerun` (two report directories): every file either lists, and the claims.
    /// `recordedClaims` are the manifest's; `rerunClaims` re-evaluates them from the re-run's data, given the
    /// recorded key of each run the re-run stored under another key (`RenamedRuns`) mapped to the re-run's key.
    static func compare(recorded: String, rerun: String, recordedFiles: [String], rerunFiles: [String],
                        recordedClaims: [ClaimOutcome], rerunClaims: ([String: String]) -> [ClaimOutcome],
                        tolerances: ComparisonTolerances, provenance: [String],
                        provenanceWords: Set<[UInt8]> = [],
                        provenanceValues: [MaskedValue] = []) -> ReportComparison {
        let comparer = ReportFileComparer(tolerances: tolerances, provenanceWords: provenanceWords,
                                          provenanceValues: provenanceValues)
        var files: [FileComparison] = [], identical = 0
        let recordedSet = Set(recordedFiles), rerunSet = Set(rerunFiles)
        let renamed = RenamedRuns.pairs(recordedOnly: Array(recordedSet.subtracting(rerunSet)),
                                        rerunOnly: Array(rerunSet.subtracting(recordedSet)),
                                        tolerance: tolerances.numbers, masking: provenanceValues) { path, isRecorded in
            read(isRecorded ? recorded : rerun, path)
        }
        let paired = Set(renamed.flatMap { [$0.recorded, $0.rerun] })
        for path in recordedSet.union(rerunSet).subtracting(paired).sorted() {
            let old = recordedSet.contains(path) ? read(recorded, path) : nil
            let new = rerunSet.contains(path) ? read(rerun, path) : nil
            let result = comparer.compare(path, recorded: old, rerun: new)
            if result.outcome == .identical { identical += 1 } else { files.append(result) }
        }
        for pair in renamed {
            files.append(comparer.compareRenamedRun(pair.recorded, recorded: read(recorded, pair.recorded),
                                                    as: pair.rerun, rerun: read(rerun, pair.rerun)))
        }
        files.sort { $0.path < $1.path }
        files = DrawnData.settle(files, reportFiles: recordedSet, provenanceChanged: !provenance.isEmpty)
        // The manifest holds the hashes and the provenance, which differ by design elsewhere: both are compared in
        // their own right (files above, provenance printed); the rest (spec, claims, settings) must agree.
        let manifest = comparer.compareManifests(recorded: read(recorded, Manifest.fileName),
                                                 rerun: read(rerun, Manifest.fileName),
                                                 renamedKeys: RenamedRuns.keys(renamed))
        if manifest.outcome != .identical { files.append(manifest) }
        let recordedToRerun = Dictionary(RenamedRuns.keys(renamed).map { ($0.value, $0.key) },
                                         uniquingKeysWith: { first, _ in first })
        let claims = changes(recordedClaims, rerunClaims(recordedToRerun))
        return ReportComparison(level: level(files: files, claims: claims), provenance: provenance, files: files,
                                identicalFiles: identical, claims: claims, tolerance: tolerances.numbers,
                                pixelTolerance: tolerances.pixels, declared: tolerances.declared,
                                largestRelative: files.compactMap(\.largestRelative).max() ?? 0)
    }

    static func level(files: [FileComparison], claims: [ClaimChange]) -> ReproducibilityLevel {
        if claims.contains(where: \.flipped) || files.contains(where: { $0.outcome == .differs }) { return .differs }
        if files.contains(where: { $0.outcome == .moved }) { return .claimsHold }
        return files.isEmpty ? .identical : .equivalent
    }

    private static func changes(_ recorded: [ClaimOutcome], _ rerun: [ClaimOutcome]) -> [ClaimChange] {
        let rerunByID = Dictionary(rerun.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return recorded.compactMap { claim in
            let new = rerunByID[claim.id]
            let change = ClaimChange(id: claim.id, recordedPassed: claim.passed, rerunPassed: new?.passed,
                                     recordedMeasured: claim.measured, rerunMeasured: new?.measured)
            let sameNumber = claim.measured == new?.measured
                || (claim.measured?.isNaN == true && new?.measured?.isNaN == true)
            return change.flipped || !sameNumber ? change : nil
        }
    }

    private static func read(_ directory: String, _ path: String) -> Data? {
        FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(path))
    }
}
