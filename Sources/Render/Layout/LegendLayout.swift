import Foundation

/// Legends: their entries (layers, then `Panel.legendKeys`), sizes, and where they go. An inside legend is put
/// where the panel's drawn data (`DataObstacles`) leaves room for it; if nowhere, it goes outside.
extension FigureLayout {
    // MARK: entries

    /// The panel's legend entries: labelled layers (reference lines are labelled inline, directly labelled
    /// lines at their ends), then the panel's extra keys.
    func legendEntries(_ i: Int) -> [LegendEntry] {
        let p = figure.panels[i]
        let direct = Set(directlyLabelledLines(i).map(\.layer))
        var entries: [LegendEntry] = p.layers.enumerated().compactMap { (k, layer) in
            guard case let label? = layer.label, !label.isEmpty, !direct.contains(k),
                  let sample = legendSample(panel: i, layer: k) else { return nil }
            return entry(label, sample)
        }
        for key in p.legendKeys where !key.label.isEmpty {
            entries.append(entry(key.label, .line(key.color, key.style, width: metrics.theme.lineWidth,
                marker: key.marker, band: nil)))
        }
        return entries
    }

    private func entry(_ label: String, _ sample: LegendSample) -> LegendEntry {
        let m = LabelMarkup.markup(from: label)
        return LegendEntry(sample: sample, markup: m, extent: TextMeasurer.measure(m, style: metrics.legendStyle))
    }

    /// What the entry of layer `k` shows; a line drawn over an unlabelled band of its colour shows the band too.
    private func legendSample(panel i: Int, layer k: Int) -> LegendSample? {
        let theme = metrics.theme
        let layers = figure.panels[i].layers
        let st = styles[i][k]
        switch layers[k] {
        case .line(let l):
            var band: Color?
            if k > 0, case .band(let b) = layers[k - 1], b.label == nil, styles[i][k - 1].color == st.color {
                band = st.color.withAlpha(b.opacity ?? theme.bandOpacity)
            }
            return .line(st.color, st.lineStyle, width: l.width ?? theme.lineWidth, marker: st.marker, band: band)
        case .scatter(let s):
            let size = st.marker == .star ? theme.markerSize * 1.25 : theme.markerSize
            return .marker(st.marker ?? .circle, st.color, filled: s.filled, size: size)
        case .band(let b): return .band(st.color.withAlpha(b.opacity ?? theme.bandOpacity))
        case .histogram(let h): return .bar(st.color.withAlpha(h.opacity))
        case .arrows(let a): return .arrow(st.color, width: a.width ?? theme.lineWidth * 0.75)
        case .heatmap, .reference, .slope, .text: return nil
        }
    }

    func hasLegend(_ i: Int) -> Bool {
        figure.legend == .perPanel && figure.panels[i].legend != .none && !legendEntries(i).isEmpty
    }

    /// Entries of the figure-wide legend: every label once, styled as where it first appears.
    func figureLegendEntries() -> [LegendEntry] {
        var seen = Set<String>()
        return figure.panels.indices.flatMap(legendEntries).filter { seen.insert($0.markup).inserted }
    }

    // MARK: sizes

    var legendRowHeight: Double { max(metrics.theme.legendSize * 1.25, metrics.theme.markerSize + 2) }

    func legendSize(_ entries: [LegendEntry], columns: Int) -> (width: Double, height: Double) {
        let rows = Int((Double(entries.count) / Double(max(1, columns))).rounded(.up))
        let colW = entryWidth(entries)
        let rowH = max(legendRowHeight, entries.map(\.extent.height).max() ?? 0)
        return (2 * metrics.legendPad + Double(columns) * colW + Double(columns - 1) * metrics.legendSampleGap * 2,
                2 * metrics.legendPad + Double(rows) * rowH)
    }
    private func entryWidth(_ entries: [LegendEntry]) -> Double {
        metrics.legendSample + metrics.legendSampleGap + (entries.map(\.extent.width).max() ?? 0)
    }
    func legendColumns(_ entries: [LegendEntry], width: Double) -> Int {
        var cols = entries.count
        while cols > 1 && legendSize(entries, columns: cols).width > width { cols -= 1 }
        return max(1, cols)
    }

