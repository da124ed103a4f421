import Foundation

/// An RGBA raster (8 bits per channel, row-major, top row first), e.g. heatmap cells.
public struct RasterImage: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var rgba: [UInt8]
    public init(width: Int, height: Int, rgba: [UInt8]) { self.width = width; self.height = height; self.rgba = rgba }
}

/// The whole contract between figures and backends (matplotlib's lesson: a path primitive, text and images;
/// markers and collections are paths). Coordinates are points, origin top-left, y down.
public protocol Renderer: AnyObject {
    func fill(_ path: Path, color: Color)
    func stroke(_ path: Path, style: StrokeStyle)
    /// Pango markup drawn so that `anchor` of its logical box sits at `point`, rotated `angle`° counter-clockwise.
    func text(_ markup: String, style: TextStyle, at point: Point, anchor: TextAnchor, angle: Double)
    /// An image scaled to `rect` with nearest-neighbour sampling (cells stay crisp).
    func image(_ image: RasterImage, in rect: Rect)
    /// Restricts drawing to `rect`; nil removes the clip.
    func clip(to rect: Rect?)
}

/// Prints a canonical, human-readable display list: one operation per line, numbers rounded to 0.01 pt.
/// For snapshot tests: the same figure gives the same text on every machine with the same fonts.
public final class RecordingRenderer: Renderer {
    public private(set) var lines: [String] = []
    public init() {}
    public var displayList: String { lines.joined(separator: "\n") + "\n" }

    private func p(_ pt: Point) -> String { "\(formatPoints(pt.x)),\(formatPoints(pt.y))" }
    private func describe(_ path: Path) -> String {
        path.elements.map { e -> String in
            switch e {
            case .move(let a): return "M\(p(a))"
            case .line(let a): return "L\(p(a))"
            case .curve(let a, let b, let c): return "C\(p(a)) \(p(b)) \(p(c))"
            case .close: return "Z"
            }
        }.joined(separator: " ")
    }
    public func fill(_ path: Path, color: Color) { lines.append("fill \(color) \(describe(path))") }
    public func stroke(_ path: Path, style: StrokeStyle) {
        let dash = style.dashes.isEmpty ? "" : " dash=" + style.dashes.map(formatPoints).joined(separator: ",")
        lines.append("stroke \(style.color) w=\(formatPoints(style.width))\(dash) \(describe(path))")
    }
    public func text(_ markup: String, style: TextStyle, at point: Point, anchor: TextAnchor, angle: Double) {
        let rot = angle == 0 ? "" : " rot=\(formatPoints(angle))"
        lines.append("text \(formatPoints(style.size))pt \(style.color) \(anchor.horizontal.rawValue)-\(anchor.vertical.rawValue) @\(p(point))\(rot) \"\(markup)\"")
    }
    public func image(_ image: RasterImage, in rect: Rect) {
        var h: UInt64 = 0xcbf29ce484222325
        for b in image.rgba { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        lines.append("image \(image.width)x\(image.height) fnv=\(String(h, radix: 16)) in \(rect)")
    }
    public func clip(to rect: Rect?) { lines.append(rect.map { "clip \($0)" } ?? "clip none") }
}
