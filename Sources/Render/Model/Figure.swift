import Foundation

/// Errors of the Render module: `source` names the file or field, `message` says what is wrong.
public struct RenderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var message: String
    public init(_ source: String, _ message: String) { self.source = source; self.message = message }
    public var description: String { "\(source): \(message)" }
}

/// One axis of a panel.
public struct Axis: Hashable, Sendable {
    public var label: String?
    public var scale: AxisScale
    /// User limits; nil = automatic with a small margin. Either end may be given alone.
    public var lower: Double?
    public var upper: Double?
    /// Hide tick labels (e.g. inner axes of a shared grid).
    public var hidesTickLabels: Bool
    public init(label: String? = nil, scale: AxisScale = .linear, lower: Double? = nil, upper: Double? = nil, hidesTickLabels: Bool = false) {
        self.label = label; self.scale = scale; self.lower = lower; self.upper = upper; self.hidesTickLabels = hidesTickLabels
    }
    public static func linear(_ label: String? = nil, limits: ClosedRange<Double>? = nil) -> Axis {
        Axis(label: label, scale: .linear, lower: limits?.lowerBound, upper: limits?.upperBound)
    }
    public static func log10(_ label: String? = nil, limits: ClosedRange<Double>? = nil) -> Axis {
        Axis(label: label, scale: .log10, lower: limits?.lowerBound, upper: limits?.upperBound)
    }
}

/// Where a panel's legend goes. `.best` takes the first of the four corners, then the edge centres, whose box
/// touches none of the drawn data (lines, markers, bands, arrows, bars, annotations); when none is free the
/// legend moves outside: to the right of wide axes, below narrow ones. The others are taken as asked.
public enum LegendPlacement: String, Hashable, Sendable, Codable {
    case best, upperRight, upperLeft, lowerLeft, lowerRight, upperCenter, lowerCenter, centerLeft, centerRight
    case outsideRight, below, none
}

/// A legend entry of its own: a label with a line sample (colour, dash) and/or a marker.
public struct LegendKey: Hashable, Sendable {
    public var label: String
    public var color: Color
    public var style: LineStyle?
    public var marker: MarkerShape?
    public init(_ label: String, color: Color, style: LineStyle? = .solid, marker: MarkerShape? = nil) {
        self.label = label; self.color = color; self.style = style; self.marker = marker
    }
}

/// One legend per panel (each placed by its `Panel.legend`), or one legend for the whole figure, centred
/// below the grid, listing each label once (the usual choice when all panels show the same series).
public enum FigureLegend: String, Hashable, Sendable, Codable {
    case perPanel, below
}

/// One set of axes with its layers.
public struct Panel: Hashable, Sendable {
    public var title: String?
    public var x: Axis
    public var y: Axis
    public var layers: [Layer]
    public var legend: LegendPlacement
    /// One data unit is the same length on both axes (output-space plots): the data limits are widened around
    /// their centre to fill the box (matplotlib's adjustable="datalim"). Heatmap panels always get square cells
    /// by shrinking the box instead.
    public var equalAspect: Bool
    public var showGrid: Bool?
    /// Label each labelled line at its right end, in its colour, instead of in the legend (the legend keeps the
    /// rest: markers, bars, `legendKeys`).
    public var directLabels: Bool
    /// Legend entries that stand for no single layer, listed after the layers' own (ggplot2's merged guides:
    /// e.g. "solid = measured, dashed = theory" once, while the colours name the methods).
    public var legendKeys: [LegendKey]

    public init(title: String? = nil, x: Axis = Axis(), y: Axis = Axis(), legend: LegendPlacement = .best,
                equalAspect: Bool = false, directLabels: Bool = false, legendKeys: [LegendKey] = [],
                layers: [Layer] = []) {
        self.title = title; self.x = x; self.y = y; self.layers = layers; self.legend = legend
        self.equalAspect = equalAspect; self.directLabels = directLabels; self.legendKeys = legendKeys
    }
    public init(title: String? = nil, x: Axis = Axis(), y: Axis = Axis(), legend: LegendPlacement = .best,
                equalAspect: Bool = false, directLabels: Bool = false, legendKeys: [LegendKey] = [],
                @LayerBuilder _ layers: () -> [Layer]) {
        self.init(title: title, x: x, y: y, legend: legend, equalAspect: equalAspect, directLabels: directLabels,
                  legendKeys: legendKeys, layers: layers())
    }
    public mutating func add(_ layer: Layer) { layers.append(layer) }

