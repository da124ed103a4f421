import Foundation

/// A polyline through (x, y) pairs, optionally with markers. Non-finite points break the line.
public struct Line: Hashable, Sendable {
    public var x: [Double]
    public var y: [Double]
    public var label: String?
    public var color: Color?
    public var style: LineStyle?
    public var marker: MarkerShape?
    public var width: Double?
    public init(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, style: LineStyle? = nil,
                marker: MarkerShape? = nil, width: Double? = nil) {
        self.x = x; self.y = y; self.label = label; self.color = color; self.style = style; self.marker = marker; self.width = width
    }
    /// y against 0, 1, 2, … (e.g. a per-step metric).
    public init(_ y: [Double], label: String? = nil, color: Color? = nil, style: LineStyle? = nil, marker: MarkerShape? = nil) {
        self.init(x: y.indices.map(Double.init), y: y, label: label, color: color, style: style, marker: marker)
    }
}

/// Markers at (x, y) pairs.
public struct Scatter: Hashable, Sendable {
    public var x: [Double]
    public var y: [Double]
    public var label: String?
    public var color: Color?
    public var marker: MarkerShape?
    public var filled: Bool
    public var size: Double?
    public init(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, marker: MarkerShape? = nil,
                filled: Bool = true, size: Double? = nil) {
        self.x = x; self.y = y; self.label = label; self.color = color; self.marker = marker; self.filled = filled; self.size = size
    }
}

/// Arrows from `start[i]` to `end[i]` (data space) with heads sized in points, e.g. output-space update vectors.
public struct Arrows: Hashable, Sendable {
    public var start: [Point]
    public var end: [Point]
    public var label: String?
    public var color: Color?
    public var width: Double?
    /// Head length in points; the head never exceeds 40 % of a (short) arrow.
    public var headLength: Double
    public init(from start: [Point], to end: [Point], label: String? = nil, color: Color? = nil, width: Double? = nil,
                headLength: Double = 6) {
        self.start = start; self.end = end; self.label = label; self.color = color; self.width = width; self.headLength = headLength
    }
}

/// A filled region between `lower` and `upper` (e.g. mean ± spread over seeds).
public struct Band: Hashable, Sendable {
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var label: String?
    public var color: Color?
    public var opacity: Double?
    public init(x: [Double], lower: [Double], upper: [Double], label: String? = nil, color: Color? = nil, opacity: Double? = nil) {
        self.x = x; self.lower = lower; self.upper = upper; self.label = label; self.color = color; self.opacity = opacity
    }
}

/// A matrix drawn as coloured cells (row 0 at the top, like imshow), with an optional colour bar.
public struct Heatmap: Hashable, Sendable {
    public var values: [[Double]]
    public var range: ClosedRange<Double>?
    public var colorBar: Bool
    public var colorBarLabel: String?
    public var label: String?
    public init(_ values: [[Double]], range: ClosedRange<Double>? = nil, colorBar: Bool = true,
                colorBarLabel: String? = nil, label: String? = nil) {
        self.values = values; self.range = range; self.colorBar = colorBar; self.colorBarLabel = colorBarLabel; self.label = label
    }
    var rows: Int { values.count }
    var columns: Int { values.map(\.count).max() ?? 0 }
    var valueRange: ClosedRange<Double> {
        if let r = range { return r }
        let finite = values.joined().filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
        return lo == hi ? (lo - 0.5)...(hi + 0.5) : lo...hi
    }
}

/// A straight reference line across the panel (straight in display space, so a power law on log–log axes).
public struct ReferenceLine: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case horizontal(Double)
        case vertical(Double)
        case through(Point, Point)
    }
    public var kind: Kind
    public var label: String?
    public var color: Color?
    public var style: LineStyle
    public var width: Double?
    public init(_ kind: Kind, label: String? = nil, color: Color? = nil, style: LineStyle = .dashed, width: Double? = nil) {
        self.kind = kind; self.label = label; self.color = color; self.style = style; self.width = width
    }
    public static func horizontal(_ y: Double, label: String? = nil, color: Color? = nil, style: LineStyle = .dashed) -> ReferenceLine {
        ReferenceLine(.horizontal(y), label: label, color: color, style: style)
    }
    public static func vertical(_ x: Double, label: String? = nil, color: Color? = nil, style: LineStyle = .dashed) -> ReferenceLine {
        ReferenceLine(.vertical(x), label: label, color: color, style: style)
    }
    public static func through(_ a: Point, _ b: Point, label: String? = nil, color: Color? = nil, style: LineStyle = .dashed) -> ReferenceLine {
        ReferenceLine(.through(a, b), label: label, color: color, style: style)
    }
}

/// A slope triangle on log–log axes: from `corner` it runs `run` decades along x and `slope · run` decades in y,
/// labelled with the rate (e.g. "slope −1/2").
public struct SlopeTriangle: Hashable, Sendable {
    public var corner: Point
    public var slope: Double
    public var run: Double
    public var label: String?
    public var color: Color?
    /// `corner` is the vertex at the start of the run; with `below` the triangle hangs under the hypotenuse.
    public var below: Bool
    public init(at corner: Point, slope: Double, decades run: Double = 1, label: String? = nil, color: Color? = nil, below: Bool = true) {
        self.corner = corner; self.slope = slope; self.run = run; self.label = label; self.color = color; self.below = below
    }
    var resolvedLabel: String { label ?? "slope " + SlopeTriangle.fraction(slope) }

