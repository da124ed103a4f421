import Foundation

/// One drawn box, for layout checks: every text, legend, axes and colour-bar box with what it is.
public struct LayoutItem: Hashable, Sendable {
    public enum Kind: String, Sendable { case tickLabel, axisLabel, title, panelLabel, legend, colorBarLabel,
        multiplier, annotation, axes, colorBar
        case directLabel
    }
    public var kind: Kind
    public var rect: Rect
    /// Items of one group must not overlap each other (e.g. "p1.x" = the x tick labels of panel 1).
    public var group: String
    public var text: String?
}

/// The boxes of a drawn figure and the checks a publication figure must pass.
public struct LayoutReport: Sendable {
    public var canvas: Rect
    public var items: [LayoutItem]

    /// Human-readable problems: boxes outside the canvas, overlapping tick labels of one axis, and text boxes
    /// (labels, titles, legends, tick labels) overlapping each other. Empty = publication-safe layout.
    public var problems: [String] {
        var out: [String] = []
        for it in items where !canvas.contains(it.rect, tolerance: 0.05) {
            out.append("\(it.kind.rawValue) \(it.text.map { "'\($0)' " } ?? "")\(it.rect) leaves the canvas \(canvas)")
        }
        let texts = items.filter { ![.axes, .colorBar, .annotation].contains($0.kind) }
        for a in 0..<texts.count {
            for b in (a + 1)..<texts.count where texts[a].rect.overlaps(texts[b].rect, tolerance: 0.1) {
                let x = texts[a], y = texts[b]
                if x.kind == .legend && y.kind == .legend { continue }
                out.append("\(x.kind.rawValue) '\(x.text ?? "")' \(x.rect) overlaps \(y.kind.rawValue) '\(y.text ?? "")' \(y.rect)")
            }
        }
        return out
    }
}

/// Draws a laid-out figure on any renderer and reports where every box went.
struct FigureDrawer {
    let layout: FigureLayout
    let renderer: Renderer
    private(set) var items: [LayoutItem] = []
    var theme: Theme { layout.figure.theme }
    var metrics: Metrics { layout.metrics }

    init(layout: FigureLayout, renderer: Renderer) { self.layout = layout; self.renderer = renderer }

    mutating func draw() {
        renderer.fill(.rect(layout.canvas), color: .white)
        for pl in layout.panels { drawPanel(pl) }
        if let (lg, _) = layout.figureLegend { drawLegend(lg, group: "figure") }
    }

    @discardableResult
    private mutating func text(_ markup: String, _ style: TextStyle, at p: Point, _ anchor: TextAnchor, angle: Double = 0,
                               kind: LayoutItem.Kind, group: String, halo: Bool = false) -> Rect {
        let e = TextMeasurer.measure(markup, style: style)
        let box = TextGeometry.box(e, at: p, anchor: anchor, angle: angle)
        // labels inside the axes get a soft white backing so lines and bars do not cross the letters
        if halo { renderer.fill(.rect(box.insetBy(0.5)), color: Color.white.withAlpha(0.75)) }
        renderer.text(markup, style: style, at: p, anchor: anchor, angle: angle)
        items.append(LayoutItem(kind: kind, rect: box, group: group, text: LabelMarkup.plainText(fromMarkup: markup)))
        return box
    }

    private func axisStroke(_ w: Double? = nil) -> StrokeStyle { StrokeStyle(color: theme.axisColor, width: w ?? theme.axisLineWidth) }

