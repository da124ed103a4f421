import Foundation

/// What a panel's data pass draws, as geometry in canvas points: stroked polylines with their half width, filled
/// outlines, text boxes and images. Legends and direct labels go where none of it lies, so they are chosen from
/// the display list itself, not from a second model of what each layer might cover.
struct DataObstacles {
    struct Stroke { var points: [Point]; var halfWidth: Double; var bounds: Rect }
    struct Fill { var points: [Point]; var bounds: Rect }
    var strokes: [Stroke] = []
    var fills: [Fill] = []
    var boxes: [Rect] = []

    /// Whether anything drawn touches `r` (a stroke within its half width, a fill's area, a text or image box).
    func touches(_ r: Rect) -> Bool { touchCount(r, stopAtFirst: true) > 0 }

    /// How many drawn marks touch `r`.
    func touchCount(_ r: Rect, stopAtFirst: Bool = false) -> Int {
        var count = 0
        for b in boxes where b.overlaps(r, tolerance: 0) {
            count += 1
            if stopAtFirst { return count }
        }
        for s in strokes where s.bounds.outsetBy(s.halfWidth).overlaps(r, tolerance: 0) && Self.stroke(s, touches: r) {
            count += 1
            if stopAtFirst { return count }
        }
        for f in fills where f.bounds.overlaps(r, tolerance: 0) && Self.fill(f, touches: r) {
            count += 1
            if stopAtFirst { return count }
        }
        return count
    }

    private static func stroke(_ s: Stroke, touches r: Rect) -> Bool {
        let grown = r.outsetBy(s.halfWidth)
        if s.points.count == 1 { return grown.contains(s.points[0]) }
        return s.points.indices.dropFirst().contains { grown.intersectsSegment(s.points[$0 - 1], s.points[$0]) }
    }

    private static func fill(_ f: Fill, touches r: Rect) -> Bool {
        if polygon(f.points, contains: Point(r.midX, r.midY)) { return true }
        return f.points.indices.contains { r.intersectsSegment(f.points[$0], f.points[($0 + 1) % f.points.count]) }
    }

    /// Even–odd rule.
    static func polygon(_ ps: [Point], contains p: Point) -> Bool {
        var inside = false
        var j = ps.count - 1
        for i in ps.indices {
            let a = ps[i], b = ps[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }
}

/// A renderer that keeps what is drawn as `DataObstacles` instead of pixels. Curves keep their control points
/// (the control polygon encloses a Bézier), which is enough for a circle marker.
final class ObstacleRecorder: Renderer {
    private(set) var obstacles = DataObstacles()

    private func subpaths(_ path: Path) -> [[Point]] {
        var out: [[Point]] = [], current: [Point] = []
        for e in path.elements {
            switch e {
            case .move(let p):
                if !current.isEmpty { out.append(current) }
                current = [p]
            case .line(let p): current.append(p)
            case .curve(let a, let b, let c): current += [a, b, c]
            case .close: if let f = current.first { current.append(f) }
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
    private func bounds(_ ps: [Point]) -> Rect {
        let xs = ps.map(\.x), ys = ps.map(\.y)
        let x0 = xs.min() ?? 0, y0 = ys.min() ?? 0
        return Rect(x: x0, y: y0, width: (xs.max() ?? 0) - x0, height: (ys.max() ?? 0) - y0)
    }

    func fill(_ path: Path, color: Color) {
        guard color.alpha > 0 else { return }
        for ps in subpaths(path) where ps.count >= 3 { obstacles.fills.append(.init(points: ps, bounds: bounds(ps))) }
    }
    func stroke(_ path: Path, style: StrokeStyle) {
        for ps in subpaths(path) {
            obstacles.strokes.append(.init(points: ps, halfWidth: style.width / 2, bounds: bounds(ps)))
        }
    }
    func text(_ markup: String, style: TextStyle, at point: Point, anchor: TextAnchor, angle: Double) {
        let e = TextMeasurer.measure(markup, style: style)
        obstacles.boxes.append(TextGeometry.box(e, at: point, anchor: anchor, angle: angle))
    }
    func image(_ image: RasterImage, in rect: Rect) { obstacles.boxes.append(rect) }
    func clip(to rect: Rect?) {}
}
