import Foundation

/// Writes a figure as PGF commands that LaTeX typesets: paths as `\pgfpath…`, every text as `\pgftext` in the
/// document's font, raster layers as PNG files beside the `.pgf` (`\pgfimage`). The picture's bounding box is the
/// figure's canvas, so `\input{fig.pgf}` comes out at the venue preset's size with no scaling.
///
/// Text is placed by its baseline: the anchor the layout asked for is moved to the baseline with Pango's metrics
/// (the figure is laid out once, with Pango), and TeX aligns the baseline left, centred or right. The document's
/// font is a little wider or narrower than the layout's; the horizontal anchor keeps labels centred on ticks.
final class PGFRenderer: Renderer {
    /// Canvas size in PostScript points (bp), the unit of the layout.
    let canvas: Rect
    /// File name (relative to the `.pgf`) of the n-th raster image.
    let imageName: (Int) -> String
    private var body: [String] = []
    private(set) var images: [(name: String, png: Data)] = []
    private var colorNames: [String: String] = [:]
    private var colorDefinitions: [String] = []
    private var state = GraphicsState()
    private var savedState: GraphicsState?
    private(set) var error: Error?

    /// What has been set since the picture (or the current clip scope) began, so each operation only emits changes.
    private struct GraphicsState: Equatable {
        var fillColor: String?, strokeColor: String?, fillOpacity: Double?, strokeOpacity: Double?
        var lineWidth: Double?, dashes: [Double]?, roundCaps: Bool?
    }

    init(canvas: Rect, imageName: @escaping (Int) -> String) {
        self.canvas = canvas
        self.imageName = imageName
    }

    // MARK: numbers and points

    /// TeX points per PostScript point: the PGF file is written in TeX points.
    private static let texPointsPerBigPoint = 72.27 / 72

