import Foundation
import CCairo

/// Collects the bytes cairo writes to a stream.
final class ByteSink {
    var data = Data()
    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}

/// Fixed PDF creation date for byte-identical output: SOURCE_DATE_EPOCH when set, else 2019-05-27T00:00:00Z.
/// The commands that draw refuse a malformed SOURCE_DATE_EPOCH before they start (`SourceDateEpoch`).
public enum ReproducibleDate {
    public static var iso8601: String {
        var seconds: TimeInterval = 1_558_915_200      // 2019-05-27T00:00:00Z
        if let given = try? SourceDateEpoch.seconds() { seconds = TimeInterval(given) }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: seconds))
    }
}

enum CairoOutput {
    static func checkStatus(_ surface: OpaquePointer, _ what: String) throws {
        let st = cairo_surface_status(surface)
        guard st == CAIRO_STATUS_SUCCESS else { throw RenderError(what, String(cString: cairo_status_to_string(st))) }
    }

    static func pdf(_ figure: Figure) throws -> Data {
        try drawStreamed(figure, what: "pdf", create: cairo_pdf_surface_create_for_stream) { surface in
            setMetadata(surface, title: figure.title)
        }
    }

    static func setMetadata(_ surface: OpaquePointer, title: String?) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, ReproducibleDate.iso8601)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ngd Render (cairo \(FontCatalog.cairoVersion))")
        if let t = title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, t) }
    }

    static func svg(_ figure: Figure) throws -> String {
        let bytes = try drawStreamed(figure, what: "svg", create: cairo_svg_surface_create_for_stream) { surface in
            cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Draws the figure on a vector surface that streams into memory (`create` is cairo's
    /// `cairo_*_surface_create_for_stream`; `configure` sets the surface up before drawing).
    private static func drawStreamed(
        _ figure: Figure, what: String,
        create: (cairo_write_func_t, UnsafeMutableRawPointer?, Double, Double) -> OpaquePointer?,
        configure: (OpaquePointer) -> Void
    ) throws -> Data {
        try figure.validate()
        let sink = ByteSink()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let layout = FigureLayout(figure)
        guard let surface = create(ByteSink.write, box.toOpaque(), layout.canvas.width, layout.canvas.height) else {
            throw RenderError(what, "cannot create surface")
        }
        configure(surface)
        try drawAndFinish(layout, surface: surface, what: what)
        return sink.data
    }

    static func png(_ figure: Figure, dpi: Double) throws -> Data {
        try figure.validate()
        guard dpi.isFinite, dpi >= 10, dpi <= 2400 else { throw RenderError("png", "dpi must be between 10 and 2400, got \(dpi)") }
        let layout = FigureLayout(figure)
        let pixels = (width: (figure.size.width * dpi).rounded(), height: (figure.size.height * dpi).rounded())
        // cairo's image surfaces stop at 32767 pixels a side; beyond, Int32(_:) would also trap on huge sizes.
        guard (1...32767).contains(pixels.width), (1...32767).contains(pixels.height) else {
            throw RenderError("png", "a figure of \(figure.size.width)×\(figure.size.height) in at \(dpi) dpi is "
                + "\(pixels.width)×\(pixels.height) pixels; cairo allows 1 to 32767 per side")
        }
        let w = Int32(pixels.width), h = Int32(pixels.height)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h) else { throw RenderError("png", "cannot create surface") }
        defer { cairo_surface_destroy(surface) }
        try checkStatus(surface, "png")
        guard let cr = cairo_create(surface) else { throw RenderError("png", "cannot create context") }
        cairo_scale(cr, Double(w) / layout.canvas.width, Double(h) / layout.canvas.height)
        let renderer = CairoRenderer(context: cr)
        var drawer = FigureDrawer(layout: layout, renderer: renderer)
        drawer.draw()
        renderer.finish()
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        let sink = ByteSink()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let st = cairo_surface_write_to_png_stream(surface, ByteSink.write, box.toOpaque())
        guard st == CAIRO_STATUS_SUCCESS else { throw RenderError("png", String(cString: cairo_status_to_string(st))) }
        return try PNGMetadata.insertingPhysicalDPI(dpi, into: sink.data)
    }

    private static func drawAndFinish(_ layout: FigureLayout, surface: OpaquePointer, what: String) throws {
        defer { cairo_surface_destroy(surface) }
        try checkStatus(surface, what)
        guard let cr = cairo_create(surface) else { throw RenderError(what, "cannot create context") }
        let renderer = CairoRenderer(context: cr)
        var drawer = FigureDrawer(layout: layout, renderer: renderer)
        drawer.draw()
        renderer.finish()
        cairo_show_page(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        try checkStatus(surface, what)
    }
}

/// PNG chunk surgery: cairo writes no pHYs, so the DPI is inserted right after IHDR.
public enum PNGMetadata {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func insertingPhysicalDPI(_ dpi: Double, into png: Data) throws -> Data {
        let bytes = [UInt8](png)
        guard bytes.count > 33, Array(bytes[0..<8]) == signature, String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else {
            throw RenderError("png", "not a PNG stream")
        }
        let ihdrEnd = 8 + 4 + 4 + 13 + 4
        let ppm = UInt32((dpi / 0.0254).rounded())
        var chunk: [UInt8] = [0, 0, 0, 9] + Array("pHYs".utf8)
        chunk += bigEndian(ppm) + bigEndian(ppm) + [1]      // unit 1 = metre
        chunk += bigEndian(crc32(chunk[4...]))
        var out = Data(bytes[0..<ihdrEnd])
        out.append(contentsOf: chunk)
        out.append(contentsOf: bytes[ihdrEnd...])
        return out
    }

    /// The pixel size and DPI (from pHYs) of a PNG, for checks.
    public static func info(_ png: Data) -> (width: Int, height: Int, dpi: Double?)? {
        let b = [UInt8](png)
        guard b.count > 33, Array(b[0..<8]) == signature else { return nil }
        func u32(_ o: Int) -> UInt32 { UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3]) }
        let w = Int(u32(16)), h = Int(u32(20))
        var o = 8, dpi: Double?
        while o + 12 <= b.count {
            let len = Int(u32(o))
            let type = String(decoding: b[(o + 4)..<(o + 8)], as: UTF8.self)
            if type == "pHYs", len == 9, o + 17 <= b.count, b[o + 16] == 1 { dpi = Double(u32(o + 8)) * 0.0254 }
            if type == "IEND" { break }
            o += 12 + len
        }
        return (w, h, dpi)
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
