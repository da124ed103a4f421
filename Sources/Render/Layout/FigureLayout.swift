import Foundation

/// Colour, dash and marker a layer is drawn with after the theme's cycles are applied.
struct ResolvedStyle: Hashable {
    var color: Color
    var lineStyle: LineStyle
    var marker: MarkerShape?
}

/// What a legend entry shows left of its text.
enum LegendSample: Hashable {
    /// A line sample (nil style: marker only), optionally over the band drawn with it.
    case line(Color, LineStyle?, width: Double, marker: MarkerShape?, band: Color?)
    case marker(MarkerShape, Color, filled: Bool, size: Double)
    case band(Color)
    case bar(Color)
    case arrow(Color, width: Double)
}

struct LegendEntry {
    var sample: LegendSample
    var markup: String
    var extent: TextExtent
}

/// A line's name at its right end (`Panel.directLabels`): `origin` is the left-middle of the text.
struct DirectLabel: Hashable {
    var markup: String
    var color: Color
    var origin: Point
}

struct LegendLayout {
    var box: Rect
    var entries: [LegendEntry]
    var entryOrigins: [Point]     // top-left of each entry row
    var rowHeight: Double
    var placement: LegendPlacement
}

struct ColorBarLayout {
    var box: Rect
    var range: ClosedRange<Double>
    var ticks: TickSet
    var label: String?
}

struct PanelLayout {
    var index: Int
    var row: Int, column: Int
    var cell: Rect
    var mapping: AxisMapping
    var xTicks: TickSet
    var yTicks: TickSet
    var showsXTickLabels: Bool
    var showsYTickLabels: Bool
    var styles: [ResolvedStyle]
    var colorBar: ColorBarLayout?
    var legend: LegendLayout?
    var directLabels: [DirectLabel] = []
    /// Baseline of the title / panel-label row, shared by all panels of a grid row.
    var titleBaseline: Double = 0
}

/// Sizes that are not in the theme because they follow from it.
struct Metrics {
    let theme: Theme
    var tickPad: Double { theme.tickLabelSize * 0.45 }
    var labelPad: Double { theme.axisLabelSize * 0.4 }
    var titlePad: Double { theme.titleSize * 0.45 }
    var outerPad: Double { 2 }
    var colorBarGap: Double { theme.baseSize * 0.8 }
    var colorBarWidth: Double { theme.baseSize * 0.9 }
    var legendPad: Double { theme.legendSize * 0.45 }
    var legendSample: Double { theme.legendSize * 2.4 }
    var legendSampleGap: Double { theme.legendSize * 0.6 }
    var legendMargin: Double { theme.legendSize * 0.5 }   // distance from the spines
    var gapX: Double { theme.baseSize * 1.0 }
    var gapY: Double { theme.baseSize * 0.8 }

    func style(_ size: Double, bold: Bool = false, color: Color? = nil) -> TextStyle {
        TextStyle(family: theme.fontFamily, size: size, color: color ?? theme.textColor, bold: bold)
    }
    var tickStyle: TextStyle { style(theme.tickLabelSize) }
    var labelStyle: TextStyle { style(theme.axisLabelSize) }
    var titleStyle: TextStyle { style(theme.titleSize) }
    var legendStyle: TextStyle { style(theme.legendSize) }
    var panelLabelStyle: TextStyle { style(theme.panelLabelSize, bold: true) }
}

/// Where everything goes: computed from measured text extents so nothing is clipped and nothing overlaps.
/// Ticks, margins and boxes depend on each other, so they are iterated (`GridState`); legends are then placed
/// off the drawn data, and a legend that finds no free spot inside moves outside, which changes the boxes once more.
struct FigureLayout {
    let figure: Figure
    let canvas: Rect
    let metrics: Metrics
    var panels: [PanelLayout] = []
    /// Colour, dash and marker of every layer of every panel, after the theme's cycles.
    var styles: [[ResolvedStyle]] = []
    /// Where each legend goes: `.best` = inside, at the first free spot of the final boxes; otherwise the
    /// requested placement, or outside (right or below) when no inside spot is free or the legend is too big.
    var legendPlacements: [LegendPlacement] = []
    /// The figure-wide legend (when `Figure.legend == .below`) and the height reserved for it.
    var figureLegend: (LegendLayout, Double)?

