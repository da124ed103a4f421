import Foundation

extension VerificationReport {
    /// What `ngd verify` prints: first the provenance changes (why numbers may have moved), then one line per
    /// problem with the recorded files, the comparison file by file and claim by claim, and last the verdict with
    /// the reproducibility level for `directory`.
    public func listing(directory: String) -> String {
        var lines: [String] = []
        if !environmentChanges.isEmpty {
            lines.append("provenance differs from the recorded report:")
            lines += environmentChanges.map { "  \($0)" }
        }
        for path in altered { lines.append("altered:   \(path)") }
        for path in missing { lines.append("missing:   \(path)") }
        for path in unlisted { lines.append("unlisted:  \(path)") }
        for path in corruptRuns { lines.append("corrupt:   \(path) (cached result fails its checksum)") }
        for path in symbolicLinks { lines.append("symlink:   \(path) (a report holds no links; not followed)") }
        if let comparison {
            lines += comparison.listing()
        } else {
            for path in differing { lines.append("differs:   \(path)") }
        }
        if let scratchDirectory { lines.append("re-run kept in \(scratchDirectory)") }
        var verdict = passed ? "\(directory): verified" : "\(directory): NOT verified"
        if intact, let level = comparison?.level {
            verdict += " — \(level.rawValue)"
            if level == .claimsHold, strict { verdict += " (--strict asks for equivalent)" }
        }
        lines.append(verdict)
        return lines.joined(separator: "\n")
    }

    /// `ngd verify --json`: the same findings for tools.
    public func json(directory: String) throws -> Data {
        try CanonicalJSON.data(VerificationJSON(directory: directory, passed: passed, strict: strict,
                                                level: intact ? comparison?.level : nil,
                                                provenance: environmentChanges, altered: altered, missing: missing,
                                                unlisted: unlisted, corruptRuns: corruptRuns,
                                                symbolicLinks: symbolicLinks, comparison: comparison), pretty: true)
    }
}

private struct VerificationJSON: Encodable {
    var directory: String
    var passed: Bool
    var strict: Bool
    var level: ReproducibilityLevel?
    var provenance: [String]
    var altered: [String]
    var missing: [String]
    var unlisted: [String]
    var corruptRuns: [String]
    var symbolicLinks: [String]
    var comparison: ReportComparison?
}

extension ReportComparison {
    /// One line per file that is not byte-identical and per claim that changed, then the counts.
    func listing() -> [String] {
        var lines: [String] = []
        for declaration in declared {
            lines.append("declared tolerance (rtol \(format(declaration.relative)), "
                + "atol \(format(declaration.absolute))"
                + "\(declaration.pixels.map { ", pixels \(format($0))" } ?? "")) for "
                + "\(declaration.keys.map { "\($0.joined(separator: ", ")) in " } ?? "")"
                + "\(declaration.files.joined(separator: ", ")): \(declaration.reason)")
        }
        for file in files {
            var line = "\(file.outcome.rawValue):".padding(toLength: 12, withPad: " ", startingAt: 0) + file.path
            if let problem = file.problem {
                line += ": \(problem)"
            } else if let pixels = file.pixelDeviation {
                line += ": largest pixel deviation \(format(pixels))"
                    + (file.largest.map { " at \($0.location)" } ?? "")
            } else if let largest = file.largest {
                line += ": largest deviation \(format(largest.relative)) relative at \(largest.location) "
                    + "(\(largest.recorded) → \(largest.rerun))"
            }
            if let explanation = file.drawnFrom { line += "; \(explanation)" }
            if file.declaredReason != nil { line += " [declared tolerance]" }
            lines.append(line)
        }
        for claim in claims {
            let verdicts = "\(claim.recordedPassed ? "passed" : "failed") → "
                + (claim.rerunPassed.map { $0 ? "passed" : "failed" } ?? "not evaluated")
            let numbers = "measured \(claim.recordedMeasured.map { "\($0)" } ?? "—") → "
                + "\(claim.rerunMeasured.map { "\($0)" } ?? "—")"
            lines.append("claim \(claim.id): \(claim.flipped ? "FLIPPED " : "")\(verdicts), \(numbers)")
        }
        let counts = Dictionary(grouping: files, by: \.outcome).mapValues(\.count)
        lines.append("files: \(identicalFiles) identical, \(counts[.equivalent] ?? 0) equivalent, "
            + "\(counts[.moved] ?? 0) moved beyond tolerance, \(counts[.differs] ?? 0) differ; claims: "
            + "\(claims.filter(\.flipped).count) flipped; largest relative deviation \(format(largestRelative)) "
            + "(rtol \(format(tolerance.relative)), atol \(format(tolerance.absolute)), "
            + "pixels \(format(pixelTolerance)))")
        return lines
    }

    private func format(_ value: Double) -> String { value == 0 ? "0" : String(format: "%.3g", value) }
}
