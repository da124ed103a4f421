import Foundation
import Testing
import NGD
import Render
@testable import Report

/// Every figure of `ngd paper --quick`, made by the paper's own studies with the quick settings the command uses
/// (`PaperSettings(quick: true)`: the quick sizes, 2 seeds), without writing the report directory. Built once and
/// shared by the tests below.
private enum QuickPaper {
    static let figures: Result<[FigureData], Error> = Result {
        let report = PaperReport(settings: PaperSettings(quick: true))
        let context = StudyContext(settings: report.settings, cacheDirectory: nil)
        return PaperReport.figures(of: try report.outcomes(in: context).map(\.outcome))
    }

    /// Each figure as the report draws it, with what it drew and its layout boxes.
    static func drawn() throws -> [(data: FigureData, geometry: DrawnGeometry, layout: LayoutReport)] {
        try figures.get().map { data in
            let figure = CairoFigureRenderer().figure(for: data)
            let geometry = DrawnGeometry()
            try figure.draw(on: geometry)
            return (data, geometry, try figure.layoutReport())
        }
    }
}

@Suite struct PaperFigureLayoutTests {
    @Test func noLegendOfAQuickPaperFigureTouchesItsData() throws {
        let drawn = try QuickPaper.drawn()
        #expect(drawn.count >= 25, "the quick paper has \(drawn.count) figures")
        for (data, geometry, layout) in drawn {
            // the check sees the data: every axes box with lines or markers in it is touched
            if data.heatmap == nil {
                #expect(layout.items.filter { $0.kind == .axes }.allSatisfy { geometry.touches($0.rect) }, "\(data.id)")
            }
            for legend in layout.items where legend.kind == .legend {
                // the frame's 0.5 pt hairline may touch nothing either: test the box itself
                #expect(!geometry.touches(legend.rect), "\(data.id): legend \(legend.rect) covers data")
            }
        }
    }

    @Test func noTwoTickLabelsOfAQuickPaperFigureOverlap() throws {
        for (data, _, layout) in try QuickPaper.drawn() {
            let ticks = layout.items.filter { $0.kind == .tickLabel }
            for a in ticks.indices {
                for b in ticks.indices where b > a && ticks[a].rect.overlaps(ticks[b].rect, tolerance: 0) {
                    let names = "'\(ticks[a].text ?? "")' and '\(ticks[b].text ?? "")'"
                    Issue.record("\(data.id): tick labels \(names) overlap")
                }
            }
            #expect(layout.problems.isEmpty, "\(data.id): \(layout.problems.joined(separator: "; "))")
        }
    }

    @Test func convergenceLegendNamesEachMethodOnceAndTheLineStylesOnce() throws {
        let (data, geometry, layout) = try #require(try QuickPaper.drawn().first { $0.data.id == "convergence" })
        let boxes = layout.items.filter { $0.kind == .legend }.map(\.rect)
        let entries = geometry.texts.filter { text in boxes.contains { $0.contains(text.point) } }
            .map { LabelMarkup.plainText(fromMarkup: $0.markup) }
        let methods = data.series.filter { $0.role == .measured }
            .map { LabelMarkup.plainText(fromMarkup: LabelMarkup.markup(from: $0.label)) }
        #expect(methods.count >= 5)
        for method in methods { #expect(entries.filter { $0 == method }.count == 1, "\(method) in \(entries)") }
        #expect(entries.filter { $0 == "measured" }.count == 1 && entries.filter { $0 == "theory" }.count == 1,
            "\(entries)")
        // theory curves of a method are named by its colour and the dashed key, not by entries of their own
        #expect(entries.count == methods.count + 3, "\(entries)")     // + the K-FAC bound, measured, theory
    }

    @Test func aRunDrawnInBothDeepConditioningPanelsKeepsOneColourAndOneLegendEntry() throws {
        let (data, geometry, layout) = try #require(try QuickPaper.drawn().first { $0.data.id == "deep-conditioning" })
        let figure = CairoFigureRenderer().figure(for: data)
        var colours: [String: Set<Color>] = [:]
        for panel in figure.panels {
            for case .line(let line) in panel.layers {
                if let label = line.label, let colour = line.color { colours[label, default: []].insert(colour) }
            }
        }
        let gdLabels = colours.keys.filter { $0.hasPrefix("GD") }
        #expect(gdLabels.count == 2, "\(colours.keys)")
        for label in gdLabels {
            #expect(colours[label]?.count == 1, "\(label) drawn in \(colours[label] ?? [])")
            let panelsWithIt = figure.panels.filter { panel in
                panel.layers.contains { if case .line(let l) = $0 { return l.label == label } else { return false } }
            }
            #expect(panelsWithIt.count == 2, "\(label)")
        }
        // NGD's coinciding curves: the later set as markers over the first one's line
        let ngdMarkers = figure.panels[0].layers.filter {
            if case .scatter(let s) = $0 { return s.label?.hasPrefix("NGD") ?? false } else { return false }
        }
        #expect(ngdMarkers.count == 1)
        let boxes = layout.items.filter { $0.kind == .legend }.map(\.rect)
        let entries = geometry.texts.filter { text in boxes.contains { $0.contains(text.point) } }
            .map { LabelMarkup.plainText(fromMarkup: $0.markup) }
        #expect(entries.count == Set(entries).count && entries.count == 6, "\(entries)")
    }

    @Test func figureOneIsDrawnAsNGDAndGDPanelsSharingTheirAxes() throws {
        for id in ["figure1", "figure1-trajectories"] {
            let data = try #require(try QuickPaper.figures.get().first { $0.id == id })
            let figure = CairoFigureRenderer().figure(for: data)
            #expect(figure.panels.map(\.title) == ["NGD", "GD"], "\(id)")
            #expect(figure.sharesX && figure.sharesY)
            let axes = try figure.layoutReport().items.filter { $0.kind == .axes }.map(\.rect)
            #expect(axes.count == 2)
            #expect(abs(axes[0].height - axes[1].height) < 0.01 && abs(axes[0].minY - axes[1].minY) < 0.01)
            let arrowsPerPanel = figure.panels.map { panel in
                panel.layers.filter { if case .arrows = $0 { return true } else { return false } }.count
            }
            #expect(arrowsPerPanel == [1, 1], "\(id): one method's arrows per panel")
        }
    }
}