    init(_ figure: Figure) {
        self.figure = figure
        canvas = Rect(x: 0, y: 0, width: figure.size.widthPoints, height: figure.size.heightPoints)
        metrics = Metrics(theme: figure.theme)
        compute()
    }

    struct Margins { var left = 0.0, right = 0.0, top = 0.0, bottom = 0.0 }

    /// Limits, ticks and boxes of every panel while the layout converges.
    struct GridState {
        var xLim: [(Double, Double)], yLim: [(Double, Double)]
        /// Limits before equal-aspect widening.
        var dataX: [(Double, Double)], dataY: [(Double, Double)]
        var positions: [(Int, Int)]
        var showX: [Bool], showY: [Bool]
        var xTicks: [TickSet] = [], yTicks: [TickSet] = []
        var boxes: [Rect]
        var cells: [Rect] = []
        var colorBarBoxes: [Rect?] = []
    }

    private mutating func compute() {
        guard !figure.panels.isEmpty else { return }
        styles = figure.panels.map { resolveStyles($0, theme: figure.theme) }
        figureLegend = figureLegendLayout()
        var state = initialState()
        for iteration in 0..<4 { iterate(&state, iteration: iteration) }
        panels = finalPanels(state)
        // Inside legends that found no free spot in the final boxes go outside; that moves the boxes, so redo
        // the grid (ticks stay frozen). Each round only moves legends outside, so it ends.
        for _ in figure.panels.indices {
            let crowded = panels.filter {
                $0.legend == nil && legendPlacements[$0.index] == .best && hasLegend($0.index)
            }
            guard !crowded.isEmpty else { break }
            for pl in crowded { legendPlacements[pl.index] = outsidePlacement(pl.index, box: pl.mapping.box) ?? .best }
            // twice: the second pass measures the outside legend (its columns) against the boxes it made
            for _ in 0..<2 { arrange(&state); applyEqualAspect(&state) }
            panels = finalPanels(state)
        }
        alignTitleBaselines()
    }

    /// Data limits (shared across the grid when asked) and which panels label their ticks.
    private func initialState() -> GridState {
        let fig = figure, n = fig.panels.count
        var xLim: [(Double, Double)] = [], yLim: [(Double, Double)] = []
        for p in fig.panels {
            let e = DataExtent(panel: p)
            xLim.append(DataExtent.limits(values: e.xs, axis: p.x, sticky: false, tight: e.tight))
            yLim.append(DataExtent.limits(values: e.ys, axis: p.y, sticky: e.stickyYZero, tight: e.tight))
        }
        if fig.sharesX { let u = union(xLim, scales: fig.panels.map(\.x.scale)); xLim = xLim.indices.map { u[$0] } }
        if fig.sharesY { let u = union(yLim, scales: fig.panels.map(\.y.scale)); yLim = yLim.indices.map { u[$0] } }
        let positions: [(Int, Int)] = (0..<n).map { ($0 / fig.columns, $0 % fig.columns) }
        let showX: [Bool] = (0..<n).map { i in
            if fig.panels[i].x.hidesTickLabels { return false }
            return !fig.sharesX || i + fig.columns >= n     // shared: only where no panel is below
        }
        let showY: [Bool] = (0..<n).map { i in
            if fig.panels[i].y.hidesTickLabels { return false }
            return !fig.sharesY || positions[i].1 == 0
        }
        let guess = Rect(x: 0, y: 0, width: canvas.width * 0.6 / Double(fig.columns),
                         height: canvas.height * 0.6 / Double(fig.rows))
        return GridState(xLim: xLim, yLim: yLim, dataX: xLim, dataY: yLim, positions: positions, showX: showX,
                         showY: showY, boxes: Array(repeating: guess, count: n))
    }

    /// One round: ticks from the box sizes → legend placements → margins from the measured ticks → boxes.
    /// The third round freezes the ticks for its (almost final) boxes; the fourth computes margins from exactly these.
    private mutating func iterate(_ s: inout GridState, iteration: Int) {
        applyEqualAspect(&s)
        if iteration < 3 { makeAllTicks(&s) }
        legendPlacements = figure.panels.indices.map { legendPlacement($0, state: s) }
        arrange(&s)
        if iteration == 2 {
            applyEqualAspect(&s)
            makeAllTicks(&s)
        }
    }

