import Foundation
import CCairo
import CPangoCairo

/// Font and colour of one piece of text.
public struct TextStyle: Hashable, Sendable {
    public var family: String
    public var size: Double          // points
    public var color: Color
    public var bold: Bool
    public var italic: Bool
    public init(family: String, size: Double, color: Color = .black, bold: Bool = false, italic: Bool = false) {
        self.family = family; self.size = size; self.color = color; self.bold = bold; self.italic = italic
    }
}

/// Where a text's anchor point sits on its (unrotated) logical box.
public struct TextAnchor: Hashable, Sendable {
    public enum Horizontal: String, Sendable { case left, center, right }
    public enum Vertical: String, Sendable { case top, middle, baseline, bottom }
    public var horizontal: Horizontal
    public var vertical: Vertical
    public init(_ horizontal: Horizontal, _ vertical: Vertical) { self.horizontal = horizontal; self.vertical = vertical }
}

/// Measured size of a laid-out text, in points (Pango logical extents).
public struct TextExtent: Hashable, Sendable {
    public var width: Double
    public var height: Double
    public var baseline: Double      // distance from the top of the logical box to the first baseline
}

/// A Pango context bound to a cairo context, configured identically for every backend (72 dpi so Pango
/// points are cairo units; no metric hinting and no glyph-position rounding so PDF, SVG, PNG and
/// measurement all agree).
final class PangoText {
    private let context: OpaquePointer
    private let cairo: OpaquePointer
    private var ownsScratch: OpaquePointer?

    /// Measurement-only engine on a 1×1 scratch surface.
    convenience init() {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        let cr = cairo_create(surface)!
        cairo_surface_destroy(surface)
        self.init(cairo: cr, owning: true)
    }

    init(cairo cr: OpaquePointer, owning: Bool = false) {
        cairo = cr
        if owning { ownsScratch = cr }
        context = pango_cairo_create_context(cr)
        pango_cairo_context_set_resolution(context, 72)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_context_set_round_glyph_positions(context, 0)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
        if let cr = ownsScratch { cairo_destroy(cr) }
    }