    private mutating func drawPanel(_ pl: PanelLayout) {
        let panel = layout.figure.panels[pl.index]
        let m = pl.mapping, box = m.box
        let g = "p\(pl.index + 1)"
        let isHeatmap = panel.heatmap != nil

        if panel.showGrid ?? theme.showGrid {
            var path = Path()
            for t in pl.xTicks.majors { if let x = m.px(t.value) { path.move(to: Point(x, box.minY)); path.line(to: Point(x, box.maxY)) } }
            for t in pl.yTicks.majors { if let y = m.py(t.value) { path.move(to: Point(box.minX, y)); path.line(to: Point(box.maxX, y)) } }
            renderer.stroke(path, style: StrokeStyle(color: theme.gridColor, width: 0.4))
        }

        drawData(pl)

        // frame and ticks
        renderer.stroke(.rect(box), style: axisStroke())
        items.append(LayoutItem(kind: .axes, rect: box, group: g, text: nil))
        drawTicks(pl, isHeatmap: isHeatmap)

        // tick labels
        let out = isHeatmap ? theme.majorTickLength : 0
        var xLabelBottom = box.maxY
        if pl.showsXTickLabels {
            var h = 0.0
            for t in pl.xTicks.ticks {
                guard let label = t.label, let x = m.px(t.value) else { continue }
                let r = text(label, metrics.tickStyle, at: Point(x, box.maxY + out + metrics.tickPad), TextAnchor(.center, .top), kind: .tickLabel, group: g + ".x")
                h = max(h, r.height)
            }
            xLabelBottom = box.maxY + out + metrics.tickPad + h
            if let mult = pl.xTicks.multiplier {
                let r = text(mult, metrics.tickStyle, at: Point(box.maxX, xLabelBottom + 1), TextAnchor(.right, .top), kind: .multiplier, group: g)
                xLabelBottom = r.maxY
            }
        }
        var yLabelLeft = box.minX
        if pl.showsYTickLabels {
            var w = 0.0
            for t in pl.yTicks.ticks {
                guard let label = t.label, let y = m.py(t.value) else { continue }
                let r = text(label, metrics.tickStyle, at: Point(box.minX - out - metrics.tickPad, y), TextAnchor(.right, .middle), kind: .tickLabel, group: g + ".y")
                w = max(w, r.width)
            }
            yLabelLeft = box.minX - out - metrics.tickPad - w
            if let mult = pl.yTicks.multiplier {
                text(mult, metrics.tickStyle, at: Point(box.minX, box.minY - 2), TextAnchor(.left, .bottom), kind: .multiplier, group: g)
            }
        }
        // axis labels
        if let xl = layout.xLabel(pl.index) {
            text(LabelMarkup.markup(from: xl), metrics.labelStyle, at: Point(box.midX, xLabelBottom + metrics.labelPad), TextAnchor(.center, .top), kind: .axisLabel, group: g)
        }
        if let yl = layout.yLabel(pl.index) {
            text(LabelMarkup.markup(from: yl), metrics.labelStyle, at: Point(yLabelLeft - metrics.labelPad, box.midY), TextAnchor(.center, .bottom), angle: 90, kind: .axisLabel, group: g)
        }
        drawTitleRow(pl, panel)
        if let cb = pl.colorBar { drawColorBar(cb, group: g) }
        if let lg = pl.legend { drawLegend(lg, group: g) }
        drawDirectLabels(pl)
    }

    /// The data layers, clipped to the axes, in z-order: images, fills, lines, arrows and markers, annotations.
    /// Also what `FigureLayout` records to keep legends and direct labels off the data.
    mutating func drawData(_ pl: PanelLayout) {
        let panel = layout.figure.panels[pl.index]
        let m = pl.mapping
        let g = "p\(pl.index + 1)"
        renderer.clip(to: m.box)
        for pass in 0..<4 {
            for (k, layer) in panel.layers.enumerated() {
                let st = pl.styles[k]
                switch (pass, layer) {
                case (0, .heatmap(let h)): drawHeatmap(h, m)
                case (0, .band(let b)): drawBand(b, st, m)
                case (0, .histogram(let h)): drawHistogram(h, st, m)
                case (1, .reference(let r)): drawReference(r, st, m, group: g, panel: pl)
                case (1, .line(let l)): drawLine(l, st, m)
                case (2, .arrows(let a)): drawArrows(a, st, m)
                case (3, .scatter(let s)): drawScatter(s, st, m)
                case (3, .slope(let s)): drawSlope(s, st, m, group: g)
                default: break
                }
            }
        }
        renderer.clip(to: nil)
        for (k, layer) in panel.layers.enumerated() {
            if case .text(let t) = layer, let p = m.point(t.position.x, t.position.y) {
                text(LabelMarkup.markup(from: t.text), metrics.style(t.size ?? theme.legendSize,
                    color: pl.styles[k].color),
                     at: p, t.anchor, kind: .annotation, group: g)
            }
        }
    }

