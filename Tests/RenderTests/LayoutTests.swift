import Foundation
import Testing
@testable import Render

@Suite struct LayoutTests {
    @Test(arguments: ["convergence", "output-space", "gram", "histogram", "grid"])
    func demoFiguresHaveNoClippingOrOverlap(name: String) throws {
        let fig = try #require(DemoFigures.all.first { $0.0 == name }?.1)
        let report = try fig.layoutReport()
        #expect(report.problems.isEmpty, "\(report.problems.joined(separator: "\n"))")
        #expect(report.items.contains { $0.kind == .tickLabel })
    }

    @Test(arguments: ["neurips", "icml-column", "icml-full", "3x2", "8x5"])
    func everySizePresetLaysOutCleanly(size: String) throws {
        var fig = DemoFigures.grid()
        fig.size = try FigureSize(parsing: size, aspect: 0.75)
        let p1 = try fig.layoutReport().problems
        #expect(p1.isEmpty, "\(p1)")
        // two panels with legends need a text-width figure; a single column is too narrow for them
        guard ["neurips", "icml-full", "8x5"].contains(size) else { return }
        var conv = DemoFigures.convergence()
        conv.size = try FigureSize(parsing: size, aspect: 0.6)
        let p2 = try conv.layoutReport().problems
        #expect(p2.isEmpty, "\(p2)")
    }

    @Test func slidesThemeLaysOutCleanly() throws {
        var fig = DemoFigures.grid()
        fig.theme = .slides
        fig.size = .inches(10, 6)
        #expect(try fig.layoutReport().problems.isEmpty)
    }

    @Test func manyDecadesDoNotCollide() throws {
        let x = (0...30).map(Double.init)
        let fig = Figure(size: .icmlColumn()) {
            Panel(x: .log10("x"), y: .log10("y")) { Line(x: x.map { pow(10, $0 / 2 - 7) }, y: x.map { pow(10, -$0 / 2) }) }
        }
        let report = try fig.layoutReport()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.items.filter { $0.kind == .tickLabel }.count >= 4)
    }

    @Test func bestLegendAvoidsTheData() throws {
        // a line through the upper-right: the legend must go elsewhere
        let x = (0...20).map(Double.init)
        let fig = Figure { Panel { Line(x: x, y: x.map { $0 * $0 }, label: "rising") } }
        let legend = try #require(try fig.layoutReport().items.first { $0.kind == .legend })
        let axes = try #require(try fig.layoutReport().items.first { $0.kind == .axes })
        #expect(legend.rect.midX < axes.rect.midX && legend.rect.midY < axes.rect.midY, "legend at \(legend.rect)")
    }

    @Test func greekAndInfinityHaveGlyphs() throws {
        // Pango reports unknown glyphs as hex boxes with the same advance as a digit box; compare with a known glyph
        let style = TextStyle(family: Theme.defaultFontFamily, size: 10)
        for s in ["λ", "η", "‖", "∞", "−", "ρ", "κ"] {
            #expect(TextMeasurer.engine().unknownGlyphs(in: s, style: style) == 0, "\(s) has no glyph")
        }
    }

    @Test func displayListSnapshot() throws {
        let fig = Figure(size: .inches(2, 1.5)) {
            Panel(x: .linear("x"), y: .linear("y")) { Line(x: [0, 1, 2], y: [0, 1, 4], label: "x^2") }
        }
        let text = try fig.displayList()
        let lines = text.split(separator: "\n")
        #expect(lines.first == "fill #ffffff M0,0 L144,0 L144,108 L0,108 Z")
        #expect(lines.contains { $0.hasPrefix("stroke #0072b2 w=1.25 M") })
        #expect(lines.contains { $0.hasSuffix("\"x<sup>2</sup>\"") || $0.contains("x<sup>2</sup>") })
        if ProcessInfo.processInfo.environment["RENDER_UPDATE_SNAPSHOTS"] != nil { print(text) }
        #expect(text == Snapshots.smallFigureDisplayList + "\n")   // a multi-line literal drops its last newline
    }
}