    /// Entries laid out in rows of `columns`, starting at the top-left of `box`.
    private func legend(_ entries: [LegendEntry], in box: Rect, columns: Int,
        placement: LegendPlacement) -> LegendLayout {
        let rowH = max(legendRowHeight, entries.map(\.extent.height).max() ?? 0)
        let colW = entryWidth(entries) + metrics.legendSampleGap * 2
        let origins = entries.indices.map { k in
            Point(box.minX + metrics.legendPad + Double(k % columns) * colW,
                box.minY + metrics.legendPad + Double(k / columns) * rowH)
        }
        return LegendLayout(box: box, entries: entries, entryOrigins: origins, rowHeight: rowH, placement: placement)
    }

    /// The figure-wide legend below the grid, and the height it takes from the canvas.
    func figureLegendLayout() -> (LegendLayout, Double)? {
        guard figure.legend == .below else { return nil }
        let entries = figureLegendEntries()
        guard !entries.isEmpty else { return nil }
        let columns = legendColumns(entries, width: canvas.width - 2 * metrics.outerPad)
        let size = legendSize(entries, columns: columns)
        let box = Rect(x: canvas.midX - size.width / 2, y: canvas.maxY - metrics.outerPad - size.height,
            width: size.width, height: size.height)
        return (legend(entries, in: box, columns: columns, placement: .below), size.height + metrics.gapY)
    }

    // MARK: placement

    /// The placement the margins are computed for while the boxes converge: `.best` while a free spot exists
    /// inside, else outside; an explicit inside placement unless the legend is too big for the axes. With no
    /// room outside either (a tiny panel), `.best`: the legend then takes the inside spot covering least.
    func legendPlacement(_ i: Int, state s: GridState) -> LegendPlacement {
        let p = figure.panels[i]
        guard hasLegend(i) else { return .none }
        if p.legend == .below || p.legend == .outsideRight { return p.legend }
        let size = legendSize(legendEntries(i), columns: 1)
        let box = s.boxes[i]
        if size.height > box.height * 0.9 || size.width > box.width * 0.9 { return outsidePlacement(i,
            box: box) ?? .best }
        guard p.legend == .best else { return p.legend }
        let inside = insideSpot(size, in: provisionalPanel(i, mapping: mapping(i, s)))
        return inside.free ? .best : outsidePlacement(i, box: box) ?? .best
    }

    /// Outside where there is room: below when it takes at most a quarter of the axes' height (a wide figure keeps
    /// its width), else right of the axes when it takes at most 45 % of their width (not when the line ends carry
    /// labels), else below when it takes at most half their height; nil = no room outside.
    func outsidePlacement(_ i: Int, box: Rect) -> LegendPlacement? {
        let entries = legendEntries(i)
        let below = legendSize(entries, columns: legendColumns(entries, width: box.width))
        let belowHeight = below.height + 2 * metrics.labelPad
        if below.width <= box.width && belowHeight <= box.height * 0.25 { return .below }
        let column = legendSize(entries, columns: 1)
        if !figure.panels[i].directLabels && column.width + metrics.gapX <= box.width * 0.45 { return .outsideRight }
        return below.width <= box.width && belowHeight <= box.height * 0.5 ? .below : nil
    }

    /// The first inside spot (corners, then edge centres, matplotlib's order) whose box, grown by 1 pt, touches
    /// nothing the data pass draws; when every spot touches something, the one touching fewest marks.
    func insideSpot(_ size: (width: Double, height: Double), in pl: PanelLayout) -> (placement: LegendPlacement,
        free: Bool) {
        let obstacles = dataObstacles(pl)
        let candidates: [LegendPlacement] = [.upperRight, .upperLeft, .lowerLeft, .lowerRight, .centerRight,
            .centerLeft,
                                             .lowerCenter, .upperCenter]
        let covered = candidates.map { obstacles.touchCount(legendRect($0, size: size, panel: pl,
            xTickHeight: 0).outsetBy(1)) }
        let least = covered.indices.min { covered[$0] < covered[$1] } ?? 0
        return (candidates[least], covered[least] == 0)
    }