    /// Line names at their right ends, outside the axes, in the line's colour.
    private mutating func drawDirectLabels(_ pl: PanelLayout) {
        for label in pl.directLabels {
            text(label.markup, metrics.style(theme.legendSize, color: label.color), at: label.origin,
                 TextAnchor(.left, .middle), kind: .directLabel, group: "p\(pl.index + 1).direct")
        }
    }

    private mutating func drawTitleRow(_ pl: PanelLayout, _ panel: Panel) {
        let box = pl.mapping.box
        let baseline = pl.titleBaseline
        let labelText = layout.panelLabelText(pl.index)
        var labelBox: Rect?
        if layout.figure.labelsPanels {
            labelBox = text(labelText, metrics.panelLabelStyle, at: Point(pl.cell.minX, baseline), TextAnchor(.left, .baseline), kind: .panelLabel, group: "p\(pl.index + 1)")
        }
        if let t = panel.title {
            let markup = LabelMarkup.markup(from: t)
            let e = TextMeasurer.measure(markup, style: metrics.titleStyle)
            var x = box.midX, anchor = TextAnchor(.center, .baseline)
            if let lb = labelBox, box.midX - e.width / 2 < lb.maxX + 4 {
                x = lb.maxX + 4; anchor = TextAnchor(.left, .baseline)
            }
            text(markup, metrics.titleStyle, at: Point(x, baseline), anchor, kind: .title, group: "p\(pl.index + 1)")
        }
    }

    private func drawTicks(_ pl: PanelLayout, isHeatmap: Bool) {
        let m = pl.mapping, box = m.box
        var path = Path()
        let dir = isHeatmap ? -1.0 : 1.0      // heatmaps: outward, so ticks do not sit on the cells
        for t in pl.xTicks.ticks {
            guard let x = m.px(t.value), x >= box.minX - 0.01, x <= box.maxX + 0.01 else { continue }
            let len = t.isMajor ? theme.majorTickLength : theme.minorTickLength
            path.move(to: Point(x, box.maxY)); path.line(to: Point(x, box.maxY - dir * len))
            if !isHeatmap { path.move(to: Point(x, box.minY)); path.line(to: Point(x, box.minY + len)) }
        }
        for t in pl.yTicks.ticks {
            guard let y = m.py(t.value), y >= box.minY - 0.01, y <= box.maxY + 0.01 else { continue }
            let len = t.isMajor ? theme.majorTickLength : theme.minorTickLength
            path.move(to: Point(box.minX, y)); path.line(to: Point(box.minX + dir * len, y))
            if !isHeatmap { path.move(to: Point(box.maxX, y)); path.line(to: Point(box.maxX - len, y)) }
        }
        renderer.stroke(path, style: axisStroke(theme.axisLineWidth * 0.9))
    }

    // MARK: layers

    private func drawLine(_ l: Line, _ st: ResolvedStyle, _ m: AxisMapping) {
        let w = l.width ?? theme.lineWidth
        var path = Path(), pen = false
        var pts: [Point] = []
        for (x, y) in zip(l.x, l.y) {
            guard let p = m.point(x, y) else { pen = false; continue }
            if pen { path.line(to: p) } else { path.move(to: p); pen = true }
            pts.append(p)
        }
        if !path.elements.isEmpty {
            renderer.stroke(path, style: StrokeStyle(color: st.color, width: w, dashes: st.lineStyle.dashes(lineWidth: w), roundCaps: st.lineStyle == .dotted))
        }
        if let marker = st.marker {
            // thin markers by distance on the page (not by index), so dense series stay readable at any size
            let gap = theme.markerSize * 2.6
            var last: Point?
            for p in pts {
                if let q = last, (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y) < gap * gap { continue }
                drawMarker(marker, at: p, color: st.color, filled: true, size: theme.markerSize)
                last = p
            }
        }
    }