@Suite struct LegendPlacementTests {
    func figure(_ placement: LegendPlacement) -> Figure {
        let x = (0...30).map { Double($0) / 3 }
        return Figure(size: .neurips(aspect: 0.45)) {
            Panel(x: .linear("epoch"), y: .linear("accuracy"), legend: placement) {
                for k in 1...4 { Line(x: x, y: x.map { 1 - exp(-Double(k) * $0 / 5) }, label: "width m = \(k * 256)") }
            }
        }
    }

    @Test(arguments: [LegendPlacement.below, .outsideRight, .upperLeft, .lowerRight, .best])
    func requestedPlacementsLayOutCleanly(placement: LegendPlacement) throws {
        let report = try figure(placement).layoutReport()
        #expect(report.problems.isEmpty, "\(report.problems)")
        let legend = try #require(report.items.first { $0.kind == .legend })
        let axes = try #require(report.items.first { $0.kind == .axes })
        switch placement {
        case .below: #expect(legend.rect.minY > axes.rect.maxY)
        case .outsideRight: #expect(legend.rect.minX > axes.rect.maxX)
        default: #expect(axes.rect.contains(legend.rect))
        }
    }

    @Test func noLegendWhenAskedOrUnlabelled() throws {
        #expect(try figure(.none).layoutReport().items.allSatisfy { $0.kind != .legend })
        let unlabelled = Figure { Panel { Line([1, 2, 3]) } }
        #expect(try unlabelled.layoutReport().items.allSatisfy { $0.kind != .legend })
    }
}

@Test func legendBelowIsWrittenAtTheFigureSize() throws {
    let output = try DemoOutput()
    defer { output.cleanUp() }
    let figure = LegendPlacementTests().figure(.below)
    try figure.write(to: output.url("legend-below.png"), dpi: 150)
    let png = try #require(PNGMetadata.info(try Data(contentsOf: output.url("legend-below.png"))))
    #expect(png.width == Int((figure.size.width * 150).rounded()))
    #expect(png.height == Int((figure.size.height * 150).rounded()))
}

@Test func sharedAxesShowTickLabelsOnlyOnOuterPanels() throws {
    var fig = DemoFigures.grid()          // sharesX: only the bottom row keeps x tick labels
    fig.sharesY = true
    fig.panels[1].y.scale = .linear; fig.panels[3].y.scale = .linear
    let items = try fig.layoutReport().items.filter { $0.kind == .tickLabel }
    let groups = Set(items.map(\.group))
    #expect(!groups.contains("p1.x") && !groups.contains("p2.x"))
    #expect(groups.contains("p3.x") && groups.contains("p4.x"))
    #expect(groups.contains("p1.y") && groups.contains("p3.y"))
    #expect(!groups.contains("p2.y") && !groups.contains("p4.y"))
    let layout = FigureLayout(fig)
    #expect(layout.panels[0].mapping.xLimits == layout.panels[3].mapping.xLimits)
}

@Test func figureLegendBelowListsEachLabelOnceUnderTheGrid() throws {
    let x = (0...20).map(Double.init)
    let fig = Figure(size: .neurips(aspect: 0.36), columns: 3, sharesY: true, legend: .below) {
        for rate in [0.1, 0.3, 0.6] {
            Panel(title: "\\eta = \(rate)", x: .linear("step"), y: .log10("loss")) {
                Line(x: x, y: x.map { pow(1 - rate, $0) }, label: "NGD")
                Line(x: x, y: x.map { pow(1 - rate / 4, $0) }, label: "GD")
                Line(x: x, y: x.map { pow(1 - rate / 2, $0) }, label: "K-FAC")
            }
        }
    }
    let report = try fig.layoutReport()
    #expect(report.problems.isEmpty, "\(report.problems)")
    let legends = report.items.filter { $0.kind == .legend }
    #expect(legends.count == 1)
    let lowestAxes = report.items.filter { $0.kind == .axes }.map(\.rect.maxY).max() ?? 0
    #expect(legends[0].rect.minY > lowestAxes)
    let list = try fig.displayList()
    #expect(list.components(separatedBy: "\"K-FAC\"").count == 2)     // drawn once
    let output = try DemoOutput()
    defer { output.cleanUp() }
    try fig.write(to: output.url("shared-legend.png"), dpi: 200)
}
