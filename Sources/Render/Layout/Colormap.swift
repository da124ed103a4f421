import Foundation

/// Perceptually uniform colour maps: matplotlib's viridis sampled at 11 knots (t = 0, 0.1, …, 1) and
/// interpolated linearly in sRGB (close to the 256-entry table; exact at the knots).
public enum Colormap {
    static let viridisKnots: [(Double, Double, Double)] = [
        (0.267004, 0.004874, 0.329415), (0.282623, 0.140926, 0.457517), (0.253935, 0.265254, 0.529983),
        (0.206756, 0.371758, 0.553117), (0.163625, 0.471133, 0.558148), (0.127568, 0.566949, 0.550556),
        (0.134692, 0.658636, 0.517649), (0.266941, 0.748751, 0.440573), (0.477504, 0.821444, 0.318195),
        (0.741388, 0.873449, 0.149561), (0.993248, 0.906157, 0.143936),
    ]
    /// Viridis at t ∈ [0, 1] (clamped; NaN gives light grey).
    public static func viridis(_ t: Double) -> Color {
        guard t.isFinite else { return Color(red: 0.85, green: 0.85, blue: 0.85) }
        let u = min(max(t, 0), 1) * Double(viridisKnots.count - 1)
        let i = min(Int(u), viridisKnots.count - 2)
        let f = u - Double(i)
        let a = viridisKnots[i], b = viridisKnots[i + 1]
        return Color(red: a.0 + (b.0 - a.0) * f, green: a.1 + (b.1 - a.1) * f, blue: a.2 + (b.2 - a.2) * f)
    }
    static func rgbaBytes(_ c: Color) -> [UInt8] {
        func q(_ v: Double) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }
        return [q(c.red), q(c.green), q(c.blue), 255]
    }
}
