import Foundation
import Testing
@testable import Render

@Suite struct RobustnessTests {
    @Test func hostileDataDrawsWithoutCrashing() throws {
        let fig = Figure(size: .icmlColumn(), rows: 2, columns: 2) {
            Panel(x: .linear("x"), y: .log10("y")) {
                Line(x: [0, 1, 2, 3, 4], y: [1, .nan, 0, -1, .infinity], label: "holes")
                Scatter(x: [.nan], y: [1])
            }
            Panel { Line(x: [], y: []) }
            Panel(x: .log10(), y: .linear()) { Line(x: [5], y: [5], label: "one point", marker: .diamond) }
            Panel { Heatmap([[.nan, 1], [2, .infinity]]) }
        }
        let report = try fig.layoutReport()
        #expect(report.problems.isEmpty, "\(report.problems)")
        _ = try fig.pdfData()
        _ = try fig.pngData(dpi: 50)
        _ = try fig.svgString()
        #expect(fig.csvString().contains("nan"))
    }

    @Test func emptyFigureStillRenders() throws {
        let fig = Figure(panels: [])
        #expect(try fig.pngData(dpi: 30).count > 0)
        #expect(try fig.displayList().hasPrefix("fill #ffffff"))
    }

    @Test func userLimitsAreRespected() throws {
        let fig = Figure { Panel(x: .linear("x", limits: 0...10), y: .linear("y", limits: -1...1)) { Line(x: [2, 3], y: [0, 0.5]) } }
        let layout = FigureLayout(fig)
        let m = try #require(layout.panels.first?.mapping)
        #expect(m.xLimits == 0...10 && m.yLimits == -1...1)
    }

    @Test func equalAspectMakesUnitsEqualLength() throws {
        let fig = DemoFigures.outputSpace()
        let m = try #require(FigureLayout(fig).panels.first?.mapping)
        let sx = m.box.width / (m.x1 - m.x0), sy = m.box.height / (m.y1 - m.y0)
        #expect(abs(sx - sy) / sx < 1e-9)
    }

    @Test func heatmapCellsAreSquare() throws {
        let m = try #require(FigureLayout(DemoFigures.gram()).panels.first?.mapping)
        #expect(abs(m.box.width - m.box.height) < 1e-6)
    }

    @Test func automaticLimitsHaveSmallMargin() throws {
        let fig = Figure { Panel { Line(x: [0, 10], y: [0, 1]) } }
        let m = try #require(FigureLayout(fig).panels.first?.mapping)
        #expect(abs(m.x0 - (-0.5)) < 1e-12 && abs(m.x1 - 10.5) < 1e-12)
    }

    @Test func slopeTriangleLabelsItsRate() throws {
        #expect(SlopeTriangle.fraction(-0.5) == "−1/2")
        #expect(SlopeTriangle.fraction(2) == "2")
        #expect(SlopeTriangle.fraction(-1.0 / 3) == "−1/3")
        let list = try DemoFigures.convergence().displayList()
        #expect(list.contains("\"slope −1/2\""))
    }
}
