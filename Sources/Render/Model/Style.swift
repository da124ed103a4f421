import Foundation

/// An sRGB colour with alpha, components in 0…1.
public struct Color: Hashable, Sendable, Codable, CustomStringConvertible {
    public var red: Double, green: Double, blue: Double, alpha: Double
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }
    /// `Color(hex: 0xE69F00)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }
    public func withAlpha(_ a: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: a) }
    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let gray = Color(red: 0.45, green: 0.45, blue: 0.45)
    public static let lightGray = Color(red: 0.85, green: 0.85, blue: 0.85)

    /// Okabe & Ito (2008) colour-blind-safe palette, black moved last so series 1 is not confused with the axes.
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
        Color(hex: 0xE69F00), Color(hex: 0x56B4E9), Color(hex: 0xF0E442), Color(hex: 0x000000),
    ]
    public var hexString: String {
        func c(_ v: Double) -> Int { Int((min(max(v, 0), 1) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", c(red), c(green), c(blue))
    }
    public var description: String {
        alpha >= 1 ? hexString : hexString + String(format: "@%.2f", alpha)
    }
}

/// Dash pattern of a stroked line. Dash lengths are multiples of the line width (like matplotlib), so a
/// pattern keeps its look at any width.
public enum LineStyle: String, Hashable, Sendable, Codable, CaseIterable {
    case solid, dashed, dotted, dashDot
    func dashes(lineWidth w: Double) -> [Double] {
        let u = max(w, 0.5)
        switch self {
        case .solid: return []
        case .dashed: return [3.7 * u, 1.6 * u]
        case .dotted: return [1 * u, 1.65 * u]
        case .dashDot: return [6.4 * u, 1.6 * u, 1 * u, 1.6 * u]
        }
    }
}

public enum MarkerShape: String, Hashable, Sendable, Codable, CaseIterable {
    case circle, square, triangle, diamond, star, cross, plus

    /// The marker outline centred at `c`, `size` = nominal diameter in points. Areas are roughly balanced so a
    /// square does not look heavier than a circle.
    func path(at c: Point, size: Double) -> Path {
        let r = size / 2
        switch self {
        case .circle: return .circle(center: c, radius: r)
        case .square:
            let h = r * 0.886
            return .rect(Rect(x: c.x - h, y: c.y - h, width: 2 * h, height: 2 * h))
        case .diamond:
            let h = r * 1.15
            return .polyline([Point(c.x, c.y - h), Point(c.x + h * 0.8, c.y), Point(c.x, c.y + h), Point(c.x - h * 0.8, c.y)], closed: true)
        case .triangle:
            let h = r * 1.2
            return .polyline([Point(c.x, c.y - h), Point(c.x + h * 0.866, c.y + h / 2), Point(c.x - h * 0.866, c.y + h / 2)], closed: true)
        case .star:
            let outer = r * 1.35, inner = outer * 0.382
            var pts: [Point] = []
            for i in 0..<10 {
                let a = -Double.pi / 2 + Double(i) * Double.pi / 5
                let rr = i % 2 == 0 ? outer : inner
                pts.append(Point(c.x + rr * cos(a), c.y + rr * sin(a)))
            }
            return .polyline(pts, closed: true)
        case .plus:
            return Path([.move(Point(c.x - r, c.y)), .line(Point(c.x + r, c.y)), .move(Point(c.x, c.y - r)), .line(Point(c.x, c.y + r))])
        case .cross:
            let h = r * 0.8
            return Path([.move(Point(c.x - h, c.y - h)), .line(Point(c.x + h, c.y + h)), .move(Point(c.x - h, c.y + h)), .line(Point(c.x + h, c.y - h))])
        }
    }
    /// Plus and cross are strokes only; they cannot be filled.
    var isStrokeOnly: Bool { self == .plus || self == .cross }
}

/// How a path is stroked.
public struct StrokeStyle: Hashable, Sendable {
    public var color: Color
    public var width: Double
    public var dashes: [Double]
    public var roundCaps: Bool
    public init(color: Color, width: Double, dashes: [Double] = [], roundCaps: Bool = false) {
        self.color = color; self.width = width; self.dashes = dashes; self.roundCaps = roundCaps
    }
}
