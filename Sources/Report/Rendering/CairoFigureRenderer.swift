import Foundation
import Render

/// The report's figure seam connected to Render: `FigureData` (plots as data) becomes a Render `Figure` and is
/// drawn as PDF, SVG (ids prefixed) and PNG. This translation is the only place a report figure meets Cairo.
public struct CairoFigureRenderer: FigureRenderer {
    public var theme: Theme
    /// Resolution of the PNG copy (the PDF and SVG are vector).
    public var dpi: Double

    /// Name each line at its right end instead of in the legend (`Panel.directLabels`).
    public var directLabels: Bool

    public init(theme: Theme = .paper, dpi: Double = 200, directLabels: Bool = false) {
        self.theme = theme
        self.dpi = dpi
        self.directLabels = directLabels
    }

    /// The Render figure this renderer draws for `data` (the PGF of the LaTeX appendix uses it too).
    public func figure(for data: FigureData) -> Figure {
        Self.figure(for: data, theme: theme, directLabels: directLabels)
    }

    public func render(_ data: FigureData, idPrefix: String) throws -> RenderedFigure {
        let figure = figure(for: data)
        do {
            return RenderedFigure(pdf: try figure.pdfData(),
                                  svg: Data(try figure.svgString(idPrefix: idPrefix).utf8),
                                  png: try figure.pngData(dpi: dpi))
        } catch {
            throw FigureError(figure: data.id, message: "cannot be drawn: \(error)")
        }
    }

    /// The Render figure for a report figure: measured series in palette order, each theory curve dashed in the
    /// colour of the measured series it belongs to (matched by label), bands under their line. Keys are merged
    /// the way ggplot2 merges guides: a matched theory curve has no entry of its own, colour names the series
    /// once and two keys say "solid = measured, dashed = theory". Series and arrows with a `panel` become small
    /// multiples: one panel per name, sharing both axes, one legend below (unpanelled data is in every panel).
    public static func figure(for data: FigureData, theme: Theme = .paper, directLabels: Bool = false) -> Figure {
        let styled = StyledLayers(data, theme: theme)
        let names = data.panelNames
        let labels = Set(styled.layers.compactMap(\.layer.label)).subtracting([""])
        let entries = labels.count + styled.keys.count
        func panel(_ name: String?) -> Panel {
            let layers = styled.layers.filter { name == nil || $0.panel == nil || $0.panel == name }.map(\.layer)
            return Panel(title: name, x: Self.axis(data.xAxis), y: Self.axis(data.yAxis),
                         legend: entries > Self.legendEntriesInside ? .below : .best,
                         equalAspect: data.equalAspect ?? false, directLabels: directLabels, legendKeys: styled.keys,
                         layers: layers)
        }
        let size = FigureSize(width: data.widthInches, height: data.heightInches)
        guard !names.isEmpty else {
            return Figure(size: size, theme: theme, title: data.title ?? data.id, panels: [panel(nil)])
        }
        return Figure(size: size, theme: theme, rows: 1, columns: names.count, sharesX: true, sharesY: true,
                      title: data.title ?? data.id, legend: .below, panels: names.map(panel))
    }

    /// The most legend entries that may sit inside the axes.
    static let legendEntriesInside = 8

    private static func axis(_ axis: FigureData.Axis) -> Axis {
        Axis(label: axis.label.isEmpty ? nil : axis.label, scale: axis.scale == .log10 ? .log10 : .linear)
    }
}