    /// Equal-aspect panels (not heatmaps, which shrink their box instead) widen their limits to the box.
    private func applyEqualAspect(_ s: inout GridState) {
        for i in figure.panels.indices where figure.panels[i].equalAspect && figure.panels[i].heatmap == nil {
            (s.xLim[i], s.yLim[i]) = equalAspectLimits(s.dataX[i], s.dataY[i], box: s.boxes[i])
        }
    }

    private func makeAllTicks(_ s: inout GridState) {
        let ps = figure.panels
        s.xTicks = ps.indices.map { i in
            makeTicks(ps[i].x.scale, s.xLim[i], length: s.boxes[i].width, horizontal: true, showLabels: s.showX[i],
                      integers: ps[i].heatmap != nil)
        }
        s.yTicks = ps.indices.map { i in
            makeTicks(ps[i].y.scale, s.yLim[i], length: s.boxes[i].height, horizontal: false, showLabels: s.showY[i],
                      integers: ps[i].heatmap != nil)
        }
    }

    /// Margins from the current ticks and legend placements, then the grid of boxes and cells.
    private func arrange(_ s: inout GridState) {
        let margins = figure.panels.indices.map { i in
            measureMargins(i, xTicks: s.showX[i] ? s.xTicks[i] : nil, yTicks: s.showY[i] ? s.yTicks[i] : nil,
                           box: s.boxes[i], xLim: s.xLim[i], yLim: s.yLim[i])
        }
        (s.boxes, s.cells) = grid(margins: margins, positions: s.positions)
        fitHeatmaps(&s)
    }

    /// Heatmaps get square cells (the box shrinks, centred) and their colour bar beside the box.
    private func fitHeatmaps(_ s: inout GridState) {
        s.colorBarBoxes = Array(repeating: nil, count: figure.panels.count)
        for i in figure.panels.indices {
            guard let h = figure.panels[i].heatmap, h.rows > 0, h.columns > 0 else { continue }
            let b = s.boxes[i]
            let cell = min(b.width / Double(h.columns), b.height / Double(h.rows))
            let w = cell * Double(h.columns), hh = cell * Double(h.rows)
            s.boxes[i] = Rect(x: b.minX + (b.width - w) / 2, y: b.minY + (b.height - hh) / 2, width: w, height: hh)
            if h.colorBar {
                s.colorBarBoxes[i] = Rect(x: s.boxes[i].maxX + metrics.colorBarGap, y: s.boxes[i].minY,
                                          width: metrics.colorBarWidth, height: s.boxes[i].height)
            }
        }
    }

    func mapping(_ i: Int, _ s: GridState) -> AxisMapping {
        let p = figure.panels[i]
        return AxisMapping(box: s.boxes[i], xScale: p.x.scale, yScale: p.y.scale, x0: s.xLim[i].0, x1: s.xLim[i].1,
                           y0: s.yLim[i].0, y1: s.yLim[i].1, yReversed: p.heatmap != nil)
    }

    /// The panels as drawn: final mapping, tick labels thinned to the final box, colour bar, legend, direct labels.
    private func finalPanels(_ s: GridState) -> [PanelLayout] {
        figure.panels.indices.map { i in
            let p = figure.panels[i]
            let mapping = mapping(i, s)
            var colorBar: ColorBarLayout?
            if let h = p.heatmap, let b = s.colorBarBoxes[i] {
                let r = h.valueRange
                colorBar = ColorBarLayout(box: b, range: r, ticks: makeTicks(.linear, (r.lowerBound, r.upperBound),
                    length: b.height,
                                                                              horizontal: false, showLabels: true),
                                          label: h.colorBarLabel)
            }
            let xt = dropCollidingLabels(s.xTicks[i], scale: p.x.scale, lim: s.xLim[i], length: s.boxes[i].width,
                horizontal: true)
            let yt = dropCollidingLabels(s.yTicks[i], scale: p.y.scale, lim: s.yLim[i], length: s.boxes[i].height,
                horizontal: false)
            var pl = PanelLayout(index: i, row: s.positions[i].0, column: s.positions[i].1, cell: s.cells[i],
                mapping: mapping,
                                 xTicks: xt, yTicks: yt, showsXTickLabels: s.showX[i], showsYTickLabels: s.showY[i],
                                 styles: styles[i], colorBar: colorBar, legend: nil)
            pl.directLabels = directLabels(pl)
            pl.legend = legendLayout(pl, xTickHeight: tickLabelHeight(xt, show: s.showX[i]))
            pl.titleBaseline = ownTitleBaseline(pl)
            return pl
        }
    }