    private func drawMarker(_ shape: MarkerShape, at p: Point, color: Color, filled: Bool, size: Double) {
        let path = shape.path(at: p, size: size)
        if shape.isStrokeOnly {
            renderer.stroke(path, style: StrokeStyle(color: color, width: max(0.8, size * 0.18)))
        } else if filled {
            renderer.fill(path, color: color)
            renderer.stroke(path, style: StrokeStyle(color: .white, width: 0.35))
        } else {
            renderer.fill(path, color: .white)
            renderer.stroke(path, style: StrokeStyle(color: color, width: max(0.7, size * 0.16)))
        }
    }

    private func drawScatter(_ s: Scatter, _ st: ResolvedStyle, _ m: AxisMapping) {
        let size = s.size ?? (st.marker == .star ? theme.markerSize * 1.25 : theme.markerSize)
        for (x, y) in zip(s.x, s.y) {
            guard let p = m.point(x, y) else { continue }
            drawMarker(st.marker ?? .circle, at: p, color: st.color, filled: s.filled, size: size)
        }
    }

    private func drawBand(_ b: Band, _ st: ResolvedStyle, _ m: AxisMapping) {
        var upper: [Point] = [], lower: [Point] = []
        for i in b.x.indices where i < b.lower.count && i < b.upper.count {
            guard let u = m.point(b.x[i], b.upper[i]), let l = m.point(b.x[i], b.lower[i]) else { continue }
            upper.append(u); lower.append(l)
        }
        guard upper.count >= 2 else { return }
        renderer.fill(.polyline(upper + lower.reversed(), closed: true), color: st.color.withAlpha(b.opacity ?? theme.bandOpacity))
    }

    private func drawHistogram(_ h: Histogram, _ st: ResolvedStyle, _ m: AxisMapping) {
        let base = m.yScale == .linear ? 0 : m.yLimits.lowerBound
        for (k, c) in h.counts.enumerated() where k + 1 < h.edges.count && c > 0 {
            guard let x0 = m.px(h.edges[k]), let x1 = m.px(h.edges[k + 1]), let y0 = m.py(base), let y1 = m.py(c) else { continue }
            let r = Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
            renderer.fill(.rect(r), color: st.color.withAlpha(h.opacity))
            renderer.stroke(.rect(r), style: StrokeStyle(color: .white, width: 0.4))
        }
    }

    private func drawHeatmap(_ h: Heatmap, _ m: AxisMapping) {
        let rows = h.rows, cols = h.columns
        guard rows > 0, cols > 0 else { return }
        let r = h.valueRange
        // replicate cells so viewers that smooth images (browsers, some PDF viewers) still show crisp cells
        let k = max(1, 256 / max(rows, cols))
        let w = cols * k, hh = rows * k
        var bytes = [UInt8](repeating: 0, count: w * hh * 4)
        bytes.withUnsafeMutableBufferPointer { buf in
            for i in 0..<rows {
                for j in 0..<cols {
                    let v = j < h.values[i].count ? h.values[i][j] : .nan
                    let c = Colormap.rgbaBytes(Colormap.viridis((v - r.lowerBound) / (r.upperBound - r.lowerBound)))
                    for di in 0..<k {
                        let rowStart = ((i * k + di) * w + j * k) * 4
                        for dj in 0..<k { let o = rowStart + dj * 4; buf[o] = c[0]; buf[o + 1] = c[1]; buf[o + 2] = c[2]; buf[o + 3] = 255 }
                    }
                }
            }
        }
        guard let a = m.point(-0.5, -0.5), let b = m.point(Double(cols) - 0.5, Double(rows) - 0.5) else { return }
        let rect = Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
        renderer.image(RasterImage(width: w, height: hh, rgba: bytes), in: rect)
    }

