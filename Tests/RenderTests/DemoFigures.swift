import Foundation
import Testing
@testable import Render

/// Figures resembling the paper's, used by the layout tests and (with RENDER_DEMO_DIR set) written to disk to look at.
enum DemoFigures {
    static func convergence(size: FigureSize = .neurips(aspect: 0.5)) -> Figure {
        let steps = Array(0...40).map(Double.init)
        func run(_ rate: Double, _ noise: Double) -> [Double] { steps.map { pow(1 - rate, $0) * (1 + noise * sin($0)) + 1e-9 } }
        let ngd = run(0.5, 0.1), gd = run(0.08, 0.05)
        return Figure(size: size, title: "Convergence") {
            Panel(title: "Training loss", x: .linear("iteration k"), y: .log10("\\|u - y\\|_2^2")) {
                Band(x: steps, lower: gd.map { $0 * 0.6 }, upper: gd.map { $0 * 1.5 })
                Line(x: steps, y: gd, label: "GD, \\eta = 0.08")
                Line(x: steps, y: steps.map { pow(0.92, $0) }, label: "(1 - \\eta\\lambda_{min})^k", color: Color.okabeIto[0], style: .dotted)
                Band(x: steps, lower: ngd.map { $0 * 0.5 }, upper: ngd.map { $0 * 2 })
                Line(x: steps, y: ngd, label: "NGD, \\eta = 0.5")
                Line(x: steps, y: steps.map { pow(0.5, $0) }, label: "(1 - \\eta)^k theory", color: Color.okabeIto[1], style: .dashed)
            }
            Panel(title: "Widths m", x: .log10("width m"), y: .log10("‖J(W) − J(W₀)‖_F")) {
                let ms = [64.0, 128, 256, 512, 1024, 2048, 4096, 8192]
                Scatter(x: ms, y: ms.map { 3 / $0.squareRoot() }, label: "measured")
                ReferenceLine.through(Point(64, 3 / 8), Point(8192, 3 / 8192.squareRoot()), label: "fit: m^{-1/2}", color: .gray)
                SlopeTriangle(at: Point(300, 0.1), slope: -0.5, decades: 1)
            }
        }
    }

    static func outputSpace() -> Figure {
        let targets = [Point(1, 0.5), Point(-0.5, 1), Point(0.2, -0.8)]
        let starts = [Point(0.1, 0.1), Point(0, 0.2), Point(-0.1, 0)]
        let mids = zip(starts, targets).map { Point($0.x + 0.6 * ($1.x - $0.x), $0.y + 0.6 * ($1.y - $0.y)) }
        return Figure(size: .icmlColumn(aspect: 0.9)) {
            Panel(title: "Output space", x: .linear("u_1"), y: .linear("u_2"), equalAspect: true) {
                Scatter(x: targets.map(\.x), y: targets.map(\.y), label: "targets y", color: .black, marker: .star)
                Scatter(x: starts.map(\.x), y: starts.map(\.y), label: "u(0)", marker: .circle, filled: false)
                Arrows(from: starts, to: mids, label: "NGD step")
            }
        }
    }