    /// Panels of one grid row share the lowest title baseline.
    private mutating func alignTitleBaselines() {
        for r in 0..<figure.rows {
            let row = panels.indices.filter { panels[$0].row == r }
            guard let b = row.map({ panels[$0].titleBaseline }).min() else { continue }
            for k in row { panels[k].titleBaseline = b }
        }
    }

    /// How far the topmost y tick label sticks out above the axes box.
    private func yTickOverhang(_ yt: TickSet, panel p: Panel, yLim: (Double, Double), boxHeight: Double) -> Double {
        var top = 0.0
        for tick in yt.ticks where tick.label != nil {
            let u = (p.y.scale.transform(tick.value) - yLim.0) / (yLim.1 - yLim.0) * boxHeight
            let h = TextMeasurer.measure(tick.label!, style: metrics.tickStyle).height / 2
            top = max(top, p.heatmap != nil ? h - u : u + h - boxHeight)
        }
        return top
    }

    /// Space between the axes box and the bottom of the title row: the title pad, but never less than the
    /// topmost y tick label's overhang; plus the y multiplier (×10ⁿ) when there is one.
    private func aboveAxes(yTicks: TickSet?, overhang: Double) -> Double {
        var above = max(metrics.titlePad, overhang + 1)
        if let mult = yTicks?.multiplier { above += TextMeasurer.measure(mult, style: metrics.tickStyle).height + 2 }
        return above
    }

    /// Title baseline of one panel: above the y multiplier (if any) and above the deepest descender of the row.
    private func ownTitleBaseline(_ pl: PanelLayout) -> Double {
        let panel = figure.panels[pl.index]
        let yt: TickSet? = pl.showsYTickLabels ? pl.yTicks : nil
        let overhang = yt.map { yTickOverhang($0, panel: panel, yLim: (pl.mapping.y0, pl.mapping.y1), boxHeight: pl.mapping.box.height) } ?? 0
        let baseline = pl.mapping.box.minY - aboveAxes(yTicks: yt, overhang: overhang)
        var descent = 0.0
        if let t = panel.title { let e = TextMeasurer.measure(LabelMarkup.markup(from: t), style: metrics.titleStyle); descent = max(descent, e.height - e.baseline) }
        if figure.labelsPanels { let e = TextMeasurer.measure(panelLabelText(pl.index), style: metrics.panelLabelStyle); descent = max(descent, e.height - e.baseline) }
        return baseline - descent
    }

    // MARK: styles

    private func resolveStyles(_ p: Panel, theme: Theme) -> [ResolvedStyle] {
        var series = 0, scatterIndex = 0
        return p.layers.map { layer in
            switch layer {
            case .line(let l):
                defer { series += 1 }
                return ResolvedStyle(color: l.color ?? theme.color(forSeries: series), lineStyle: l.style ?? theme.lineStyle(forSeries: series), marker: l.marker)
            case .scatter(let s):
                defer { series += 1; scatterIndex += 1 }
                return ResolvedStyle(color: s.color ?? theme.color(forSeries: series), lineStyle: .solid, marker: s.marker ?? theme.marker(forSeries: scatterIndex))
            case .histogram(let h):
                defer { series += 1 }
                return ResolvedStyle(color: h.color ?? theme.color(forSeries: series), lineStyle: .solid, marker: nil)
            case .arrows(let a):
                defer { series += 1 }
                return ResolvedStyle(color: a.color ?? theme.color(forSeries: series), lineStyle: .solid, marker: nil)
            case .band(let b):   // a band takes the colour of the series drawn next (mean ± spread, then the mean)
                return ResolvedStyle(color: b.color ?? theme.color(forSeries: series), lineStyle: .solid, marker: nil)
            case .reference(let r):
                return ResolvedStyle(color: r.color ?? Color.gray, lineStyle: r.style, marker: nil)
            case .slope(let s):
                return ResolvedStyle(color: s.color ?? theme.axisColor, lineStyle: .solid, marker: nil)
            case .text(let t):
                return ResolvedStyle(color: t.color ?? theme.textColor, lineStyle: .solid, marker: nil)
            case .heatmap:
                return ResolvedStyle(color: theme.textColor, lineStyle: .solid, marker: nil)
            }
        }
    }

