extension VerificationReport {
    /// What `ngd verify` prints: one line per problem, the provenance changes that explain a differing
    /// report.html/report.pdf, and the verdict for `directory`.
    public func listing(directory: String) -> String {
        var lines: [String] = []
        for path in altered { lines.append("altered:   \(path)") }
        for path in missing { lines.append("missing:   \(path)") }
        for path in unlisted { lines.append("unlisted:  \(path)") }
        for path in corruptRuns { lines.append("corrupt:   \(path) (cached result fails its checksum)") }
        for path in differing { lines.append("differs:   \(path)") }
        for path in symbolicLinks { lines.append("symlink:   \(path) (a report holds no links; not followed)") }
        if !environmentChanges.isEmpty {
            lines.append("provenance differs from the recorded report:")
            lines += environmentChanges.map { "  \($0)" }
        }
        if let scratchDirectory { lines.append("re-run kept in \(scratchDirectory)") }
        lines.append(passed ? "\(directory): verified" : "\(directory): NOT verified")
        return lines.joined(separator: "\n")
    }
}
