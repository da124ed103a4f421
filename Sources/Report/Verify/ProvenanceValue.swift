import Foundation

/// One provenance value that changed between a report and its re-run (a commit, a BLAS line), in the form a
/// document shows it. `ngd verify` prints provenance changes apart, so a text document's copies of them are masked
/// on both sides before its words are compared.
struct ProvenanceValue: Hashable, Sendable {
    var recorded: String
    var rerun: String

    /// The changed values as a report may show them, longest first (a value before its shortened form). Values
    /// shorter than six characters are left alone: masking them would hide the same text elsewhere.
    static func changed(_ before: Provenance, _ after: Provenance) -> [ProvenanceValue] {
        let rows = zip(HTMLReportWriter.provenanceRows(before), HTMLReportWriter.provenanceRows(after))
        var values = rows.filter { $0.0.0 == $0.1.0 && $0.0.1 != $0.1.1 }
            .map { ProvenanceValue(recorded: $0.0.1, rerun: $0.1.1) }
        if before.gitCommit != after.gitCommit {
            values.append(ProvenanceValue(recorded: before.gitCommit, rerun: after.gitCommit))
            // The page header shows the commit's first 12 characters.
            values.append(ProvenanceValue(recorded: String(before.gitCommit.prefix(12)),
                                          rerun: String(after.gitCommit.prefix(12))))
        }
        return values.filter { $0.recorded.count >= 6 && $0.rerun.count >= 6 }
            .sorted { $0.recorded.count > $1.recorded.count }
    }

    static let masks: Set<String> = ["html", "svg", "tex", "pgf"]
    static let placeholder = "provenance-value"

    /// Both sides with every changed value replaced by one placeholder, for the text formats; others unchanged.
    static func masked(_ values: [ProvenanceValue], path: String, _ recorded: Data, _ rerun: Data) -> (Data, Data) {
        guard !values.isEmpty, masks.contains((path as NSString).pathExtension.lowercased()) else {
            return (recorded, rerun)
        }
        var old = String(decoding: recorded, as: UTF8.self), new = String(decoding: rerun, as: UTF8.self)
        for value in values {
            old = old.replacingOccurrences(of: value.recorded, with: placeholder)
            new = new.replacingOccurrences(of: value.rerun, with: placeholder)
        }
        return (Data(old.utf8), Data(new.utf8))
    }
}