    // MARK: limits

    private func union(_ lims: [(Double, Double)], scales: [AxisScale]) -> [(Double, Double)] {
        // panels on different scales cannot share; group by scale
        var byScale: [AxisScale: (Double, Double)] = [:]
        for (l, s) in zip(lims, scales) {
            if let u = byScale[s] { byScale[s] = (min(u.0, l.0), max(u.1, l.1)) } else { byScale[s] = l }
        }
        return scales.map { byScale[$0] ?? (0, 1) }
    }

    private func equalAspectLimits(_ x: (Double, Double), _ y: (Double, Double), box: Rect) -> ((Double, Double), (Double, Double)) {
        guard box.width > 1, box.height > 1 else { return (x, y) }
        let sx = box.width / (x.1 - x.0), sy = box.height / (y.1 - y.0)
        if sx > sy {
            let w = box.width / sy, c = (x.0 + x.1) / 2
            return ((c - w / 2, c + w / 2), y)
        } else {
            let h = box.height / sx, c = (y.0 + y.1) / 2
            return (x, (c - h / 2, c + h / 2))
        }
    }

    // MARK: ticks

    /// Ticks for one axis, thinned until measured labels do not collide.
    func makeTicks(_ scale: AxisScale, _ lim: (Double, Double), length: Double, horizontal: Bool, showLabels: Bool, integers: Bool = false) -> TickSet {
        if integers && scale == .linear {
            // matrix indices: only whole numbers, step 1, 2, 5, 10, … until the labels fit
            let lo = Int(ceil(lim.0)), hi = Int(floor(lim.1))
            guard hi >= lo else { return TickSet(ticks: [], multiplier: nil) }
            var best = TickSet(ticks: [], multiplier: nil)
            for step in [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000] {
                let values = Swift.stride(from: 0, through: hi, by: step).filter { $0 >= lo }.map(Double.init)
                best = TickSet(ticks: values.map { Tick(value: $0, isMajor: true, label: NumberFormatting.plain($0)) }, multiplier: nil)
                let maxCount = Int(length / (horizontal ? metrics.theme.tickLabelSize * 2.5 : metrics.theme.tickLabelSize * 1.8)) + 1
                if values.count <= max(2, min(maxCount, 8)) && (!showLabels || fits(best, scale: scale, lim: lim, length: length, horizontal: horizontal)) { return best }
            }
            return best
        }
        let lo = scale.inverse(lim.0), hi = scale.inverse(lim.1)
        let size = metrics.theme.tickLabelSize
        switch scale {
        case .linear:
            let start = Int((length / (horizontal ? size * 5.5 : size * 3.2)).rounded()).clamped(2, 9)
            var best: TickSet?
            for m in stride(from: start, through: 2, by: -1) {
                let t = TickLocator.linear(lower: lo, upper: hi, targetCount: m)
                if best == nil { best = t }
                if !showLabels || fits(t, scale: scale, lim: lim, length: length, horizontal: horizontal) { return t }
                best = t
            }
            return best ?? TickSet(ticks: [], multiplier: nil)
        case .log10:
            let start = Int((length / (horizontal ? size * 3.2 : size * 2.2)).rounded()).clamped(1, 12)
            var last = TickSet(ticks: [], multiplier: nil)
            for m in stride(from: start, through: 1, by: -1) {
                last = TickLocator.log10(lower: lo, upper: hi, maxLabels: m)
                if !showLabels || fits(last, scale: scale, lim: lim, length: length, horizontal: horizontal) { return last }
            }
            return last
        }
    }

    private func fits(_ t: TickSet, scale: AxisScale, lim: (Double, Double), length: Double, horizontal: Bool) -> Bool {
        var spans: [(Double, Double)] = []
        for tick in t.ticks {
            guard let label = tick.label, scale.isValid(tick.value) else { continue }
            let pos = (scale.transform(tick.value) - lim.0) / (lim.1 - lim.0) * length
            let e = TextMeasurer.measure(label, style: metrics.tickStyle)
            let half = (horizontal ? e.width : e.height) / 2
            spans.append((pos - half, pos + half))
        }
        spans.sort { $0.0 < $1.0 }
        let gap = horizontal ? metrics.theme.tickLabelSize * 0.6 : metrics.theme.tickLabelSize * 0.15
        for k in spans.indices.dropFirst() where spans[k].0 < spans[k - 1].1 + gap { return false }
        return true
    }

