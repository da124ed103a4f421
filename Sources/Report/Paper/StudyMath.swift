import Foundation
import NGD

/// Study-specific analysis of measured numbers (fits, order statistics) and the claim constructors the paper
/// studies share. Nothing here touches the model: every input is a number the engine computed.
enum StudyMath {
    /// Least-squares slope of log y against log x (nil unless ≥ 2 points, all positive, x not all equal): the
    /// `Fitting` line, but refusing rather than dropping a non-positive point.
    static func logLogSlope(x: [Double], y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2, (x + y).allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        return Fitting.logLogSlope(x: x, y: y)?.slope
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// Linear-interpolated quantile (type 7, as numpy's default) of `values` at q ∈ [0, 1].
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    static func median(_ values: [Double]) -> Double { quantile(values, 0.5) }

    /// cos∠(a, b); NaN when either vector is zero.
    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return na > 0 && nb > 0 ? dot / (na * nb) : .nan
    }

    /// Counts of `values` in `bins` equal bins over [lower, upper] (values outside are clamped into the end bins).
    static func histogram(_ values: [Double], bins: Int, lower: Double, upper: Double)
        -> (centres: [Double], counts: [Double], edges: [Double]) {
        let width = (upper - lower) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for value in values where value.isFinite {
            let index = min(bins - 1, max(0, Int(((value - lower) / width).rounded(.down))))
            counts[index] += 1
        }
        return ((0..<bins).map { lower + (Double($0) + 0.5) * width }, counts, (0...bins).map { lower + Double($0) * width })
    }

    /// Mean, minimum and maximum over the seeds of each column (rows = seeds, all the same length).
    static func band(_ rows: [[Double]]) -> (mean: [Double], low: [Double], high: [Double]) {
        guard let length = rows.map(\.count).min(), length > 0 else { return ([], [], []) }
        var m: [Double] = [], lo: [Double] = [], hi: [Double] = []
        for k in 0..<length {
            let column = rows.map { $0[k] }
            m.append(mean(column))
            lo.append(column.min() ?? .nan)
            hi.append(column.max() ?? .nan)
        }
        return (m, lo, hi)
    }
}

/// Claims as the report shows them: built from a measured number, a prediction and a comparison, with the
/// numbers kept when the claim fails (a NaN measurement always fails).
enum PaperClaim {
    static let defaultSource = "PAPER.md §8"

    static func atMost(_ id: String, _ statement: String, expression: String, measured: Double, bound: Double,
                       source: String = defaultSource, note: String = "") -> ClaimOutcome {
        let passed = measured <= bound
        return make(id, statement, source: source, comparison: "<=", expression: expression, predicted: bound,
                    measured: measured, tolerance: nil, passed: passed,
                    detail: "\(formatMeasure(measured)) \(passed ? "≤" : ">") \(formatMeasure(bound))", note: note)
    }

    static func atLeast(_ id: String, _ statement: String, expression: String, measured: Double, bound: Double,
                        source: String = defaultSource, note: String = "") -> ClaimOutcome {
        let passed = measured >= bound
        return make(id, statement, source: source, comparison: ">=", expression: expression, predicted: bound,
                    measured: measured, tolerance: nil, passed: passed,
                    detail: "\(formatMeasure(measured)) \(passed ? "≥" : "<") \(formatMeasure(bound))", note: note)
    }

    static func approximately(_ id: String, _ statement: String, expression: String, measured: Double,
                              predicted: Double, tolerance: Double, source: String = defaultSource,
                              note: String = "") -> ClaimOutcome {
        let gap = abs(measured - predicted)
        let passed = gap <= tolerance
        return make(id, statement, source: source, comparison: "≈", expression: expression, predicted: predicted,
                    measured: measured, tolerance: tolerance, passed: passed,
                    detail: "|\(formatMeasure(measured)) − \(formatMeasure(predicted))| = \(formatMeasure(gap)) "
                        + "\(passed ? "≤" : ">") \(formatMeasure(tolerance))", note: note)
    }

    private static func make(_ id: String, _ statement: String, source: String, comparison: String, expression: String,
                             predicted: Double, measured: Double, tolerance: Double?, passed: Bool, detail: String,
                             note: String) -> ClaimOutcome {
        let finite = measured.isFinite && predicted.isFinite
        // Numbered claims cite their item of PAPER.md §8.
        let number = id.prefix { $0.isNumber }
        let source = source == defaultSource && !number.isEmpty ? "PAPER.md §8.\(number)" : source
        var text = finite ? detail : "not a finite number: " + detail
        if !note.isEmpty { text += "; " + note }
        return ClaimOutcome(id: id, statement: statement, source: source, comparison: comparison,
                            measuredExpression: expression, predicted: predicted, measured: measured,
                            tolerance: tolerance, relative: false, passed: passed && finite, detail: text)
    }
}

/// Short number formatting for paragraphs and tables (the claims use `formatMeasure`).
func paperNumber(_ value: Double, digits: Int = 3) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "∞" : "−∞" }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e5 {
        let text = String(format: "%.\(digits)g", value)
        // %g switches to an exponent for large values with few digits; whole numbers read better.
        return text.contains("e") ? String(format: "%.0f", value) : text
    }
    return String(format: "%.\(max(digits - 1, 1))e", value)
}

extension FigureData {
    /// A single-panel figure with no data yet (the studies append series, arrows or a heatmap).
    static func panel(id: String, kind: FigureKind, caption: String, x: String, xScale: Scale = .linear,
                      y: String, yScale: Scale = .linear, width: Double = 5.5, height: Double = 3.4,
                      title: String? = nil) -> FigureData {
        FigureData(id: id, kind: kind, title: title, caption: caption, widthInches: width, heightInches: height,
                   xAxis: Axis(label: x, scale: xScale, categories: nil),
                   yAxis: Axis(label: y, scale: yScale, categories: nil), series: [], heatmap: nil, arrows: [])
    }

    mutating func add(_ label: String, _ role: Role = .measured, _ style: Style = .line, x: [Double], y: [Double],
                      low: [Double]? = nil, high: [Double]? = nil, edges: [Double]? = nil) {
        series.append(Series(label: label, role: role, style: style, x: x, y: y, low: low, high: high, edges: edges))
    }
}
