import Foundation

/// Data ↔ canvas mapping of one panel: transformed limits (log10 of the data on log axes) onto the axes box.
struct AxisMapping: Hashable {
    var box: Rect
    var xScale: AxisScale, yScale: AxisScale
    var x0: Double, x1: Double      // transformed limits
    var y0: Double, y1: Double
    var yReversed: Bool

    func px(_ x: Double) -> Double? {
        guard xScale.isValid(x) else { return nil }
        let t = (xScale.transform(x) - x0) / (x1 - x0)
        return (box.minX + t * box.width).clamped(-1e5, 1e5)
    }
    func py(_ y: Double) -> Double? {
        guard yScale.isValid(y) else { return nil }
        let t = (yScale.transform(y) - y0) / (y1 - y0)
        return (yReversed ? box.minY + t * box.height : box.maxY - t * box.height).clamped(-1e5, 1e5)
    }
    func point(_ x: Double, _ y: Double) -> Point? {
        guard let a = px(x), let b = py(y) else { return nil }
        return Point(a, b)
    }
    /// Canvas point of a point given in transformed coordinates.
    func pointT(_ tx: Double, _ ty: Double) -> Point {
        let u = (tx - x0) / (x1 - x0), v = (ty - y0) / (y1 - y0)
        return Point((box.minX + u * box.width).clamped(-1e5, 1e5),
                     (yReversed ? box.minY + v * box.height : box.maxY - v * box.height).clamped(-1e5, 1e5))
    }
    var xLimits: ClosedRange<Double> { xScale.inverse(x0)...xScale.inverse(x1) }
    var yLimits: ClosedRange<Double> { yScale.inverse(y0)...yScale.inverse(y1) }
}

/// Data extent of a panel's layers per axis, in data units (only values valid on the axis scale).
struct DataExtent {
    var xs: [Double] = []
    var ys: [Double] = []
    var stickyYZero = false        // histograms rest on y = 0 without margin
    var tight = false              // heatmaps: no margin

    init(panel: Panel) {
        let xv = panel.x.scale, yv = panel.y.scale
        func add(_ x: Double?, _ y: Double?) {
            if let x, xv.isValid(x) { xs.append(x) }
            if let y, yv.isValid(y) { ys.append(y) }
        }
        for layer in panel.layers {
            switch layer {
            case .line(let l): for (x, y) in zip(l.x, l.y) where xv.isValid(x) && yv.isValid(y) { add(x, y) }
            case .scatter(let s): for (x, y) in zip(s.x, s.y) where xv.isValid(x) && yv.isValid(y) { add(x, y) }
            case .band(let b):
                for i in b.x.indices where i < b.lower.count && i < b.upper.count {
                    add(b.x[i], b.lower[i]); add(nil, b.upper[i])
                }
            case .arrows(let a): for p in a.start + a.end { add(p.x, p.y) }
            case .histogram(let h):
                for e in h.edges { add(e, nil) }
                for c in h.counts { add(nil, c) }
                if yv == .linear { ys.append(0); stickyYZero = true }
            case .heatmap(let h):
                add(-0.5, -0.5); add(Double(h.columns) - 0.5, Double(h.rows) - 0.5)
                tight = true
            case .reference(let r):
                switch r.kind {
                case .horizontal(let y): add(nil, y)
                case .vertical(let x): add(x, nil)
                case .through: break
                }
            case .slope(let s):
                guard xv.isValid(s.corner.x), yv.isValid(s.corner.y) else { continue }
                let tx = xv.transform(s.corner.x), ty = yv.transform(s.corner.y)
                add(s.corner.x, s.corner.y)
                add(xv.inverse(tx + s.run), yv.inverse(ty + s.slope * s.run))
            case .text(let t): add(t.position.x, t.position.y)
            }
        }
    }

    /// Transformed limits for one axis: user limits win; otherwise data range with a 5 % margin (matplotlib's default).
    static func limits(values: [Double], axis: Axis, sticky: Bool, tight: Bool) -> (Double, Double) {
        let s = axis.scale
        let t = values.map(s.transform).filter(\.isFinite)
        var lo = t.min() ?? (s == .log10 ? 0 : 0)
        var hi = t.max() ?? (s == .log10 ? 1 : 1)
        if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-300) {
            let d = s == .log10 ? 0.5 : (lo == 0 ? 0.5 : abs(lo) * 0.05)
            lo -= d; hi += d
        } else if !tight {
            let m = 0.05 * (hi - lo)
            let stickyAtLo = sticky && lo == 0
            lo -= stickyAtLo ? 0 : m
            hi += m
        }
        if let u = axis.lower, s.isValid(u) { lo = s.transform(u) }
        if let u = axis.upper, s.isValid(u) { hi = s.transform(u) }
        if hi <= lo { hi = lo + (s == .log10 ? 1 : max(abs(lo) * 0.1, 1)) }
        return (lo, hi)
    }
}