    /// Drops the labels of ticks outside the limits, then — most important first (log: powers of ten, then 5×,
    /// 2×, 3×, …; linear: in order) — every label that would come closer to a kept one than `fits` allows, or on
    /// a log axis closer than its own width (0.07 0.08 0.09 read as a smear). The ticks stay as marks. Run on the
    /// final boxes, so labels never collide even when a box shrank late.
    func dropCollidingLabels(_ t: TickSet, scale: AxisScale, lim: (Double, Double), length: Double,
        horizontal: Bool) -> TickSet {
        let gap = horizontal ? metrics.theme.tickLabelSize * 0.6 : metrics.theme.tickLabelSize * 0.15
        func priority(_ v: Double) -> Int {
            guard scale == .log10, v > 0 else { return 0 }
            let mantissa = Int((v / TickLocator.decade(Int(floor(Foundation.log10(v) + 1e-9)))).rounded())
            return [1: 0, 5: 1, 2: 2, 3: 3, 4: 4, 6: 5, 8: 6, 7: 7, 9: 8][mantissa] ?? 9
        }
        var out = t, kept: [(Double, Double)] = []
        let order = t.ticks.indices.filter { t.ticks[$0].label != nil }.sorted {
            (priority(t.ticks[$0].value), $0) < (priority(t.ticks[$1].value), $1)
        }
        for k in order {
            guard let label = t.ticks[k].label,
                scale.isValid(t.ticks[k].value) else { out.ticks[k].label = nil; continue }
            let pos = (scale.transform(t.ticks[k].value) - lim.0) / (lim.1 - lim.0) * length
            let e = TextMeasurer.measure(label, style: metrics.tickStyle)
            let half = (horizontal ? e.width : e.height) / 2
            let gap = horizontal && scale == .log10 ? max(gap, e.width) : gap
            let collides = kept.contains { pos - half < $0.1 + gap && $0.0 < pos + half + gap }
            if collides || pos < -0.5 || pos > length + 0.5 {
                out.ticks[k].label = nil
            } else {
                kept.append((pos - half, pos + half))
            }
        }
        return out
    }

    func tickLabelHeight(_ t: TickSet, show: Bool) -> Double {
        guard show else { return 0 }
        return t.labels.map { TextMeasurer.measure($0, style: metrics.tickStyle).height }.max() ?? 0
    }
    func tickLabelWidth(_ t: TickSet) -> Double {
        t.labels.map { TextMeasurer.measure($0, style: metrics.tickStyle).width }.max() ?? 0
    }

    // MARK: margins and grid