    /// What the panel's data pass draws, recorded by drawing it (the display list, not a model of it).
    func dataObstacles(_ pl: PanelLayout) -> DataObstacles {
        let recorder = ObstacleRecorder()
        var drawer = FigureDrawer(layout: self, renderer: recorder)
        drawer.drawData(pl)
        return recorder.obstacles
    }

    /// A panel with only its mapping and styles, enough to draw its data while the boxes converge.
    private func provisionalPanel(_ i: Int, mapping: AxisMapping) -> PanelLayout {
        let none = TickSet(ticks: [], multiplier: nil)
        return PanelLayout(index: i, row: 0, column: 0, cell: mapping.box, mapping: mapping, xTicks: none, yTicks: none,
                           showsXTickLabels: false, showsYTickLabels: false, styles: styles[i], colorBar: nil,
                               legend: nil)
    }

    func legendRect(_ placement: LegendPlacement, size: (width: Double, height: Double), panel pl: PanelLayout,
                    xTickHeight: Double) -> Rect {
        let box = pl.mapping.box, inset = metrics.legendMargin, w = size.width, h = size.height
        let left = box.minX + inset, right = box.maxX - inset - w, centreX = box.midX - w / 2
        let top = box.minY + inset, bottom = box.maxY - inset - h, centreY = box.midY - h / 2
        switch placement {
        case .upperRight: return Rect(x: right, y: top, width: w, height: h)
        case .upperLeft: return Rect(x: left, y: top, width: w, height: h)
        case .lowerLeft: return Rect(x: left, y: bottom, width: w, height: h)
        case .lowerRight: return Rect(x: right, y: bottom, width: w, height: h)
        case .upperCenter: return Rect(x: centreX, y: top, width: w, height: h)
        case .lowerCenter: return Rect(x: centreX, y: bottom, width: w, height: h)
        case .centerLeft: return Rect(x: left, y: centreY, width: w, height: h)
        case .centerRight: return Rect(x: right, y: centreY, width: w, height: h)
        case .outsideRight: return Rect(x: box.maxX + metrics.gapX, y: box.minY, width: w, height: h)
        case .below:
            var y = box.maxY + metrics.tickPad + xTickHeight + metrics.labelPad
            if let xl = xLabel(pl.index) {
                y += metrics.labelPad + TextMeasurer.measure(LabelMarkup.markup(from: xl),
                    style: metrics.labelStyle).height
            }
            if let mult = pl.xTicks.multiplier, pl.showsXTickLabels {
                y += 1 + TextMeasurer.measure(mult, style: metrics.tickStyle).height
            }
            return Rect(x: centreX, y: y, width: w, height: h)
        case .best, .none: return Rect(x: 0, y: 0, width: 0, height: 0)
        }
    }

    /// The panel's legend in its final place; nil when it has none, or when `.best` finds no free spot in the
    /// final boxes while there is room outside (the layout then moves it there and lays out again).
    func legendLayout(_ pl: PanelLayout, xTickHeight: Double) -> LegendLayout? {
        guard hasLegend(pl.index) else { return nil }
        let entries = legendEntries(pl.index)
        var placement = legendPlacements.indices.contains(pl.index)
            ? legendPlacements[pl.index] : figure.panels[pl.index].legend
        let columns = placement == .below ? legendColumns(entries, width: pl.mapping.box.width) : 1
        let size = legendSize(entries, columns: columns)
        if placement == .best {
            let inside = insideSpot(size, in: pl)
            guard inside.free || outsidePlacement(pl.index, box: pl.mapping.box) == nil else { return nil }
            placement = inside.placement
        }
        return legend(entries, in: legendRect(placement, size: size, panel: pl, xTickHeight: xTickHeight),
                      columns: columns, placement: placement)
    }
}