    /// −0.5 → "−1/2", 2 → "2", 0.3333 → "1/3".
    static func fraction(_ v: Double) -> String {
        for den in 1...12 {
            let num = v * Double(den)
            if abs(num - num.rounded()) < 1e-6 {
                let n = Int(num.rounded())
                return NumberFormatting.minusSigned(den == 1 ? "\(n)" : "\(n)/\(den)")
            }
        }
        return NumberFormatting.plain((v * 1000).rounded() / 1000)
    }
}

/// Bars over bins: `edges` has one more entry than `counts`.
public struct Histogram: Hashable, Sendable {
    public var edges: [Double]
    public var counts: [Double]
    public var label: String?
    public var color: Color?
    public var opacity: Double
    public init(edges: [Double], counts: [Double], label: String? = nil, color: Color? = nil, opacity: Double = 0.75) {
        self.edges = edges; self.counts = counts; self.label = label; self.color = color; self.opacity = opacity
    }
    /// Bins `values` into `bins` equal-width bins over their range.
    public init(values: [Double], bins: Int = 20, label: String? = nil, color: Color? = nil) {
        let v = values.filter(\.isFinite)
        let lo = v.min() ?? 0, hi0 = v.max() ?? 1
        let hi = hi0 > lo ? hi0 : lo + 1
        let n = max(1, bins)
        let edges = (0...n).map { lo + (hi - lo) * Double($0) / Double(n) }
        var counts = [Double](repeating: 0, count: n)
        for x in v { counts[min(n - 1, max(0, Int((x - lo) / (hi - lo) * Double(n))))] += 1 }
        self.init(edges: edges, counts: counts, label: label, color: color)
    }
}

/// Text placed at a data point.
public struct TextLabel: Hashable, Sendable {
    public var text: String
    public var position: Point
    public var anchor: TextAnchor
    public var color: Color?
    public var size: Double?
    public init(_ text: String, at position: Point, anchor: TextAnchor = TextAnchor(.left, .bottom), color: Color? = nil, size: Double? = nil) {
        self.text = text; self.position = position; self.anchor = anchor; self.color = color; self.size = size
    }
}

/// Every kind of layer a panel can hold.
public enum Layer: Hashable, Sendable {
    case line(Line)
    case scatter(Scatter)
    case arrows(Arrows)
    case band(Band)
    case heatmap(Heatmap)
    case reference(ReferenceLine)
    case slope(SlopeTriangle)
    case histogram(Histogram)
    case text(TextLabel)

    /// The name the layer carries into a legend (nil for unnamed layers, heatmaps, slopes and text).
    public var label: String? {
        switch self {
        case .line(let l): return l.label
        case .scatter(let s): return s.label
        case .arrows(let a): return a.label
        case .band(let b): return b.label
        case .heatmap: return nil
        case .reference(let r): return r.label
        case .slope, .text: return nil
        case .histogram(let h): return h.label
        }
    }
    var kindName: String {
        switch self {
        case .line: return "line"
        case .scatter: return "scatter"
        case .arrows: return "arrows"
        case .band: return "band"
        case .heatmap: return "heatmap"
        case .reference: return "reference"
        case .slope: return "slope"
        case .histogram: return "histogram"
        case .text: return "text"
        }
    }
}

@resultBuilder
public enum LayerBuilder {
    public static func buildExpression(_ l: Line) -> [Layer] { [.line(l)] }
    public static func buildExpression(_ s: Scatter) -> [Layer] { [.scatter(s)] }
    public static func buildExpression(_ a: Arrows) -> [Layer] { [.arrows(a)] }
    public static func buildExpression(_ b: Band) -> [Layer] { [.band(b)] }
    public static func buildExpression(_ h: Heatmap) -> [Layer] { [.heatmap(h)] }
    public static func buildExpression(_ r: ReferenceLine) -> [Layer] { [.reference(r)] }
    public static func buildExpression(_ s: SlopeTriangle) -> [Layer] { [.slope(s)] }
    public static func buildExpression(_ h: Histogram) -> [Layer] { [.histogram(h)] }
    public static func buildExpression(_ t: TextLabel) -> [Layer] { [.text(t)] }
    public static func buildExpression(_ l: Layer) -> [Layer] { [l] }
    public static func buildExpression(_ l: [Layer]) -> [Layer] { l }
    public static func buildBlock(_ parts: [Layer]...) -> [Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ p: [Layer]?) -> [Layer] { p ?? [] }
    public static func buildEither(first p: [Layer]) -> [Layer] { p }
    public static func buildEither(second p: [Layer]) -> [Layer] { p }
    public static func buildArray(_ p: [[Layer]]) -> [Layer] { p.flatMap { $0 } }
}