    private func drawArrows(_ a: Arrows, _ st: ResolvedStyle, _ m: AxisMapping) {
        let w = a.width ?? theme.lineWidth * 0.75
        for (s0, e0) in zip(a.start, a.end) {
            guard let s = m.point(s0.x, s0.y), let e = m.point(e0.x, e0.y) else { continue }
            let dx = e.x - s.x, dy = e.y - s.y
            let len = (dx * dx + dy * dy).squareRoot()
            guard len > 0.5 else { continue }
            let d = Point(dx / len, dy / len), n = Point(-d.y, d.x)
            let h = min(a.headLength * max(1, w / 0.9), 0.45 * len)
            let hw = h * 0.4
            let back = Point(e.x - d.x * h, e.y - d.y * h)
            let notch = Point(e.x - d.x * h * 0.78, e.y - d.y * h * 0.78)
            var shaft = Path()
            shaft.move(to: s); shaft.line(to: Point(e.x - d.x * h * 0.7, e.y - d.y * h * 0.7))
            renderer.stroke(shaft, style: StrokeStyle(color: st.color, width: w))
            renderer.fill(.polyline([e, Point(back.x + n.x * hw, back.y + n.y * hw), notch, Point(back.x - n.x * hw, back.y - n.y * hw)], closed: true), color: st.color)
        }
    }

    private mutating func drawReference(_ r: ReferenceLine, _ st: ResolvedStyle, _ m: AxisMapping, group: String, panel: PanelLayout) {
        let box = m.box
        let w = r.width ?? theme.referenceLineWidth
        let style = StrokeStyle(color: st.color, width: w, dashes: r.style.dashes(lineWidth: w))
        // labels a shade darker than the (light) line so they stay legible
        let labelColor = r.color ?? Color(red: 0.3, green: 0.3, blue: 0.3)
        let labelStyle = metrics.style(theme.legendSize, color: labelColor)
        let layout = self.layout
        /// Of two candidate label positions, the one hiding less data.
        func quieter(_ a: (Point, TextAnchor, Double), _ b: (Point, TextAnchor, Double), _ markup: String) -> (Point, TextAnchor, Double) {
            let e = TextMeasurer.measure(markup, style: labelStyle)
            func score(_ c: (Point, TextAnchor, Double)) -> Int {
                let box = TextGeometry.box(e, at: c.0, anchor: c.1, angle: c.2)
                let underLegend = panel.legend.map { $0.box.overlaps(box) } ?? false
                return layout.clutter(in: box, panel: panel) + (underLegend ? 10_000 : 0)
            }
            let ca = score(a), cb = score(b)
            return cb < ca ? b : a
        }
        let markup = r.label.map(LabelMarkup.markup(from:))
        switch r.kind {
        case .horizontal(let yv):
            guard let y = m.py(yv) else { return }
            renderer.stroke(.polyline([Point(box.minX, y), Point(box.maxX, y)]), style: style)
            if let t = markup {
                let (p, a, ang) = quieter((Point(box.maxX - 3, y - 1.5), TextAnchor(.right, .bottom), 0),
                                          (Point(box.minX + 3, y - 1.5), TextAnchor(.left, .bottom), 0), t)
                text(t, labelStyle, at: p, a, angle: ang, kind: .annotation, group: group, halo: true)
            }
        case .vertical(let xv):
            guard let x = m.px(xv) else { return }
            renderer.stroke(.polyline([Point(x, box.minY), Point(x, box.maxY)]), style: style)
            if let t = markup {
                let (p, a, ang) = quieter((Point(x - 1.5, box.minY + 3), TextAnchor(.right, .bottom), 90),
                                          (Point(x - 1.5, box.maxY - 3), TextAnchor(.left, .bottom), 90), t)
                text(t, labelStyle, at: p, a, angle: ang, kind: .annotation, group: group, halo: true)
            }
        case .through(let a, let b):
            guard m.xScale.isValid(a.x), m.xScale.isValid(b.x), m.yScale.isValid(a.y), m.yScale.isValid(b.y) else { return }
            let u = m.pointT(m.xScale.transform(a.x), m.yScale.transform(a.y))
            let v = m.pointT(m.xScale.transform(b.x), m.yScale.transform(b.y))
            guard let (c0, c1) = ReferenceGeometry.chord(u, v, box: box) else { return }
            renderer.stroke(.polyline([c0, c1]), style: style)
            if let t = markup {
                let f = 0.72
                let p = Point(c0.x + (c1.x - c0.x) * f, c0.y + (c1.y - c0.y) * f)
                var ang = -atan2(c1.y - c0.y, c1.x - c0.x) * 180 / Double.pi
                if ang > 90 { ang -= 180 } else if ang < -90 { ang += 180 }
                let nrm = Point(sin(-ang * Double.pi / 180), -cos(-ang * Double.pi / 180))
                text(t, labelStyle, at: Point(p.x + nrm.x * 1.5, p.y + nrm.y * 1.5), TextAnchor(.center, .bottom), angle: ang, kind: .annotation, group: group)
            }
        }
    }

