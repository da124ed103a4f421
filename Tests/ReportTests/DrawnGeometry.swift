import Foundation
import Render

/// A test renderer that keeps what a figure draws: every stroke and fill made while a clip is set (the data of
/// a panel) as sampled outlines, and every text with its anchor point. Independent of Render's own placement
/// code: curves are evaluated, segments sampled every 0.25 pt, so `touches` is a plain geometric test.
final class DrawnGeometry: Renderer {
    struct Mark {
        var outlines: [[Point]]
        var halfWidth: Double
        var filled: Bool
        var clip: Rect
    }
    private(set) var marks: [Mark] = []
    private(set) var texts: [(markup: String, point: Point)] = []
    private var currentClip: Rect?

    func fill(_ path: Path, color: Color) {
        guard let clip = currentClip, color.alpha > 0 else { return }
        marks.append(Mark(outlines: Self.outlines(path), halfWidth: 0, filled: true, clip: clip))
    }
    func stroke(_ path: Path, style: StrokeStyle) {
        guard let clip = currentClip else { return }
        marks.append(Mark(outlines: Self.outlines(path), halfWidth: style.width / 2, filled: false, clip: clip))
    }
    func text(_ markup: String, style: TextStyle, at point: Point, anchor: TextAnchor, angle: Double) {
        texts.append((markup, point))
    }
    func image(_ image: RasterImage, in rect: Rect) {}
    func clip(to rect: Rect?) { currentClip = rect }

    /// Whether any visible data mark (inside its clip) reaches into `r`.
    func touches(_ r: Rect) -> Bool {
        marks.contains { mark in
            let visible = Self.intersection(r, mark.clip)
            guard let area = visible else { return false }
            let grown = area.outsetBy(mark.halfWidth)
            for outline in mark.outlines {
                if Self.sampled(outline).contains(where: { grown.contains($0) }) { return true }
                if mark.filled, outline.count >= 3,
                   [Point(area.midX, area.midY), Point(area.minX, area.minY), Point(area.maxX, area.maxY)]
                       .contains(where: { Self.inside(outline, $0) }) { return true }
            }
            return false
        }
    }

    private static func intersection(_ a: Rect, _ b: Rect) -> Rect? {
        let x0 = max(a.minX, b.minX), y0 = max(a.minY, b.minY), x1 = min(a.maxX, b.maxX), y1 = min(a.maxY, b.maxY)
        return x1 > x0 && y1 > y0 ? Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0) : nil
    }

    /// The path's subpaths as polylines, Béziers evaluated at 16 points.
    static func outlines(_ path: Path) -> [[Point]] {
        var out: [[Point]] = [], current: [Point] = []
        for element in path.elements {
            switch element {
            case .move(let p):
                if !current.isEmpty { out.append(current) }
                current = [p]
            case .line(let p):
                current.append(p)
            case .curve(let c1, let c2, let p):
                guard let p0 = current.last else { current = [p]; continue }
                for k in 1...16 {
                    let t = Double(k) / 16, s = 1 - t
                    let a = s * s * s, b = 3 * s * s * t, c = 3 * s * t * t, d = t * t * t
                    current.append(Point(a * p0.x + b * c1.x + c * c2.x + d * p.x,
                        a * p0.y + b * c1.y + c * c2.y + d * p.y))
                }
            case .close:
                if let first = current.first { current.append(first) }
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private static func sampled(_ outline: [Point]) -> [Point] {
        guard var previous = outline.first else { return [] }
        var out = [previous]
        for p in outline.dropFirst() {
            let dx = p.x - previous.x, dy = p.y - previous.y
            let length = (dx * dx + dy * dy).squareRoot()
            let n = max(1, Int((length / 0.25).rounded(.up)))
            for k in 1...n {
                let t = Double(k) / Double(n)
                out.append(Point(previous.x + (p.x - previous.x) * t, previous.y + (p.y - previous.y) * t))
            }
            previous = p
        }
        return out
    }

    private static func inside(_ polygon: [Point], _ p: Point) -> Bool {
        var crossings = 0
        for k in polygon.indices {
            let a = polygon[k], b = polygon[(k + 1) % polygon.count]
            guard (a.y > p.y) != (b.y > p.y) else { continue }
            if p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) { crossings += 1 }
        }
        return crossings % 2 == 1
    }
}