    /// A Pango layout for `markup` (invalid markup is shown escaped rather than dropped).
    func makeLayout(_ markup: String, style: TextStyle, width: Double? = nil, alignment: PangoAlignment = PANGO_ALIGN_LEFT) -> OpaquePointer {
        let layout = pango_layout_new(context)!
        let desc = pango_font_description_new()!
        pango_font_description_set_family(desc, style.family)
        pango_font_description_set_size(desc, Int32((style.size * 1024).rounded()))
        if style.bold { pango_font_description_set_weight(desc, PANGO_WEIGHT_BOLD) }
        if style.italic { pango_font_description_set_style(desc, PANGO_STYLE_ITALIC) }
        pango_layout_set_font_description(layout, desc)
        pango_font_description_free(desc)
        if let w = width {
            pango_layout_set_width(layout, Int32((w * 1024).rounded()))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        pango_layout_set_alignment(layout, alignment)
        let sized = PangoText.resolvingScripts(markup, size: style.size)
        let text = PangoText.isValidMarkup(sized) ? sized : LabelMarkup.escape(markup)
        pango_layout_set_markup(layout, text, -1)
        return layout
    }

    /// Pango 1.50's own `<sup>`/`<sub>` use font-relative scaling that comes out huge at 72 dpi here, so they are
    /// rewritten to explicit spans: 70 % size, raised 0.36 em or lowered 0.16 em (TeX-like proportions).
    static func resolvingScripts(_ markup: String, size: Double) -> String {
        guard markup.contains("<su") else { return markup }
        let small = Int((size * 0.7 * 1024).rounded())
        let up = Int((size * 0.36 * 1024).rounded()), down = Int((size * 0.16 * 1024).rounded())
        return markup.replacingOccurrences(of: "<sup>", with: "<span size=\"\(small)\" rise=\"\(up)\">")
            .replacingOccurrences(of: "<sub>", with: "<span size=\"\(small)\" rise=\"-\(down)\">")
            .replacingOccurrences(of: "</sup>", with: "</span>").replacingOccurrences(of: "</sub>", with: "</span>")
    }

    static func isValidMarkup(_ markup: String) -> Bool {
        var error: UnsafeMutablePointer<GError>? = nil
        let ok = pango_parse_markup(markup, -1, 0, nil, nil, nil, &error)
        if let e = error { g_error_free(e) }
        return ok != 0
    }

    /// Glyphs Pango could not find in any font of the fallback chain (drawn as hex boxes).
    func unknownGlyphs(in markup: String, style: TextStyle) -> Int {
        let layout = makeLayout(markup, style: style)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        return Int(pango_layout_get_unknown_glyphs_count(layout))
    }

    func extent(of layout: OpaquePointer) -> TextExtent {
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        return TextExtent(width: Double(logical.width) / 1024, height: Double(logical.height) / 1024,
                          baseline: Double(pango_layout_get_baseline(layout)) / 1024)
    }

    func measure(_ markup: String, style: TextStyle, width: Double? = nil) -> TextExtent {
        let layout = makeLayout(markup, style: style, width: width)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        return extent(of: layout)
    }

    /// Draws at `anchor` on the cairo context this engine is bound to, rotated `angle` degrees counter-clockwise.
    func draw(_ markup: String, style: TextStyle, at p: Point, anchor: TextAnchor, angle: Double, width: Double? = nil,
              alignment: PangoAlignment = PANGO_ALIGN_LEFT) {
        let layout = makeLayout(markup, style: style, width: width, alignment: alignment)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let e = extent(of: layout)
        let offset = TextGeometry.offset(e, anchor: anchor)
        cairo_save(cairo)
        cairo_translate(cairo, p.x, p.y)
        cairo_rotate(cairo, -angle * Double.pi / 180)
        cairo_move_to(cairo, offset.x, offset.y)
        cairo_set_source_rgba(cairo, style.color.red, style.color.green, style.color.blue, style.color.alpha)
        pango_cairo_update_context(cairo, context)
        pango_layout_context_changed(layout)
        pango_cairo_show_layout(cairo, layout)
        cairo_restore(cairo)
    }
}

enum TextGeometry {
    /// Offset from the anchor point to the top-left corner of the unrotated logical box.
    static func offset(_ e: TextExtent, anchor: TextAnchor) -> Point {
        let dx: Double
        switch anchor.horizontal { case .left: dx = 0; case .center: dx = -e.width / 2; case .right: dx = -e.width }
        let dy: Double
        switch anchor.vertical {
        case .top: dy = 0
        case .middle: dy = -e.height / 2
        case .baseline: dy = -e.baseline
        case .bottom: dy = -e.height
        }
        return Point(dx, dy)
    }

    /// Axis-aligned box of the rotated logical box.
    static func box(_ e: TextExtent, at p: Point, anchor: TextAnchor, angle: Double) -> Rect {
        let o = offset(e, anchor: anchor)
        let a = -angle * Double.pi / 180
        let corners = [Point(o.x, o.y), Point(o.x + e.width, o.y), Point(o.x, o.y + e.height), Point(o.x + e.width, o.y + e.height)]
        let rotated = corners.map { c in Point(p.x + c.x * cos(a) - c.y * sin(a), p.y + c.x * sin(a) + c.y * cos(a)) }
        let xs = rotated.map(\.x), ys = rotated.map(\.y)
        return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }
}

/// Shared per-thread measurement engine (Pango's font map is per thread), with a cache: layout measures the same
/// tick labels many times while it iterates.
enum TextMeasurer {
    final class Cache { var extents: [TextStyle: [String: TextExtent]] = [:] }
    static func engine() -> PangoText {
        let key = "ngd.render.pango-measurer"
        if let e = Thread.current.threadDictionary[key] as? PangoText { return e }
        let e = PangoText()
        Thread.current.threadDictionary[key] = e
        return e
    }
    private static func cache() -> Cache {
        let key = "ngd.render.pango-measure-cache"
        if let c = Thread.current.threadDictionary[key] as? Cache {
            if c.extents.count > 64 || (c.extents.values.map(\.count).max() ?? 0) > 4096 { c.extents = [:] }
            return c
        }
        let c = Cache()
        Thread.current.threadDictionary[key] = c
        return c
    }
    static func measure(_ markup: String, style: TextStyle) -> TextExtent {
        let c = cache()
        if let e = c.extents[style]?[markup] { return e }
        let e = engine().measure(markup, style: style)
        c.extents[style, default: [:]][markup] = e
        return e
    }
}
