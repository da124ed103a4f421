import Foundation

/// A point in figure space (points, 1/72 in, origin at the top-left corner, y down) or in data space.
public struct Point: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in points.
public struct Rect: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    public func insetBy(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
    public func outsetBy(_ d: Double) -> Rect { insetBy(-d) }

    /// Strict overlap (touching edges do not count), with a tolerance in points.
    public func overlaps(_ other: Rect, tolerance: Double = 0.01) -> Bool {
        minX < other.maxX - tolerance && other.minX < maxX - tolerance &&
            minY < other.maxY - tolerance && other.minY < maxY - tolerance
    }
    public func contains(_ other: Rect, tolerance: Double = 0.01) -> Bool {
        other.minX >= minX - tolerance && other.maxX <= maxX + tolerance &&
            other.minY >= minY - tolerance && other.maxY <= maxY + tolerance
    }
    public func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
    public func union(_ o: Rect) -> Rect {
        let x0 = min(minX, o.minX), y0 = min(minY, o.minY)
        return Rect(x: x0, y: y0, width: max(maxX, o.maxX) - x0, height: max(maxY, o.maxY) - y0)
    }
    public var description: String {
        "[\(formatPoints(x)) \(formatPoints(y)) \(formatPoints(width))×\(formatPoints(height))]"
    }

    /// Whether the segment a→b touches this rectangle (Liang–Barsky clipping).
    func intersectsSegment(_ a: Point, _ b: Point) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        let checks: [(Double, Double)] = [(-dx, a.x - minX), (dx, maxX - a.x), (-dy, a.y - minY), (dy, maxY - a.y)]
        for (p, q) in checks {
            if p == 0 { if q < 0 { return false } ; continue }
            let r = q / p
            if p < 0 { if r > t1 { return false }; if r > t0 { t0 = r } } else { if r < t0 { return false }; if r < t1 { t1 = r } }
        }
        return true
    }
}

/// Numbers in display lists and descriptions: rounded to 0.01 pt, no "-0".
func formatPoints(_ v: Double) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    var r = (v * 100).rounded() / 100
    if r == 0 { r = 0 }
    var s = String(format: "%.2f", r)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

/// One drawing path: the single geometric primitive of the renderer contract.
public struct Path: Hashable, Sendable {
    public enum Element: Hashable, Sendable {
        case move(Point)
        case line(Point)
        case curve(Point, Point, Point)
        case close
    }
    public var elements: [Element] = []
    public init() {}
    public init(_ elements: [Element]) { self.elements = elements }

    public mutating func move(to p: Point) { elements.append(.move(p)) }
    public mutating func line(to p: Point) { elements.append(.line(p)) }
    public mutating func curve(_ c1: Point, _ c2: Point, _ p: Point) { elements.append(.curve(c1, c2, p)) }
    public mutating func close() { elements.append(.close) }

    public static func polyline(_ points: [Point], closed: Bool = false) -> Path {
        var p = Path()
        for (i, q) in points.enumerated() { i == 0 ? p.move(to: q) : p.line(to: q) }
        if closed && !points.isEmpty { p.close() }
        return p
    }
    public static func rect(_ r: Rect) -> Path {
        polyline([Point(r.minX, r.minY), Point(r.maxX, r.minY), Point(r.maxX, r.maxY), Point(r.minX, r.maxY)], closed: true)
    }
    /// A circle from four cubic Béziers (κ = 0.5523), so every backend sees the same primitive.
    public static func circle(center c: Point, radius r: Double) -> Path {
        let k = 0.5522847498 * r
        var p = Path()
        p.move(to: Point(c.x + r, c.y))
        p.curve(Point(c.x + r, c.y + k), Point(c.x + k, c.y + r), Point(c.x, c.y + r))
        p.curve(Point(c.x - k, c.y + r), Point(c.x - r, c.y + k), Point(c.x - r, c.y))
        p.curve(Point(c.x - r, c.y - k), Point(c.x - k, c.y - r), Point(c.x, c.y - r))
        p.curve(Point(c.x + k, c.y - r), Point(c.x + r, c.y - k), Point(c.x + r, c.y))
        p.close()
        return p
    }
    var points: [Point] {
        elements.flatMap { e -> [Point] in
            switch e {
            case .move(let p), .line(let p): return [p]
            case .curve(let a, let b, let c): return [a, b, c]
            case .close: return []
            }
        }
    }
    var bounds: Rect? {
        let ps = points
        guard let f = ps.first else { return nil }
        var r = Rect(x: f.x, y: f.y, width: 0, height: 0)
        for p in ps.dropFirst() { r = r.union(Rect(x: p.x, y: p.y, width: 0, height: 0)) }
        return r
    }
}