    private func measureMargins(_ i: Int, xTicks: TickSet?, yTicks: TickSet?, box: Rect, xLim: (Double, Double),
        yLim: (Double, Double)) -> Margins {
        let p = figure.panels[i]
        var m = Margins()
        let ts = metrics.tickStyle
        let out = p.heatmap != nil ? metrics.theme.majorTickLength : 0   // heatmap ticks point outwards
        // left: y tick labels + y label
        if let yt = yTicks, !yt.labels.isEmpty { m.left += out + metrics.tickPad + tickLabelWidth(yt) }
        if let yl = yLabel(i) {
            m.left += metrics.labelPad + TextMeasurer.measure(LabelMarkup.markup(from: yl), style: metrics.labelStyle).height
        }
        // bottom: x tick labels + multiplier + x label
        if let xt = xTicks, !xt.labels.isEmpty {
            m.bottom += out + metrics.tickPad + tickLabelHeight(xt, show: true)
            if let mult = xt.multiplier { m.bottom += 1 + TextMeasurer.measure(mult, style: ts).height }
            // overhang of the outermost labels beyond the box ends
            for tick in xt.ticks where tick.label != nil {
                let u = (p.x.scale.transform(tick.value) - xLim.0) / (xLim.1 - xLim.0) * box.width
                let w = TextMeasurer.measure(tick.label!, style: ts).width / 2
                m.left = max(m.left, w - u)
                m.right = max(m.right, u + w - box.width)
            }
        }
        if let xl = xLabel(i) {
            m.bottom += metrics.labelPad + TextMeasurer.measure(LabelMarkup.markup(from: xl), style: metrics.labelStyle).height
        }
        // top: half of the topmost y tick label, y multiplier, title / panel label row
        let overhang = yTicks.map { yTickOverhang($0, panel: p, yLim: yLim, boxHeight: box.height) } ?? 0
        if let yt = yTicks {
            for tick in yt.ticks where tick.label != nil {
                let u = (p.y.scale.transform(tick.value) - yLim.0) / (yLim.1 - yLim.0) * box.height
                let h = TextMeasurer.measure(tick.label!, style: ts).height / 2
                m.bottom = max(m.bottom, (p.heatmap != nil ? u + h - box.height : h - u))
            }
        }
        var titleRow = 0.0
        if let t = p.title { titleRow = TextMeasurer.measure(LabelMarkup.markup(from: t), style: metrics.titleStyle).height }
        if figure.labelsPanels { titleRow = max(titleRow, TextMeasurer.measure(panelLabelText(i), style: metrics.panelLabelStyle).height) }
        let above = aboveAxes(yTicks: yTicks, overhang: overhang)
        m.top = titleRow > 0 ? titleRow + above : max(overhang, above - metrics.titlePad)
        // right: colour bar, outside legend
        if let h = p.heatmap, h.colorBar {
            let r = h.valueRange
            let cbTicks = makeTicks(.linear, (r.lowerBound, r.upperBound), length: box.height, horizontal: false, showLabels: true)
            var w = metrics.colorBarGap + metrics.colorBarWidth + metrics.tickPad + tickLabelWidth(cbTicks)
            if let l = h.colorBarLabel { w += metrics.labelPad + TextMeasurer.measure(LabelMarkup.markup(from: l), style: metrics.labelStyle).height }
            m.right = max(m.right, w)
        }
        m.right = max(m.right, directLabelMargin(i))
        let entries = legendEntries(i)
        if !entries.isEmpty {
            switch legendPlacements[i] {
            case .outsideRight:
                m.right = max(m.right, metrics.gapX + legendSize(entries, columns: 1).width)
            case .below:
                let cols = legendColumns(entries, width: box.width)
                m.bottom += metrics.labelPad * 2 + legendSize(entries, columns: cols).height
            default: break
            }
        }
        return m
    }

    private func grid(margins: [Margins], positions: [(Int, Int)]) -> ([Rect], [Rect]) {
        let rows = figure.rows, cols = figure.columns
        var colLeft = [Double](repeating: 0, count: cols), colRight = colLeft
        var rowTop = [Double](repeating: 0, count: rows), rowBottom = rowTop
        for (m, (r, c)) in zip(margins, positions) {
            colLeft[c] = max(colLeft[c], m.left); colRight[c] = max(colRight[c], m.right)
            rowTop[r] = max(rowTop[r], m.top); rowBottom[r] = max(rowBottom[r], m.bottom)
        }
        let pad = metrics.outerPad
        let reserved = figureLegend?.1 ?? 0
        let axesW = max(10, (canvas.width - 2 * pad - colLeft.reduce(0, +) - colRight.reduce(0, +) - metrics.gapX * Double(cols - 1)) / Double(cols))
        let axesH = max(10, (canvas.height - 2 * pad - reserved - rowTop.reduce(0, +) - rowBottom.reduce(0, +) - metrics.gapY * Double(rows - 1)) / Double(rows))
        var boxes: [Rect] = [], cells: [Rect] = []
        for (r, c) in positions {
            var x = pad
            for k in 0..<c { x += colLeft[k] + axesW + colRight[k] + metrics.gapX }
            var y = pad
            for k in 0..<r { y += rowTop[k] + axesH + rowBottom[k] + metrics.gapY }
            cells.append(Rect(x: x, y: y, width: colLeft[c] + axesW + colRight[c], height: rowTop[r] + axesH + rowBottom[r]))
            boxes.append(Rect(x: x + colLeft[c], y: y + rowTop[r], width: axesW, height: axesH))
        }
        return (boxes, cells)
    }