    private mutating func drawSlope(_ s: SlopeTriangle, _ st: ResolvedStyle, _ m: AxisMapping, group: String) {
        guard m.xScale.isValid(s.corner.x), m.yScale.isValid(s.corner.y) else { return }
        let tx = m.xScale.transform(s.corner.x), ty = m.yScale.transform(s.corner.y)
        let a = (tx, ty), b = (tx + s.run, ty + s.slope * s.run)
        // the right-angle vertex: under the hypotenuse or over it
        let c = (s.below == (s.slope < 0)) ? (a.0, b.1) : (b.0, a.1)
        let pa = m.pointT(a.0, a.1), pb = m.pointT(b.0, b.1), pc = m.pointT(c.0, c.1)
        let tri = Path.polyline([pa, pb, pc], closed: true)
        renderer.fill(tri, color: st.color.withAlpha(0.08))
        renderer.stroke(tri, style: StrokeStyle(color: st.color, width: theme.axisLineWidth))
        // label beside the horizontal leg, on the side away from the triangle
        let other = c.1 == a.1 ? pb : pa
        let legMid = Point((pc.x + (c.1 == a.1 ? pa.x : pb.x)) / 2, pc.y)
        var belowLeg = other.y < pc.y
        let markup = LabelMarkup.markup(from: s.resolvedLabel)
        let style = metrics.style(theme.legendSize, color: st.color)
        let e = TextMeasurer.measure(markup, style: style)
        func labelBox(_ below: Bool) -> Rect {
            TextGeometry.box(e, at: Point(legMid.x, legMid.y + (below ? 1.5 : -1.5)), anchor: TextAnchor(.center, below ? .top : .bottom), angle: 0)
        }
        // outside the triangle unless that leaves the axes; then inside, against the leg
        if !m.box.contains(labelBox(belowLeg), tolerance: -1) { belowLeg.toggle() }
        text(markup, style, at: Point(legMid.x, legMid.y + (belowLeg ? 1.5 : -1.5)),
             TextAnchor(.center, belowLeg ? .top : .bottom), kind: .annotation, group: group, halo: !belowLeg)
    }

    // MARK: colour bar and legend