    var heatmap: Heatmap? {
        for l in layers { if case .heatmap(let h) = l { return h } }
        return nil
    }
}

/// A figure: a size, a theme and a grid of panels (row-major). A value; backends only draw it.
public struct Figure: Hashable, Sendable {
    public var size: FigureSize
    public var theme: Theme
    public var rows: Int
    public var columns: Int
    public var panels: [Panel]
    /// Panels in one column share x limits (tick labels only on the bottom row); rows share y likewise.
    public var sharesX: Bool
    public var sharesY: Bool
    /// Label panels (a), (b), … — automatic for more than one panel unless set.
    public var panelLabels: Bool?
    /// Title of the PDF/SVG document (metadata), not drawn.
    public var title: String?
    public var legend: FigureLegend

    public init(size: FigureSize = .neurips(), theme: Theme = .paper, rows: Int = 1, columns: Int? = nil,
                sharesX: Bool = false, sharesY: Bool = false, panelLabels: Bool? = nil, title: String? = nil,
                legend: FigureLegend = .perPanel, panels: [Panel]) {
        self.size = size; self.theme = theme; self.panels = panels; self.legend = legend
        let r = max(1, rows)
        self.rows = r
        self.columns = max(1, columns ?? Int((Double(panels.count) / Double(r)).rounded(.up)))
        self.sharesX = sharesX; self.sharesY = sharesY; self.panelLabels = panelLabels; self.title = title
    }
    public init(size: FigureSize = .neurips(), theme: Theme = .paper, rows: Int = 1, columns: Int? = nil,
                sharesX: Bool = false, sharesY: Bool = false, panelLabels: Bool? = nil, title: String? = nil,
                legend: FigureLegend = .perPanel, @PanelBuilder _ panels: () -> [Panel]) {
        self.init(size: size, theme: theme, rows: rows, columns: columns, sharesX: sharesX, sharesY: sharesY,
                  panelLabels: panelLabels, title: title, legend: legend, panels: panels())
    }

    var labelsPanels: Bool { panelLabels ?? (panels.count > 1) }

    /// Checks what a renderer cannot draw sensibly; thrown by every output method.
    public func validate() throws {
        guard size.width > 0, size.height > 0, size.width.isFinite, size.height.isFinite else {
            throw RenderError("figure size", "width and height must be positive")
        }
        guard panels.count <= rows * columns else {
            throw RenderError("figure", "\(panels.count) panels do not fit a \(rows)×\(columns) grid")
        }
        for (pi, p) in panels.enumerated() {
            for (li, l) in p.layers.enumerated() {
                let src = "panel \(pi + 1), layer \(li + 1) (\(l.kindName))"
                switch l {
                case .line(let s) where s.x.count != s.y.count:
                    throw RenderError(src, "x has \(s.x.count) values but y has \(s.y.count)")
                case .scatter(let s) where s.x.count != s.y.count:
                    throw RenderError(src, "x has \(s.x.count) values but y has \(s.y.count)")
                case .band(let b) where b.x.count != b.lower.count || b.x.count != b.upper.count:
                    throw RenderError(src, "x, lower and upper must have the same length")
                case .arrows(let a) where a.start.count != a.end.count:
                    throw RenderError(src, "\(a.start.count) starts but \(a.end.count) ends")
                case .histogram(let h) where h.edges.count != h.counts.count + 1:
                    throw RenderError(src, "edges must have one more entry than counts")
                case .heatmap(let h) where h.values.contains(where: { $0.count != h.columns }):
                    throw RenderError(src, "rows of the matrix have different lengths")
                default: break
                }
            }
        }
    }
}

@resultBuilder
public enum PanelBuilder {
    public static func buildExpression(_ p: Panel) -> [Panel] { [p] }
    public static func buildExpression(_ p: [Panel]) -> [Panel] { p }
    public static func buildBlock(_ parts: [Panel]...) -> [Panel] { parts.flatMap { $0 } }
    public static func buildOptional(_ p: [Panel]?) -> [Panel] { p ?? [] }
    public static func buildEither(first p: [Panel]) -> [Panel] { p }
    public static func buildEither(second p: [Panel]) -> [Panel] { p }
    public static func buildArray(_ p: [[Panel]]) -> [Panel] { p.flatMap { $0 } }
}
