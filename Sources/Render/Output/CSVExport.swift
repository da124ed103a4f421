import Foundation

/// The data behind a figure as CSV, long format, one row per datum:
///
///     panel,layer,kind,series,index,x,y,x2,y2,value
///
/// `panel` and `layer` count from 1 in drawing order; `series` is the layer's label (plain text, quoted when
/// needed). Columns used per kind (others empty):
/// - line, scatter: x, y
/// - band: x, y = lower, y2 = upper
/// - arrows: (x, y) → (x2, y2)
/// - heatmap: x = column, y = row (0-based, row 0 drawn at the top), value = matrix entry
/// - histogram: x = bin low edge, x2 = bin high edge, value = count
/// - reference: horizontal y; vertical x; through (x, y) and (x2, y2)
/// - slope: (x, y) = corner, x2 = run in decades, value = slope
/// - text: x, y; series = the text
/// Numbers use Swift's shortest round-trip representation (`Double.description`): parsing gives back the same bits.
public enum CSVExport {
    public static let header = "panel,layer,kind,series,index,x,y,x2,y2,value"

    public static func csv(_ figure: Figure) -> String {
        var out = header + "\n"
        for (pi, panel) in figure.panels.enumerated() {
            for (li, layer) in panel.layers.enumerated() {
                let series: String
                if case .text(let t) = layer { series = t.text } else { series = layer.label.map { LabelMarkup.plainText(fromMarkup: LabelMarkup.markup(from: $0)) } ?? "" }
                func row(_ i: Int, x: Double? = nil, y: Double? = nil, x2: Double? = nil, y2: Double? = nil, value: Double? = nil) {
                    let fields = ["\(pi + 1)", "\(li + 1)", layer.kindName, quote(series), "\(i)", num(x), num(y), num(x2), num(y2), num(value)]
                    out += fields.joined(separator: ",") + "\n"
                }
                switch layer {
                case .line(let l): for i in 0..<min(l.x.count, l.y.count) { row(i, x: l.x[i], y: l.y[i]) }
                case .scatter(let s): for i in 0..<min(s.x.count, s.y.count) { row(i, x: s.x[i], y: s.y[i]) }
                case .band(let b): for i in 0..<min(b.x.count, b.lower.count, b.upper.count) { row(i, x: b.x[i], y: b.lower[i], y2: b.upper[i]) }
                case .arrows(let a): for i in 0..<min(a.start.count, a.end.count) { row(i, x: a.start[i].x, y: a.start[i].y, x2: a.end[i].x, y2: a.end[i].y) }
                case .heatmap(let h):
                    var i = 0
                    for (r, values) in h.values.enumerated() { for (c, v) in values.enumerated() { row(i, x: Double(c), y: Double(r), value: v); i += 1 } }
                case .histogram(let h): for i in 0..<min(h.counts.count, max(0, h.edges.count - 1)) { row(i, x: h.edges[i], x2: h.edges[i + 1], value: h.counts[i]) }
                case .reference(let r):
                    switch r.kind {
                    case .horizontal(let y): row(0, y: y)
                    case .vertical(let x): row(0, x: x)
                    case .through(let a, let b): row(0, x: a.x, y: a.y, x2: b.x, y2: b.y)
                    }
                case .slope(let s): row(0, x: s.corner.x, y: s.corner.y, x2: s.run, value: s.slope)
                case .text(let t): row(0, x: t.position.x, y: t.position.y)
                }
            }
        }
        return out
    }

    static func num(_ v: Double?) -> String {
        guard let v else { return "" }
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return v.description
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