    private mutating func drawColorBar(_ cb: ColorBarLayout, group: String) {
        let n = 256
        var bytes = [UInt8](repeating: 0, count: n * 4)
        for i in 0..<n {
            let c = Colormap.rgbaBytes(Colormap.viridis(1 - Double(i) / Double(n - 1)))
            for k in 0..<4 { bytes[i * 4 + k] = c[k] }
        }
        renderer.image(RasterImage(width: 1, height: n, rgba: bytes), in: cb.box)
        renderer.stroke(.rect(cb.box), style: axisStroke())
        items.append(LayoutItem(kind: .colorBar, rect: cb.box, group: group, text: nil))
        let span = cb.range.upperBound - cb.range.lowerBound
        var path = Path()
        var w = 0.0
        for t in cb.ticks.ticks {
            let y = cb.box.maxY - (t.value - cb.range.lowerBound) / span * cb.box.height
            path.move(to: Point(cb.box.maxX, y)); path.line(to: Point(cb.box.maxX - theme.minorTickLength, y))
            if let l = t.label {
                let r = text(l, metrics.tickStyle, at: Point(cb.box.maxX + metrics.tickPad, y), TextAnchor(.left, .middle), kind: .tickLabel, group: group + ".cb")
                w = max(w, r.width)
            }
        }
        renderer.stroke(path, style: axisStroke())
        if let l = cb.label {
            text(LabelMarkup.markup(from: l), metrics.labelStyle, at: Point(cb.box.maxX + metrics.tickPad + w + metrics.labelPad, cb.box.midY),
                 TextAnchor(.center, .top), angle: 90, kind: .colorBarLabel, group: group)
        }
    }

    private mutating func drawLegend(_ lg: LegendLayout, group: String) {
        let frame = Path.rect(lg.box)
        renderer.fill(frame, color: Color.white.withAlpha(0.9))
        renderer.stroke(frame, style: StrokeStyle(color: Color(red: 0.8, green: 0.8, blue: 0.8), width: 0.5))
        items.append(LayoutItem(kind: .legend, rect: lg.box, group: group, text: nil))
        for (entry, origin) in zip(lg.entries, lg.entryOrigins) {
            let cy = origin.y + lg.rowHeight / 2
            drawSample(entry.sample, from: origin.x, to: origin.x + metrics.legendSample, y: cy)
            renderer.text(entry.markup, style: metrics.legendStyle,
                at: Point(origin.x + metrics.legendSample + metrics.legendSampleGap, cy),
                          anchor: TextAnchor(.left, .middle), angle: 0)
        }
    }

    private func drawSample(_ sample: LegendSample, from x0: Double, to x1: Double, y cy: Double) {
        switch sample {
        case .line(let color, let style, let w, let marker, let band):
            if let band { renderer.fill(.rect(Rect(x: x0, y: cy - 3, width: x1 - x0, height: 6)), color: band) }
            if let style {
                renderer.stroke(.polyline([Point(x0, cy), Point(x1, cy)]), style: StrokeStyle(color: color, width: w,
                    dashes: style.dashes(lineWidth: w), roundCaps: style == .dotted))
            }
            if let marker { drawMarker(marker, at: Point((x0 + x1) / 2, cy), color: color, filled: true,
                size: theme.markerSize) }
        case .marker(let shape, let color, let filled, let size):
            drawMarker(shape, at: Point((x0 + x1) / 2, cy), color: color, filled: filled, size: size)
        case .band(let color):
            renderer.fill(.rect(Rect(x: x0, y: cy - 3, width: x1 - x0, height: 6)), color: color)
        case .bar(let color):
            renderer.fill(.rect(Rect(x: x0 + 3, y: cy - 3.5, width: x1 - x0 - 6, height: 7)), color: color)
        case .arrow(let color, let w):
            var tmp = Path(); tmp.move(to: Point(x0, cy)); tmp.line(to: Point(x1 - 3, cy))
            renderer.stroke(tmp, style: StrokeStyle(color: color, width: w))
            renderer.fill(.polyline([Point(x1, cy), Point(x1 - 4.5, cy - 1.8), Point(x1 - 3.5, cy), Point(x1 - 4.5,
                cy + 1.8)], closed: true), color: color)
        }
    }
}
