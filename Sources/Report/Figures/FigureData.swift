import Foundation

/// A figure as data (DVC's "plots as data"): everything needed to draw it and nothing about how.
/// Report builds it from run results; the Render seam turns it into PDF/SVG/PNG; `csv` is its data file.
public struct FigureData: Codable, Hashable, Sendable {
    public var id: String
    public var kind: FigureKind
    public var title: String?
    public var caption: String
    public var widthInches: Double
    public var heightInches: Double
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    public var heatmap: Heatmap?
    public var arrows: [Arrow]
    /// Draw one unit of x as long as one unit of y (output-space plots such as the paper's Figure 1).
    /// nil (the default, omitted from JSON) = free aspect.
    public var equalAspect: Bool? = nil

    public struct Axis: Codable, Hashable, Sendable {
        public var label: String
        public var scale: Scale
        /// Category names for bar charts (x = 0, 1, …).
        public var categories: [String]?
    }

    public enum Scale: String, Codable, Hashable, Sendable { case linear, log10 }

    public struct Series: Codable, Hashable, Sendable {
        public var label: String
        public var role: Role
        public var style: Style
        public var x: [Double]
        public var y: [Double]
        /// Band around y (seed spread in sweeps): low and high, same length as y.
        public var low: [Double]?
        public var high: [Double]?
        /// Histograms: the bin edges (count + 1 of them); `x` holds the bin centres.
        public var edges: [Double]?
        /// Small multiples (ggplot2's facets): the panel this series belongs to; nil = drawn in every panel.
        public var panel: String? = nil
    }

    public enum Role: String, Codable, Hashable, Sendable { case measured, theory }
    public enum Style: String, Codable, Hashable, Sendable { case line, points, bars, star }

    public struct Heatmap: Codable, Hashable, Sendable {
        public var label: String
        public var matrix: MatrixValue
    }

    /// Output-space arrows (Figure 1): one per example, grouped by run.
    public struct Arrow: Codable, Hashable, Sendable {
        public var group: String
        public var x0: Double
        public var y0: Double
        public var x1: Double
        public var y1: Double
        /// The panel the arrow is drawn in (see `Series.panel`); nil = every panel.
        public var panel: String? = nil
    }

    /// The panels of a faceted figure, in order of first appearance; empty = one panel.
    public var panelNames: [String] {
        var names: [String] = []
        for name in series.compactMap(\.panel) + arrows.compactMap(\.panel) where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// The figure's data as CSV (written beside the figure with the same stem), so anyone can re-plot it.
    public var csv: String {
        var lines: [String] = []
        if !series.isEmpty {
            let categories = xAxis.categories
            let faceted = !panelNames.isEmpty
            let xColumn = categories == nil ? "x" : "category"
            lines.append("series,role,style,\(xColumn),y,low,high" + (faceted ? ",panel" : ""))
            for item in series {
                for index in item.y.indices {
                    let x = index < item.x.count ? item.x[index] : Double(index)
                    let xText: String
                    if let categories, x >= 0, Int(x) < categories.count, x == x.rounded() {
                        xText = csvField(categories[Int(x)])
                    } else {
                        xText = csvNumber(x)
                    }
                    let low = item.low.map { csvNumber($0[index]) } ?? ""
                    let high = item.high.map { csvNumber($0[index]) } ?? ""
                    let panel = faceted ? "," + csvField(item.panel ?? "") : ""
                    lines.append("\(csvField(item.label)),\(item.role.rawValue),\(item.style.rawValue),\(xText),"
                        + "\(csvNumber(item.y[index])),\(low),\(high)\(panel)")
                }
            }
        }
        if let heatmap {
            if !lines.isEmpty { lines.append("") }
            lines.append("row,column,\(csvField(heatmap.label))")
            for row in 0..<heatmap.matrix.rows {
                for column in 0..<heatmap.matrix.columns {
                    lines.append("\(row),\(column),\(csvNumber(heatmap.matrix[row, column]))")
                }
            }
        }
        if !arrows.isEmpty {
            if !lines.isEmpty { lines.append("") }
            let faceted = !panelNames.isEmpty
            lines.append("group,x0,y0,x1,y1" + (faceted ? ",panel" : ""))
            for arrow in arrows {
                let panel = faceted ? "," + csvField(arrow.panel ?? "") : ""
                lines.append("\(csvField(arrow.group)),\(csvNumber(arrow.x0)),\(csvNumber(arrow.y0)),"
                    + "\(csvNumber(arrow.x1)),\(csvNumber(arrow.y1))\(panel)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Shortest round-trip decimal text (Swift's `description` is deterministic and exact).
func csvNumber(_ value: Double) -> String {
    value.isNaN ? "nan" : value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)"
}

func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Draws a figure (Render behind it: `CairoFigureRenderer`). `idPrefix` must prefix every id in the SVG
/// (the report inlines several SVGs in one page). Output must be deterministic (no dates, no process counters).
public protocol FigureRenderer: Sendable {
    func render(_ figure: FigureData, idPrefix: String) throws -> RenderedFigure
}

/// A drawn figure in the three formats the output directory keeps.
public struct RenderedFigure: Sendable {
    public var pdf: Data
    public var svg: Data
    public var png: Data

    public init(pdf: Data, svg: Data, png: Data) {
        self.pdf = pdf
        self.svg = svg
        self.png = png
    }
}
