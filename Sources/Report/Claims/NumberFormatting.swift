import Foundation

/// The one number format of reports: claims, tables, prose and captions. Four significant digits unless the
/// caller asks for fewer; a whole number when that many digits would need an exponent (12346, not 1.235e+04);
/// scientific below 10⁻³ and from 10⁵; NaN and ±∞ spelled out.
func formatMeasure(_ value: Double) -> String { formatMeasure(value, significantDigits: 4) }

func formatMeasure(_ value: Double, significantDigits digits: Int) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "∞" : "−∞" }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e5 {
        let text = String(format: "%.\(digits)g", value)
        return text.contains("e") ? String(format: "%.0f", value) : text
    }
    return String(format: "%.\(max(digits - 1, 1))e", value)
}

/// A list of numbers for prose: "0.19, 0.14, 0.061".
func formatMeasures(_ values: [Double]) -> String { values.map(formatMeasure).joined(separator: ", ") }
