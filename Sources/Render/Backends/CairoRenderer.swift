import Foundation
import CCairo
import CPangoCairo

/// Draws on any cairo context (PDF, SVG or image surface); text goes through Pango.
final class CairoRenderer: Renderer {
    let cr: OpaquePointer
    private let textEngine: PangoText
    private var clipped = false

    init(context cr: OpaquePointer) {
        self.cr = cr
        textEngine = PangoText(cairo: cr)
    }

    private func setPath(_ path: Path) {
        cairo_new_path(cr)
        for e in path.elements {
            switch e {
            case .move(let p): cairo_move_to(cr, p.x, p.y)
            case .line(let p): cairo_line_to(cr, p.x, p.y)
            case .curve(let a, let b, let c): cairo_curve_to(cr, a.x, a.y, b.x, b.y, c.x, c.y)
            case .close: cairo_close_path(cr)
            }
        }
    }
    private func setColor(_ c: Color) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }

    func fill(_ path: Path, color: Color) {
        setPath(path)
        setColor(color)
        cairo_fill(cr)
    }
    func stroke(_ path: Path, style: StrokeStyle) {
        setPath(path)
        setColor(style.color)
        cairo_set_line_width(cr, style.width)
        cairo_set_line_cap(cr, style.roundCaps ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        cairo_set_line_join(cr, style.roundCaps ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER)
        cairo_set_miter_limit(cr, 4)
        if style.dashes.isEmpty { cairo_set_dash(cr, nil, 0, 0) } else {
            style.dashes.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        }
        cairo_stroke(cr)
    }
    func text(_ markup: String, style: TextStyle, at point: Point, anchor: TextAnchor, angle: Double) {
        textEngine.draw(markup, style: style, at: point, anchor: anchor, angle: angle)
    }
    func image(_ image: RasterImage, in rect: Rect) {
        guard image.width > 0, image.height > 0, image.rgba.count == image.width * image.height * 4 else { return }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(image.width), Int32(image.height)) else { return }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            image.rgba.withUnsafeBufferPointer { src in
                for row in 0..<image.height {
                    let line = (data + row * stride).withMemoryRebound(to: UInt32.self, capacity: image.width) { $0 }
                    for col in 0..<image.width {
                        let k = (row * image.width + col) * 4
                        line[col] = 0xFF00_0000 | UInt32(src[k]) << 16 | UInt32(src[k + 1]) << 8 | UInt32(src[k + 2])
                    }
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(image.width), rect.height / Double(image.height))
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_paint(cr)
        cairo_restore(cr)
    }
    func clip(to rect: Rect?) {
        if clipped { cairo_restore(cr); clipped = false }
        if let r = rect {
            cairo_save(cr)
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            cairo_clip(cr)
            clipped = true
        }
    }
    func finish() { if clipped { cairo_restore(cr); clipped = false } }
}
