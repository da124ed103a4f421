import Foundation
import Render

/// The report's figure seam connected to Render: `FigureData` (plots as data) becomes a Render `Figure` and is
/// drawn as PDF, SVG (ids prefixed) and PNG. This translation is the only place a report figure meets Cairo.
public struct CairoFigureRenderer: FigureRenderer {
    public var theme: Theme
    /// Resolution of the PNG copy (the PDF and SVG are vector).
    public var dpi: Double

    public init(theme: Theme = .paper, dpi: Double = 200) {
        self.theme = theme
        self.dpi = dpi
    }

    public func render(_ data: FigureData, idPrefix: String) throws -> RenderedFigure {
        let figure = Self.figure(for: data, theme: theme)
        do {
            return RenderedFigure(pdf: try figure.pdfData(),
                                  svg: Data(try figure.svgString(idPrefix: idPrefix).utf8),
                                  png: try figure.pngData(dpi: dpi))
        } catch {
            throw FigureError(figure: data.id, message: "cannot be drawn: \(error)")
        }
    }

    /// The Render figure for a report figure: one panel; measured series in palette order, each theory curve dashed
    /// in the colour of the measured series it belongs to (matched by label), bands under their line.
    public static func figure(for data: FigureData, theme: Theme = .paper) -> Figure {
        var layers: [Layer] = []
        var colourOfLabel: [String: Color] = [:]
        var nextColour = 0
        func freshColour() -> Color {
            defer { nextColour += 1 }
            return theme.palette.isEmpty ? Color(hex: 0x000000) : theme.palette[nextColour % theme.palette.count]
        }
        func colour(forTheory label: String) -> Color {
            // "theory: NGD, η = 0.5" belongs to the measured series "NGD, η = 0.5".
            if let match = colourOfLabel.keys.filter({ label.hasSuffix($0) }).max(by: { $0.count < $1.count }),
               let colour = colourOfLabel[match] {
                return colour
            }
            return freshColour()
        }

        if let heatmap = data.heatmap {
            let matrix = heatmap.matrix
            let rows = (0..<matrix.rows).map { i in (0..<matrix.columns).map { j in matrix[i, j] } }
            layers.append(.heatmap(Heatmap(rows, colorBarLabel: heatmap.label)))
        }
        var markerIndex = 0
        let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond, .cross, .plus]
        for series in data.series {
            let isTheory = series.role == .theory
            let colour = isTheory ? colour(forTheory: series.label) : freshColour()
            if !isTheory { colourOfLabel[series.label] = colour }
            switch series.style {
            case .line:
                if let low = series.low, let high = series.high {
                    layers.append(.band(Band(x: series.x, lower: low, upper: high, color: colour)))
                }
                layers.append(.line(Line(x: series.x, y: series.y, label: series.label, color: colour,
                                         style: isTheory ? .dashed : .solid)))
            case .points:
                defer { markerIndex += 1 }
                layers.append(.scatter(Scatter(x: series.x, y: series.y, label: series.label, color: colour,
                                               marker: markers[markerIndex % markers.count], filled: !isTheory)))
            case .star:
                layers.append(.scatter(Scatter(x: series.x, y: series.y, label: series.label, color: colour,
                                               marker: .star, filled: true)))
            case .bars:
                let edges = series.edges ?? Self.edges(centres: series.x)
                layers.append(.histogram(Histogram(edges: edges, counts: series.y, label: series.label, color: colour,
                                                   opacity: isTheory ? 0.35 : 0.7)))
            }
        }
        var arrowGroups: [String] = []
        for arrow in data.arrows where !arrowGroups.contains(arrow.group) { arrowGroups.append(arrow.group) }
        for group in arrowGroups {
            let members = data.arrows.filter { $0.group == group }
            layers.append(.arrows(Arrows(from: members.map { Point($0.x0, $0.y0) }, to: members.map { Point($0.x1, $0.y1) },
                                         label: group, color: colourOfLabel[group] ?? freshColour())))
        }

        // A legend of many entries covers data wherever it sits inside the axes: set it below, in columns.
        let entries = Set(data.series.map(\.label) + arrowGroups).subtracting([""]).count
        let panel = Panel(x: Self.axis(data.xAxis), y: Self.axis(data.yAxis),
                          legend: entries > Self.legendEntriesInside ? .below : .best,
                          equalAspect: data.equalAspect ?? false, layers: layers)
        return Figure(size: FigureSize(width: data.widthInches, height: data.heightInches), theme: theme,
                      title: data.title ?? data.id, panels: [panel])
    }

    /// The most legend entries that may sit inside the axes.
    static let legendEntriesInside = 8

    private static func axis(_ axis: FigureData.Axis) -> Axis {
        Axis(label: axis.label.isEmpty ? nil : axis.label, scale: axis.scale == .log10 ? .log10 : .linear)
    }

    /// Bin edges halfway between consecutive centres (bars given only by their centres).
    private static func edges(centres: [Double]) -> [Double] {
        guard centres.count > 1 else { return centres.first.map { [$0 - 0.5, $0 + 0.5] } ?? [] }
        var edges = [centres[0] - (centres[1] - centres[0]) / 2]
        for i in 0..<(centres.count - 1) { edges.append((centres[i] + centres[i + 1]) / 2) }
        edges.append(centres[centres.count - 1] + (centres[centres.count - 1] - centres[centres.count - 2]) / 2)
        return edges
    }
}
