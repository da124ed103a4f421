import Foundation

/// The claims of a re-run, evaluated from the re-run's own data rather than read from what it says about itself:
/// for a spec report, the recorded spec's claim expressions over the re-run's `runs/<key>.json`; for a paper report
/// (whose claims the studies compute in code), the claims the re-run's studies evaluated (its manifest).
enum ClaimReevaluation {
    /// `renamedKeys`: the recorded key of a run the re-run stored under another key, mapped to the re-run's key.
    static func claims(recordedManifest: String, rerun: String, renamedKeys: [String: String] = [:]) -> [ClaimOutcome] {
        if let claims = fromRuns(recordedManifest: recordedManifest, rerun: rerun, renamedKeys: renamedKeys) {
            return claims
        }
        let path = (rerun as NSString).appendingPathComponent(Manifest.fileName)
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = try? CanonicalJSON.decoder().decode(ClaimsOnly.self, from: data) else { return [] }
        return manifest.claims
    }

    private struct ClaimsOnly: Decodable { var claims: [ClaimOutcome] }

    /// nil for a report without spec claims over runs (a paper report) or one whose manifest this version cannot read.
    private static func fromRuns(recordedManifest: String, rerun: String,
                                 renamedKeys: [String: String]) -> [ClaimOutcome]? {
        guard let data = FileManager.default.contents(atPath: recordedManifest),
              let manifest = try? CanonicalJSON.decoder().decode(Manifest.self, from: data),
              manifest.specFile != PaperSettings.command, !(manifest.spec.claims ?? []).isEmpty else { return nil }
        let experiment = ResolvedExperiment(spec: manifest.spec, members: manifest.runs)
        var results: [String: RunResult] = [:]
        for member in manifest.runs where results[member.key] == nil {
            let key = renamedKeys[member.key] ?? member.key
            let path = (rerun as NSString).appendingPathComponent("runs/" + RunCache.fileName(for: key))
            // A missing or unreadable run leaves its claims unmeasured: they fail, and the flip is reported.
            guard let bytes = FileManager.default.contents(atPath: path),
                  let entry = try? CanonicalJSON.decoder().decode(CachedRun.self, from: bytes) else { continue }
            results[member.key] = entry.result.withDerivedQuantities()
        }
        return ClaimEvaluator(experiment: experiment, results: results).outcomes()
    }
}
