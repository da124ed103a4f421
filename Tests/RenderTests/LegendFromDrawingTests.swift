import Foundation
import Testing
@testable import Render

/// Legends chosen from what is drawn, direct labels, merged keys and tick labels that give way.
@Suite struct LegendFromDrawingTests {
    /// Dense lines (short segments), so "no point inside the box" means "no line through it".
    private func line(_ f: (Double) -> Double, label: String?) -> Line {
        let xs = (0...400).map { Double($0) / 400 }
        return Line(x: xs, y: xs.map(f), label: label)
    }

    private func pointsInside(_ box: Rect, of figure: Figure) -> Int {
        let layout = FigureLayout(figure)
        var count = 0
        for (p, pl) in zip(figure.panels, layout.panels) {
            for case .line(let l) in p.layers {
                for (x, y) in zip(l.x, l.y) {
                    if let q = pl.mapping.point(x, y),
                        box.outsetBy(figure.theme.lineWidth / 2).contains(q) { count += 1 }
                }
            }
        }
        return count
    }

    @Test func bestLegendTakesTheFirstSpotTheDataLeavesFree() throws {
        // an X through all four corners: the first free candidate is the right edge's centre
        let figure = Figure(size: .inches(4, 3), panels: [Panel(x: .linear("x"), y: .linear("y"), layers: [
            .line(line({ $0 }, label: "rising")), .line(line({ 1 - $0 }, label: "falling")),
        ])])
        let legend = try #require(FigureLayout(figure).panels[0].legend)
        #expect(legend.placement == .centerRight)
        #expect(pointsInside(legend.box, of: figure) == 0)
        #expect(try figure.layoutReport().problems.isEmpty)
    }

    @Test func legendGoesOutsideWhenNoInsideSpotIsFree() throws {
        let layers: [Layer] = (0...10).map { k in .line(line({ _ in Double(k) / 10 }, label: k == 0 ? "level" : nil)) }
            + [.line(line({ $0 }, label: "diagonal"))]
        let figure = Figure(size: .inches(4, 3), panels: [Panel(x: .linear("x"), y: .linear("y"), layers: layers)])
        let panel = try #require(FigureLayout(figure).panels.first)
        let legend = try #require(panel.legend)
        #expect([.outsideRight, .below].contains(legend.placement))
        #expect(!legend.box.overlaps(panel.mapping.box))
        #expect(try figure.layoutReport().problems.isEmpty)
    }

    @Test func directLabelsNameEachLineAtItsEndWithoutOverlap() throws {
        let figure = Figure(size: .inches(4, 3), panels: [Panel(x: .linear("x"), y: .log10("y"), directLabels: true,
            layers: [
            .line(line({ pow(10, -3 * $0) }, label: "NGD η = 0.5")),
            .line(line({ pow(10, -3 * $0) * 1.05 }, label: "K-FAC η = 1")),
            .line(line({ pow(10, -$0) }, label: "GD")),
            .scatter(Scatter(x: [0.5], y: [0.5], label: "reference")),
        ])])
        let report = try figure.layoutReport()
        let labels = report.items.filter { $0.kind == .directLabel }
        let axes = try #require(report.items.first { $0.kind == .axes })
        #expect(Set(labels.compactMap(\.text)) == ["GD", "NGD η = 0.5", "K-FAC η = 1"])
        #expect(labels.allSatisfy { $0.rect.minX >= axes.rect.maxX })
        #expect(report.problems.isEmpty, "\(report.problems)")
        // only what has no line end left for the legend: the scatter
        let legend = try #require(FigureLayout(figure).panels[0].legend)
        #expect(legend.entries.map(\.markup) == ["reference"])
    }

    @Test func legendKeysFollowTheLayersEntriesWithTheirOwnSamples() throws {
        let keys = [LegendKey("measured", color: .black), LegendKey("theory", color: .black, style: .dashed)]
        let figure = Figure(panels: [Panel(x: .linear(), y: .linear(), legendKeys: keys, layers: [
            .line(Line(x: [0, 1], y: [0, 1], label: "NGD")), .line(Line(x: [0, 1], y: [0, 0.9], style: .dashed)),
        ])])
        let legend = try #require(FigureLayout(figure).panels[0].legend)
        #expect(legend.entries.map(\.markup) == ["NGD", "measured", "theory"])
        #expect(legend.entries[2].sample == .line(.black, .dashed, width: figure.theme.lineWidth, marker: nil,
            band: nil))
    }

    @Test func logTickLabelsGiveWayBeforeTheyCrowd() throws {
        // λ₀ from 0.016 to 0.09 (kfac-lambda0): 0.06 … 0.09 sit closer than a label's width apart
        let figure = Figure(size: .inches(5.5, 3.4), panels: [Panel(x: .log10("λ₀"), y: .linear("steps"), layers: [
            .scatter(Scatter(x: [0.0165, 0.085], y: [10, 30])),
        ])])
        let labels = try figure.layoutReport().items.filter { $0.group == "p1.x" }
            .sorted { $0.rect.minX < $1.rect.minX }
        #expect(labels.compactMap(\.text).contains("0.02") && labels.compactMap(\.text).contains("0.05"))
        for k in labels.indices.dropFirst() {
            let gap = labels[k].rect.minX - labels[k - 1].rect.maxX
            #expect(gap >= min(labels[k].rect.width, labels[k - 1].rect.width) - 0.01,
                    "\(labels[k - 1].text ?? "") and \(labels[k].text ?? "") are \(gap) pt apart")
        }
    }
}
