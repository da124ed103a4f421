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
