import Foundation

/// Direct labels (`Panel.directLabels`): each labelled line named at its right end, just outside the axes, in
/// its colour; labels that would overlap are pushed apart vertically, keeping their order.
extension FigureLayout {
    /// The lines a panel labels at their ends: layer index, markup and last drawable point (data units).
    func directlyLabelledLines(_ i: Int) -> [(layer: Int, markup: String, end: Point)] {
        let p = figure.panels[i]
        guard p.directLabels else { return [] }
        return p.layers.enumerated().compactMap { (k, layer) in
            guard case .line(let l) = layer, let label = l.label, !label.isEmpty else { return nil }
            let last = zip(l.x, l.y).reversed().first { p.x.scale.isValid($0.0) && p.y.scale.isValid($0.1) }
            guard let (x, y) = last else { return nil }
            return (k, LabelMarkup.markup(from: label), Point(x, y))
        }
    }

    /// Room the direct labels need right of the axes box.
    func directLabelMargin(_ i: Int) -> Double {
        let widths = directlyLabelledLines(i).map { TextMeasurer.measure($0.markup, style: metrics.legendStyle).width }
        guard let widest = widths.max() else { return 0 }
        return metrics.legendSampleGap + widest + metrics.outerPad
    }

    func directLabels(_ pl: PanelLayout) -> [DirectLabel] {
        let box = pl.mapping.box
        var labels: [(label: DirectLabel, height: Double)] = directlyLabelledLines(pl.index).compactMap { line in
            guard let y = pl.mapping.py(line.end.y) else { return nil }
            let height = TextMeasurer.measure(line.markup, style: metrics.legendStyle).height
            let origin = Point(box.maxX + metrics.legendSampleGap, min(max(y, box.minY), box.maxY))
            return (DirectLabel(markup: line.markup, color: pl.styles[line.layer].color, origin: origin), height)
        }
        labels.sort { $0.label.origin.y < $1.label.origin.y }
        // push down until neighbours clear each other, then pull the column back up if it left the axes
        for k in labels.indices.dropFirst() {
            let least = labels[k - 1].label.origin.y + (labels[k - 1].height + labels[k].height) / 2
            labels[k].label.origin.y = max(labels[k].label.origin.y, least)
        }
        if let last = labels.last, last.label.origin.y > box.maxY {
            labels[labels.count - 1].label.origin.y = box.maxY
            for k in labels.indices.dropLast().reversed() {
                let most = labels[k + 1].label.origin.y - (labels[k].height + labels[k + 1].height) / 2
                labels[k].label.origin.y = min(labels[k].label.origin.y, most)
            }
        }
        return labels.map(\.label)
    }
}
