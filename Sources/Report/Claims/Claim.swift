import Foundation

/// The one way a study states a claim: a measured number against a bound or a prediction, with one tolerance rule
/// — a claim passes only when the measured number and the bound are finite and
/// - `atMost`: measured ≤ bound + tolerance,
/// - `atLeast`: measured ≥ bound − tolerance,
/// - `approximately`: |measured − predicted| ≤ tolerance —
/// and the numbers are kept when it fails. Spec claims reach the same `ClaimOutcome` through `ClaimEvaluator`.
///
/// The claim's own words follow the verdict in its detail either as a clause (`note:`, "verdict; note", a
/// non-finite verdict flagged) or as a sentence (`detail:`, "verdict. detail"). Both are kept because reports
/// already published read that way; a study picks one.
enum Claim {
    /// Where a claim without its own source is checked against; numbered claims cite their item.
    static let defaultSource = "docs/CLAIMS.md"

    static func atMost(id: String, statement: String, source: String = defaultSource, expression: String,
                       measured: Double, bound: Double, tolerance: Double? = nil, note: String? = nil,
                       detail: String? = nil) -> ClaimOutcome {
        let passed = measured <= bound + (tolerance ?? 0)
        let verdict = "\(formatMeasure(measured)) \(passed ? "≤" : ">") \(formatMeasure(bound))"
            + (tolerance.map { $0 == 0 ? "" : " + \(formatMeasure($0))" } ?? "")
        return make(id: id, statement: statement, source: source, comparison: "<=", expression: expression,
                    predicted: bound, measured: measured, tolerance: tolerance, passed: passed, verdict: verdict,
                    note: note, detail: detail)
    }

    static func atLeast(id: String, statement: String, source: String = defaultSource, expression: String,
                        measured: Double, bound: Double, tolerance: Double? = nil, note: String? = nil,
                        detail: String? = nil) -> ClaimOutcome {
        let passed = measured >= bound - (tolerance ?? 0)
        let verdict = "\(formatMeasure(measured)) \(passed ? "≥" : "<") \(formatMeasure(bound))"
            + (tolerance.map { $0 == 0 ? "" : " − \(formatMeasure($0))" } ?? "")
        return make(id: id, statement: statement, source: source, comparison: ">=", expression: expression,
                    predicted: bound, measured: measured, tolerance: tolerance, passed: passed, verdict: verdict,
                    note: note, detail: detail)
    }

    static func approximately(id: String, statement: String, source: String = defaultSource, expression: String,
                              measured: Double, predicted: Double, tolerance: Double, note: String? = nil,
                              detail: String? = nil) -> ClaimOutcome {
        let gap = abs(measured - predicted)
        let passed = gap <= tolerance
        let verdict = "|\(formatMeasure(measured)) − \(formatMeasure(predicted))| = \(formatMeasure(gap)) "
            + "\(passed ? "≤" : ">") \(formatMeasure(tolerance))"
        return make(id: id, statement: statement, source: source, comparison: "≈", expression: expression,
                    predicted: predicted, measured: measured, tolerance: tolerance, passed: passed, verdict: verdict,
                    note: note, detail: detail)
    }

    /// Appends the note a `--quick` claim carries when it fails only because of the size.
    static func noteQuickSize(_ claim: ClaimOutcome, quick: Bool, needs: String) -> ClaimOutcome {
        guard quick, !claim.passed else { return claim }
        var noted = claim
        noted.detail += " (--quick size; the full size \(needs) is needed for this claim.)"
        return noted
    }

    private static func make(id: String, statement: String, source: String, comparison: String, expression: String,
                             predicted: Double, measured: Double, tolerance: Double?, passed: Bool, verdict: String,
                             note: String?, detail: String?) -> ClaimOutcome {
        let finite = measured.isFinite && predicted.isFinite
        let number = id.prefix { $0.isNumber }
        let source = source == defaultSource && !number.isEmpty ? "\(defaultSource).\(number)" : source
        var text: String
        if let detail {
            text = verdict + ". " + detail
        } else {
            text = finite ? verdict : "not a finite number: " + verdict
            if let note, !note.isEmpty { text += "; " + note }
        }
        return ClaimOutcome(id: id, statement: statement, source: source, comparison: comparison,
                            measuredExpression: expression, predicted: predicted, measured: measured,
                            tolerance: tolerance, relative: false, passed: passed && finite, detail: text)
    }
}
