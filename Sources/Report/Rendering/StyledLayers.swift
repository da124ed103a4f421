import Foundation
import Render

/// A report figure's series as Render layers with their colours, each tagged with its panel, and the merged
/// line-style keys (see `CairoFigureRenderer.figure(for:)`).
struct StyledLayers {
    var layers: [(panel: String?, layer: Layer)] = []
    var keys: [LegendKey] = []

    init(_ data: FigureData, theme: Theme) {
        var colourOfLabel: [String: Color] = [:]
        var nextColour = 0
        func freshColour() -> Color {
            defer { nextColour += 1 }
            return theme.palette.isEmpty ? Color(hex: 0x000000) : theme.palette[nextColour % theme.palette.count]
        }
        /// "theory: NGD, η = 0.5" belongs to the measured series "NGD, η = 0.5": the longest label it ends with.
        func owner(ofTheory label: String) -> String? {
            colourOfLabel.keys.filter { !$0.isEmpty && label.hasSuffix($0) }.max { $0.count < $1.count }
        }

        if let heatmap = data.heatmap {
            let matrix = heatmap.matrix
            let rows = (0..<matrix.rows).map { i in (0..<matrix.columns).map { j in matrix[i, j] } }
            layers.append((nil, .heatmap(Heatmap(rows, colorBarLabel: heatmap.label))))
        }
        var markerIndex = 0
        let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond, .cross, .plus]
        var theoryPrefixes: [String] = []
        for series in data.series {
            let isTheory = series.role == .theory
            let owner = isTheory ? owner(ofTheory: series.label) : nil
            // one run shown in several panels under one label keeps one colour (and one legend entry)
            let colour = (isTheory ? owner : series.label).flatMap { colourOfLabel[$0] } ?? freshColour()
            if !isTheory { colourOfLabel[series.label] = colour }
            switch series.style {
            case .line:
                if let low = series.low, let high = series.high {
                    layers.append((series.panel, .band(Band(x: series.x, lower: low, upper: high, color: colour))))
                }
                // a theory curve drawn in its series' colour is named by that series' entry and the dashed key
                var label: String? = series.label
                if let owner {
                    theoryPrefixes.append(Self.prefix(of: series.label, before: owner))
                    label = nil
                }
                layers.append((series.panel, .line(Line(x: series.x, y: series.y, label: label, color: colour,
                                                        style: isTheory ? .dashed : .solid))))
            case .points:
                defer { markerIndex += 1 }
                layers.append((series.panel, .scatter(Scatter(x: series.x, y: series.y, label: series.label,
                    color: colour,
                                                              marker: markers[markerIndex % markers.count],
                                                                  filled: !isTheory))))
            case .star:
                layers.append((series.panel, .scatter(Scatter(x: series.x, y: series.y, label: series.label,
                    color: colour,
                                                              marker: .star, filled: true))))
            case .bars:
                let edges = series.edges ?? Self.edges(centres: series.x)
                layers.append((series.panel, .histogram(Histogram(edges: edges, counts: series.y, label: series.label,
                                                                  color: colour, opacity: isTheory ? 0.35 : 0.7))))
            }
        }
        addArrows(data.arrows, colourOfLabel: colourOfLabel, freshColour: freshColour)
        if !theoryPrefixes.isEmpty {
            // one name for the dashed key when every merged curve says the same thing (e.g. "∝ m^{−1/2}")
            let shared = Set(theoryPrefixes).count == 1 && !theoryPrefixes[0].isEmpty ? theoryPrefixes[0] : "theory"
            keys = [LegendKey("measured", color: theme.axisColor, style: .solid),
                    LegendKey(shared, color: theme.axisColor, style: .dashed)]
        }
    }

    /// One arrows layer per group (and panel), in the colour of the series of the same name when there is one.
    private mutating func addArrows(_ arrows: [FigureData.Arrow], colourOfLabel: [String: Color],
        freshColour: () -> Color) {
        var groups: [(group: String, panel: String?)] = []
        for arrow in arrows where !groups.contains(where: { $0.group == arrow.group && $0.panel == arrow.panel }) {
            groups.append((arrow.group, arrow.panel))
        }
        var colourOfGroup = colourOfLabel
        for (group, panel) in groups {
            let members = arrows.filter { $0.group == group && $0.panel == panel }
            let colour = colourOfGroup[group] ?? freshColour()
            colourOfGroup[group] = colour
            layers.append((panel, .arrows(Arrows(from: members.map { Point($0.x0, $0.y0) },
                to: members.map { Point($0.x1, $0.y1) },
                                                 label: group, color: colour))))
        }
    }

    /// "∝ m^{−1/2}: ‖G₀ − H^∞‖₂" before "‖G₀ − H^∞‖₂" → "∝ m^{−1/2}".
    static func prefix(of label: String, before owner: String) -> String {
        let head = label.dropLast(owner.count)
        return head.trimmingCharacters(in: CharacterSet(charactersIn: ": ").union(.whitespaces))
    }

    /// Bin edges halfway between consecutive centres (bars given only by their centres).
    static func edges(centres: [Double]) -> [Double] {
        guard centres.count > 1 else { return centres.first.map { [$0 - 0.5, $0 + 0.5] } ?? [] }
        var edges = [centres[0] - (centres[1] - centres[0]) / 2]
        for i in 0..<(centres.count - 1) { edges.append((centres[i] + centres[i + 1]) / 2) }
        edges.append(centres[centres.count - 1] + (centres[centres.count - 1] - centres[centres.count - 2]) / 2)
        return edges
    }
}
