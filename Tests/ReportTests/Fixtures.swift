import Foundation
import NGD
@testable import Report

/// A complete, valid spec exercising every section (also the example of docs/SPEC.md in spirit).
let sampleSpec = """
title: NGD versus GD on the unit sphere
description: Residual contraction of NGD and GD on n = 8 points in d = 4, and its dependence on width.
seed: 7
datasets:
  sphere: {kind: synthetic, n: 8, d: 4, outputs: 1}
  duplicates: {kind: lambda0, n: 8, d: 4, epsilon: 0.1, pairs: 2}
models:
  narrow: {width: 64}
  wide: {width: 1024, init_scale: 1.0}
optimizers:
  ngd: {kind: ngd, lr: 0.5}
  gd: {kind: gd, lr: 1/lambda_max}
runs:
  - id: ngd_wide
    label: NGD, η = 0.5
    dataset: sphere
    model: wide
    optimizer: ngd
    steps: 12
  - id: gd_wide
    label: GD, η = 1/λ_max
    dataset: sphere
    model: wide
    optimizer: gd
    steps: 12
sweeps:
  - id: widths
    dataset: sphere
    model: narrow
    optimizer: ngd
    steps: 6
    over:
      width: [64, 256, 1024]
      seed: [1, 2]
figures:
  - id: convergence
    kind: convergence
    runs: [ngd_wide, gd_wide]
    metric: residual_norm
    theory: true
    caption: Residual norm ‖u − y‖ per step; dashed, the linear-theory curve (1 − η)^k ‖r(0)‖.
  - id: ratio-vs-width
    kind: width_sweep
    runs: [widths]
    metric: ratio_deviation
    value: max(abs(ratio(run.residual_norm) - 0.5))
    y_label: "max_k |ρ_k − (1 − η)|"
    caption: Largest deviation of the per-step ratio from 1 − η against width.
  - id: spectrum
    kind: spectrum
    runs: [ngd_wide]
    metric: gram_eigenvalues
    caption: Eigenvalues of G(0).
    section: Diagnostics
claims:
  - id: ngd-rate
    statement: NGD contracts the residual by 1 − η per step at large width.
    source: docs/CLAIMS.md claim 5
    measured: max(abs(ratio(ngd_wide.residual_norm) - 0.5))
    predicted: 0
    compare: "<="
    tolerance: 0.05
  - id: deviation-slope
    statement: The ratio deviation shrinks with width.
    measured: loglog_slope(widths[seed=1].width, widths[seed=1].ratio_deviation)
    predicted: -0.5
    compare: ≈
    tolerance: 0.2
  - id: gd-fast
    statement: GD reaches ‖r‖ ≤ 10⁻³ within 12 steps, like NGD.
    measured: steps_to(gd_wide.residual_norm, 1e-3)
    predicted: 12
    compare: "<="
"""

/// A deterministic stand-in for the engine: numbers shaped like the real ones, computed from the run alone.
/// Counts its calls (to check cache reuse).
final class FakeExecutor: RunExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var _calls = 0
    var failOnCall: Int?
    /// Adds process-varying noise: a non-deterministic engine, for verify tests.
    var nondeterministic = false

    var calls: Int { lock.withLock { _calls } }

    func execute(_ run: ResolvedRun, shouldStop: @Sendable () -> Bool) throws -> RunResult {
        let call = lock.withLock { () -> Int in _calls += 1; return _calls }
        if let failOnCall, call == failOnCall { throw NGDError("engine", "simulated failure") }
        var random = Xoshiro256StarStar(seed: run.model.seed &+ UInt64(run.model.width))
        let n = run.dataset.count ?? 8
        let eta: Double
        switch run.optimizer.learningRate {
        case .fixed(let value): eta = value
        case .inverseLambdaMax(let scale): eta = scale * 0.3
        }
        let deviation = 0.4 / Double(run.model.width).squareRoot() * (1 + 0.1 * random.nextUniform())
        let rate = run.optimizer.kind == .ngd ? 1 - eta + deviation : 1 - eta * 0.25
        var residual = [2.0]
        for _ in 0..<run.steps { residual.append(residual[residual.count - 1] * rate) }
        if nondeterministic { residual[0] += Double(UInt64(Date().timeIntervalSince1970 * 1e6) % 1000) * 1e-9 }
        let eigenvalues = (0..<n).map { 1.4 / Double($0 + 1) + 0.01 * random.nextUniform() }
        let gram = MatrixValue(rows: n, columns: n, values: (0..<n * n).map { i in i / n == i % n ? 0.5 : 0.2 * random.nextUniform() })
        return RunResult(series: ["residual_norm": residual],
                         scalars: ["ratio_deviation": deviation, "lambda_max": eigenvalues[0], "learning_rate": eta],
                         vectors: ["gram_eigenvalues": eigenvalues],
                         matrices: ["gram_initial": gram],
                         notes: run.optimizer.kind == .gd ? ["η resolved from λ_max(G₀)."] : [])
    }
}