    /// A length in bp written as TeX points without unit, 3 decimals, no trailing zeros, never "-0".
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        var s = String(format: "%.3f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
    /// Canvas coordinates (bp, y down) as PGF lengths (TeX pt, y up).
    private func x(_ v: Double) -> String { Self.number((v - canvas.minX) * Self.texPointsPerBigPoint) + "pt" }
    private func y(_ v: Double) -> String { Self.number((canvas.maxY - v) * Self.texPointsPerBigPoint) + "pt" }
    private func length(_ v: Double) -> String { Self.number(v * Self.texPointsPerBigPoint) + "pt" }

    // MARK: state

    private func colorName(_ c: Color) -> String {
        let hex = String(c.hexString.dropFirst()).uppercased()
        if let name = colorNames[hex] { return name }
        let name = "ngd" + hex
        colorNames[hex] = name
        let byte = { (v: Double) in Int((min(max(v, 0), 1) * 255).rounded()) }
        colorDefinitions.append("\\definecolor{\(name)}{RGB}{\(byte(c.red)),\(byte(c.green)),\(byte(c.blue))}%")
        return name
    }

    private func emit(_ line: String) { body.append(line) }

    private func setPath(_ path: Path) {
        for e in path.elements {
            switch e {
            case .move(let p): emit("\\pgfpathqmoveto{\(x(p.x))}{\(y(p.y))}")
            case .line(let p): emit("\\pgfpathqlineto{\(x(p.x))}{\(y(p.y))}")
            case .curve(let a, let b, let c):
                emit("\\pgfpathqcurveto{\(x(a.x))}{\(y(a.y))}{\(x(b.x))}{\(y(b.y))}{\(x(c.x))}{\(y(c.y))}")
            case .close: emit("\\pgfpathclose")
            }
        }
    }

    func fill(_ path: Path, color: Color) {
        guard !path.elements.isEmpty else { return }
        let name = colorName(color)
        if state.fillColor != name { emit("\\pgfsetfillcolor{\(name)}"); state.fillColor = name }
        let opacity = min(max(color.alpha, 0), 1)
        if state.fillOpacity ?? 1 != opacity { emit("\\pgfsetfillopacity{\(Self.number(opacity))}"); state.fillOpacity = opacity }
        setPath(path)
        emit("\\pgfusepath{fill}")
    }

    func stroke(_ path: Path, style: StrokeStyle) {
        guard !path.elements.isEmpty else { return }
        let name = colorName(style.color)
        if state.strokeColor != name { emit("\\pgfsetstrokecolor{\(name)}"); state.strokeColor = name }
        let opacity = min(max(style.color.alpha, 0), 1)
        if state.strokeOpacity ?? 1 != opacity { emit("\\pgfsetstrokeopacity{\(Self.number(opacity))}"); state.strokeOpacity = opacity }
        if state.lineWidth != style.width { emit("\\pgfsetlinewidth{\(length(style.width))}"); state.lineWidth = style.width }
        if state.dashes ?? [] != style.dashes {
            emit("\\pgfsetdash{" + style.dashes.map { "{\(length($0))}" }.joined() + "}{0pt}")
            state.dashes = style.dashes
        }
        if state.roundCaps != style.roundCaps {
            emit(style.roundCaps ? "\\pgfsetroundcap\\pgfsetroundjoin" : "\\pgfsetbuttcap\\pgfsetmiterjoin")
            state.roundCaps = style.roundCaps
        }
        setPath(path)
        emit("\\pgfusepath{stroke}")
    }

    func text(_ markup: String, style: TextStyle, at point: Point, anchor: TextAnchor, angle: Double) {
        // The layout placed the anchor on Pango's logical box; move it to the baseline, which TeX shares.
        let extent = TextMeasurer.measure(markup, style: style)
        let toBaseline = TextGeometry.offset(extent, anchor: anchor).y + extent.baseline
        let a = -angle * Double.pi / 180
        let base = Point(point.x - toBaseline * sin(a), point.y + toBaseline * cos(a))
        var options: [String] = []
        switch anchor.horizontal {
        case .left: options.append("left")
        case .right: options.append("right")
        case .center: break
        }
        options.append("base")
        options.append("at=\\pgfqpoint{\(x(base.x))}{\(y(base.y))}")
        if angle != 0 { options.append("rotate=\(Self.number(angle))") }
        var font = "\\ngdfigurefont\\ngdfontsize{\(Self.number(style.size))}{\(Self.number(style.size * 1.2))}"
        if style.bold { font += "\\bfseries" }
        if style.italic { font += "\\itshape" }
        let color = colorName(style.color)
        emit("\\pgftext[\(options.joined(separator: ","))]{\\color{\(color)}\(font) \(LaTeXText.fromMarkup(markup))}")
    }

    func image(_ image: RasterImage, in rect: Rect) {
        let png: Data
        do { png = try image.pngData() } catch { self.error = self.error ?? error; return }
        let name = imageName(images.count)
        images.append((name, png))
        emit("\\pgftext[left,bottom,at=\\pgfqpoint{\(x(rect.minX))}{\(y(rect.maxY))}]{\\pgfimage[interpolate=false,"
             + "width=\(length(rect.width)),height=\(length(rect.height))]{\\ngdfiguredir \(name)}}")
    }

    func clip(to rect: Rect?) {
        if let saved = savedState {
            emit("\\end{pgfscope}")
            state = saved
            savedState = nil
        }
        if let r = rect {
            emit("\\begin{pgfscope}")
            savedState = state
            emit("\\pgfpathrectangle{\\pgfqpoint{\(x(r.minX))}{\(y(r.maxY))}}{\\pgfqpoint{\(length(r.width))}{\(length(r.height))}}")
            emit("\\pgfusepath{clip}")
        }
    }

    /// The finished `.pgf` text (closes an open clip scope). Every line ends in `%` outside the picture so that
    /// no stray space widens the box.
    func document(title: String?) -> String {
        clip(to: nil)
        var lines: [String] = [
            "%% PGF figure written by ngd. Use it with \\usepackage{pgf} (or tikz) and \\input{<this file>}.",
            "%% Its text is set in the document's font: \\ngdfigurefont (default \\normalfont) and",
            "%% \\ngdfontsize{<size>}{<baselineskip>} (default \\fontsize{#1}{#2}\\selectfont) may be \\renewcommand'ed;",
            "%% raster layers are read from \\ngdfiguredir (default empty: the document's directory).",
        ]
        if let t = title { lines.append("%% Figure: " + t.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(String.init).joined()) }
        lines += [
            "\\begingroup%",
            "\\providecommand{\\ngdfigurefont}{\\normalfont}%",
            "\\providecommand{\\ngdfontsize}[2]{\\fontsize{#1}{#2}\\selectfont}%",
            "\\providecommand{\\ngdfiguredir}{}%",
        ]
        lines += colorDefinitions
        lines.append("\\begin{pgfpicture}%")
        lines.append("\\pgfpathrectangle{\\pgfpointorigin}{\\pgfqpoint{\(length(canvas.width))}{\(length(canvas.height))}}%")
        lines.append("\\pgfusepath{use as bounding box}%")
        lines += body.map { $0 + "%" }
        lines += ["\\end{pgfpicture}%", "\\endgroup%"]
        return lines.joined(separator: "\n") + "\n"
    }
}