    /// Axis labels of inner panels of a shared grid are dropped (matplotlib's `label_outer`): one label per row/column.
    func xLabel(_ i: Int) -> String? {
        figure.sharesX && i + figure.columns < figure.panels.count ? nil : figure.panels[i].x.label
    }
    func yLabel(_ i: Int) -> String? {
        figure.sharesY && i % figure.columns > 0 ? nil : figure.panels[i].y.label
    }

    func panelLabelText(_ i: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let name = i < letters.count ? String(letters[i]) : "\(i + 1)"
        return "(\(name))"
    }


    // MARK: reference labels

    /// How much of the data a reference line's label would hide: points inside plus segments crossing it.
    func clutter(in r: Rect, panel pl: PanelLayout) -> Int {
        var count = 0
        let p = figure.panels[pl.index]
        let m = pl.mapping
        func polyline(_ xs: [Double], _ ys: [Double]) {
            let n = min(xs.count, ys.count)
            let step = max(1, n / 400)
            var prev: Point?
            for i in Swift.stride(from: 0, to: n, by: step) {
                guard let q = m.point(xs[i], ys[i]) else { prev = nil; continue }
                if r.contains(q) { count += 1 }
                if let a = prev, r.intersectsSegment(a, q) { count += 1 }
                prev = q
            }
        }
        for layer in p.layers {
            switch layer {
            case .line(let l): polyline(l.x, l.y)
            case .scatter(let s): for (x, y) in zip(s.x, s.y) { if let q = m.point(x, y), r.outsetBy(2).contains(q) { count += 2 } }
            case .band(let b): polyline(b.x, b.lower); polyline(b.x, b.upper)
            case .arrows(let a):
                for (s, e) in zip(a.start, a.end) {
                    if let u = m.point(s.x, s.y), let v = m.point(e.x, e.y), r.intersectsSegment(u, v) { count += 2 }
                }
            case .histogram(let h):
                for (k, c) in h.counts.enumerated() where k + 1 < h.edges.count {
                    guard let x0 = m.px(h.edges[k]), let x1 = m.px(h.edges[k + 1]), let y = m.py(c), let yb = m.py(max(0, m.yLimits.lowerBound)) else { continue }
                    if Rect(x: min(x0, x1), y: min(y, yb), width: abs(x1 - x0), height: abs(yb - y)).overlaps(r) { count += 3 }
                }
            case .text(let t): if let q = m.point(t.position.x, t.position.y), r.outsetBy(10).contains(q) { count += 5 }
            case .slope(let s): if let q = m.point(s.corner.x, s.corner.y), r.outsetBy(20).contains(q) { count += 5 }
            case .reference(let ref):
                if case .horizontal(let yv) = ref.kind, let y = m.py(yv), r.intersectsSegment(Point(m.box.minX, y), Point(m.box.maxX, y)) { count += 3 }
                if case .vertical(let xv) = ref.kind, let x = m.px(xv), r.intersectsSegment(Point(x, m.box.minY), Point(x, m.box.maxY)) { count += 3 }
                if case .through(let a, let b) = ref.kind, let u = m.point(a.x, a.y), let v = m.point(b.x, b.y) {
                    // the line extends across the panel: test the visible chord
                    let ext = ReferenceGeometry.chord(u, v, box: m.box)
                    if let (c0, c1) = ext, r.intersectsSegment(c0, c1) { count += 1 }
                }
            case .heatmap: count += 1000
            }
        }
        return count
    }
}


enum ReferenceGeometry {
    /// The part of the infinite line through u, v that lies in `box`.
    static func chord(_ u: Point, _ v: Point, box: Rect) -> (Point, Point)? {
        let dx = v.x - u.x, dy = v.y - u.y
        guard abs(dx) > 1e-9 || abs(dy) > 1e-9 else { return nil }
        var ts: [Double] = []
        if abs(dx) > 1e-9 { ts += [(box.minX - u.x) / dx, (box.maxX - u.x) / dx] }
        if abs(dy) > 1e-9 { ts += [(box.minY - u.y) / dy, (box.maxY - u.y) / dy] }
        let pts = ts.map { Point(u.x + $0 * dx, u.y + $0 * dy) }.filter { box.outsetBy(0.01).contains($0) }
        guard pts.count >= 2 else { return nil }
        let sorted = pts.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        return (sorted.first!, sorted.last!)
    }
}

extension Int {
    func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}