    static func gram(n: Int = 16) -> Figure {
        var g = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in 0..<n { g[i][j] = exp(-Double((i - j) * (i - j)) / 8) * (i / 8 == j / 8 ? 1 : 0.4) } }
        return Figure(size: .icmlColumn(aspect: 0.85)) {
            Panel(title: "Gram matrix G^\\infty", x: .linear("j"), y: .linear("i")) {
                Heatmap(g, colorBarLabel: "G_{ij}")
            }
        }
    }

    static func histogram() -> Figure {
        var rng = UInt64(12345)
        func u() -> Double { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Double(rng >> 11) / Double(1 << 53) }
        let vals = (0..<2000).map { _ in (-2 * log(u())).squareRoot() * cos(2 * .pi * u()) * 0.3 + 1 }
        return Figure(size: .icmlColumn()) {
            Panel(x: .linear("\\lambda_{min}(G) / \\lambda_0"), y: .linear("count")) {
                Histogram(values: vals, bins: 30, label: "2000 inits")
                ReferenceLine.vertical(1, label: "λ₀")
            }
        }
    }

    static func grid() -> Figure {
        let x = (0...50).map { Double($0) / 10 }
        return Figure(size: .neurips(aspect: 0.7), rows: 2, columns: 2, sharesX: true) {
            Panel(title: "linear", x: .linear(), y: .linear("loss")) {
                Line(x: x, y: x.map { 0.3 * $0 * $0 }, label: "a")
                Line(x: x, y: x.map { 2 * $0 }, label: "b")
            }
            Panel(title: "tiny values", x: .linear(), y: .linear("residual")) {
                Line(x: x, y: x.map { 1e-6 + 2e-6 * $0 / 5 }, label: "r")
            }
            Panel(x: .linear("time t"), y: .log10("error")) {
                Line(x: x, y: x.map { exp(-3 * $0) }, label: "e^{-3t}", marker: .circle)
                Line(x: x, y: x.map { exp(-$0) }, label: "e^{-t}", marker: .square)
            }
            Panel(x: .linear("time t"), y: .linear("value", limits: -3.2...17)) {
                Line(x: x, y: x.map { 4 * sin($0) + 5 }, label: "sine")
                TextLabel("peak", at: Point(1.6, 9.3))
                ReferenceLine.horizontal(0, label: "zero")
            }
        }
    }

    static func columnConvergence() -> Figure {
        var f = convergence()
        f.size = .icmlColumn(aspect: 0.75)
        f.panels = [f.panels[0]]
        f.columns = 1
        f.panels[0].title = nil
        return f
    }

    static var all: [(String, Figure)] {
        [("column", columnConvergence()), ("convergence", convergence()), ("output-space", outputSpace()), ("gram", gram()), ("histogram", histogram()), ("grid", grid())]
    }
}

/// Where the demo tests write: RENDER_DEMO_DIR when set (to look at the files), else a fresh temporary directory
/// that `cleanUp` removes.
struct DemoOutput {
    let directory: URL
    private let isTemporary: Bool

    init() throws {
        if let kept = ProcessInfo.processInfo.environment["RENDER_DEMO_DIR"] {
            directory = URL(fileURLWithPath: kept)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            isTemporary = false
        } else {
            directory = try temporaryDirectory()
            isTemporary = true
        }
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    func cleanUp() { if isTemporary { try? FileManager.default.removeItem(at: directory) } }
}

@Test func everyDemoFigureLaysOutCleanlyAndIsWrittenInEachFormat() throws {
    let output = try DemoOutput()
    defer { output.cleanUp() }
    for (name, figure) in DemoFigures.all {
        let problems = try figure.layoutReport().problems
        #expect(problems.isEmpty, "\(name): \(problems)")
        try figure.write(to: output.url(name + ".pdf"))
        try figure.write(to: output.url(name + ".png"), dpi: 200)
        try figure.write(to: output.url(name + ".svg"))
        let pdf = try Data(contentsOf: output.url(name + ".pdf"))
        #expect(pdf.starts(with: Data("%PDF-".utf8)), "\(name).pdf")
        let png = try #require(PNGMetadata.info(try Data(contentsOf: output.url(name + ".png"))), "\(name).png")
        #expect(png.width == Int((figure.size.width * 200).rounded()), "\(name).png width")
        #expect(png.height == Int((figure.size.height * 200).rounded()), "\(name).png height")
        let svg = try String(contentsOf: output.url(name + ".svg"), encoding: .utf8)
        #expect(svg.contains("<svg"), "\(name).svg")
    }
}

@Test func slidesThemeDrawsTheSameFigureWithLargerText() throws {
    let output = try DemoOutput()
    defer { output.cleanUp() }
    var paper = DemoFigures.convergence()
    paper.size = .inches(10, 4.5)
    var slides = paper
    slides.theme = .slides
    try slides.write(to: output.url("slides.png"), dpi: 80)
    let png = try #require(PNGMetadata.info(try Data(contentsOf: output.url("slides.png"))))
    #expect(png.width == 800 && png.height == 360)
    func tallestTickLabel(_ figure: Figure) throws -> Double {
        try figure.layoutReport().items.filter { $0.kind == .tickLabel }.map(\.rect.height).max() ?? 0
    }
    #expect(try tallestTickLabel(slides) > 1.3 * tallestTickLabel(paper))
    var column = DemoFigures.grid()
    column.size = .icmlColumn(aspect: 0.9)
    #expect(try column.layoutReport().problems.isEmpty)
    try column.write(to: output.url("grid-column.png"), dpi: 220)
}
