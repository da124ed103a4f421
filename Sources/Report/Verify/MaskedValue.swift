import Foundation

/// One value that may change between a report and its re-run without changing the result, in the form the files
/// show it: a provenance value (a commit, a BLAS line), which `ngd verify` prints apart, or where the data were read
/// (`ngd verify --mnist-dir` elsewhere, the same bytes). Masked on both sides of text and data files before they are
/// compared.
struct MaskedValue: Hashable, Sendable {
    var recorded: String
    var rerun: String

    /// The value as a PDF's content shows it too (`PDFContent.comparable` joins kerned pieces, so a value set on
    /// one line is one string there): parentheses and backslashes escaped.
    var pdfForms: [MaskedValue] {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)")
        }
        let pdf = MaskedValue(recorded: escaped(recorded), rerun: escaped(rerun))
        return pdf == self ? [self] : [self, pdf]
    }

    /// The changed values as a report may show them, longest first (a value before its shortened form). Values
    /// shorter than six characters are left alone: masking them would hide the same text elsewhere.
    static func changed(_ before: Provenance, _ after: Provenance) -> [MaskedValue] {
        let rows = zip(HTMLReportWriter.provenanceRows(before), HTMLReportWriter.provenanceRows(after))
        var values = rows.filter { $0.0.0 == $0.1.0 && $0.0.1 != $0.1.1 }
            .map { MaskedValue(recorded: $0.0.1, rerun: $0.1.1) }
        if before.gitCommit != after.gitCommit {
            values.append(MaskedValue(recorded: before.gitCommit, rerun: after.gitCommit))
            // The page header shows the commit's first 12 characters.
            values.append(MaskedValue(recorded: String(before.gitCommit.prefix(12)),
                                          rerun: String(after.gitCommit.prefix(12))))
        }
        if before.gitDirty != after.gitDirty {
            // The page headers mark uncommitted changes after the commit they show (templates/report.mustache,
            // CairoReportPDFWriter).
            func header(_ side: Provenance, html: Bool) -> String {
                String(side.gitCommit.prefix(12)) + (html ? "</code>" : "")
                    + (side.gitDirty == true ? (html ? " (uncommitted changes)" : " (dirty)") : "")
            }
            for html in [true, false] {
                values.append(MaskedValue(recorded: header(before, html: html), rerun: header(after, html: html)))
            }
        }
        return values.filter { $0.recorded.count >= 6 && $0.rerun.count >= 6 }
            .sorted { $0.recorded.count > $1.recorded.count }
    }

    /// The data directory a paper report was made from and the one its re-run reads (nil when they are the same).
    static func dataLocation(recorded: String?, rerun: String?) -> MaskedValue? {
        guard let recorded, let rerun, recorded != rerun, recorded.count >= 6, rerun.count >= 6 else { return nil }
        return MaskedValue(recorded: recorded, rerun: rerun)
    }

    /// Text formats masked as they are; a PDF is masked in its inflated content (`PDFContent.comparable`).
    static let masks: Set<String> = ["html", "svg", "tex", "pgf", "json", "csv"]
    static let placeholder = "changed-value"

    /// Both sides with every changed value replaced by one placeholder, for the text and data formats; others
    /// unchanged.
    static func masked(_ values: [MaskedValue], path: String, _ recorded: Data, _ rerun: Data) -> (Data, Data) {
        guard !values.isEmpty, masks.contains((path as NSString).pathExtension.lowercased()) else {
            return (recorded, rerun)
        }
        return (mask(recorded, values, side: \.recorded), mask(rerun, values, side: \.rerun))
    }

    /// `data` with each value's `side` replaced by the placeholder.
    static func mask(_ data: Data, _ values: [MaskedValue], side: KeyPath<MaskedValue, String>) -> Data {
        guard !values.isEmpty else { return data }
        var text = String(decoding: data, as: UTF8.self)
        for value in values { text = text.replacingOccurrences(of: value[keyPath: side], with: placeholder) }
        return Data(text.utf8)
    }
}