/// Draws a figure as a small, valid, deterministic SVG (lines on log/linear axes) — enough to look at the page.
struct FakeRenderer: FigureRenderer {
    func render(_ figure: FigureData, idPrefix: String) throws -> RenderedFigure {
        let width = 600.0, height = 600.0 * figure.heightInches / figure.widthInches
        let left = 56.0, right = 16.0, top = 16.0, bottom = 44.0
        func transform(_ value: Double, _ scale: FigureData.Scale) -> Double { scale == .log10 ? log10(max(value, 1e-300)) : value }
        let points = figure.series.flatMap { s in zip(s.x, s.y).map { (transform($0, figure.xAxis.scale), transform($1, figure.yAxis.scale)) } }
        let xs = points.map(\.0), ys = points.map(\.1)
        let x0 = xs.min() ?? 0, x1 = max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)
        let y0 = ys.min() ?? 0, y1 = max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom) }
        let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
        var body = ""
        body += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"none\" stroke=\"#333\" stroke-width=\"0.8\"/>"
        for (index, s) in figure.series.enumerated() {
            let color = colors[index % colors.count]
            let coordinates = zip(s.x, s.y).map { String(format: "%.2f,%.2f", px(transform($0, figure.xAxis.scale)), py(transform($1, figure.yAxis.scale))) }
            if s.style == .line {
                body += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\"\(s.role == .theory ? " stroke-dasharray=\"5 4\"" : "") points=\"\(coordinates.joined(separator: " "))\"/>"
            } else {
                for c in coordinates {
                    let parts = c.split(separator: ",")
                    body += "<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"3\" fill=\"\(color)\"/>"
                }
            }
            body += "<text x=\"\(width - right - 8)\" y=\"\(top + 18 + 16 * Double(index))\" text-anchor=\"end\" font-size=\"12\" fill=\"\(color)\">\(xmlEscape(s.label))</text>"
        }
        body += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\" font-size=\"13\">\(xmlEscape(figure.xAxis.label))</text>"
        body += "<text transform=\"translate(16 \((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(xmlEscape(figure.yAxis.label))</text>"
        let svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" id="\(idPrefix)root" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))pt" height="\(Int(height))pt" font-family="serif">\(body)</svg>
        """
        return RenderedFigure(pdf: Data("%PDF-fake \(figure.id)\n".utf8), svg: Data(svg.utf8), png: Data("PNG-fake \(figure.id)".utf8))
    }

    private func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

struct FakePDFWriter: ReportPDFWriter {
    func pdf(for document: ReportDocument, figures: [String: FigureData], rendered: [String: RenderedFigure]) throws -> Data {
        Data("%PDF-fake report \(document.title) figures=\(document.figures.count) claims=\(document.passedClaims)/\(document.claims.count)\n".utf8)
    }
}

/// A fresh temporary directory, removed when the value is deinitialised.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("ngd-report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func appending(_ component: String) -> String { (path as NSString).appendingPathComponent(component) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func configuration(executor: any RunExecutor = FakeExecutor(), stop: @escaping @Sendable () -> Bool = { false })
    -> ReportConfiguration {
    ReportConfiguration(executor: executor, renderer: FakeRenderer(), pdfWriter: FakePDFWriter(),
                        compute: ComputeEnvironment(blasLibrary: "OpenBLAS 0.3.21", blasCoreName: "Prescott", blasThreads: 1),
                        graphics: GraphicsEnvironment(cairoVersion: "1.16.0", pangoVersion: "1.50.12", fontFiles: []),
                        sourceDirectory: nil, environment: [:], shouldStop: stop)
}

/// Every file under `root` with its bytes, for byte-identical comparisons.
func snapshot(_ root: String) -> [String: Data] {
    var files: [String: Data] = [:]
    for path in OutputFiles.list(root) {
        files[path] = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(path))
    }
    return files
}
