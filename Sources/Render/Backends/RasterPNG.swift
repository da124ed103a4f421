import Foundation
import CCairo

extension RasterImage {
    /// The image as an opaque PNG (alpha dropped, as the Cairo backends draw it), for backends that reference
    /// raster layers as files beside the figure.
    func pngData() throws -> Data {
        guard width > 0, height > 0, width <= 32767, height <= 32767, rgba.count == width * height * 4 else {
            throw RenderError("png", "raster image of \(width)×\(height) pixels has \(rgba.count) bytes")
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            throw RenderError("png", "cannot create surface")
        }
        defer { cairo_surface_destroy(surface) }
        try CairoOutput.checkStatus(surface, "png")
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            for row in 0..<height {
                let line = (data + row * stride).withMemoryRebound(to: UInt32.self, capacity: width) { $0 }
                for col in 0..<width {
                    let k = (row * width + col) * 4
                    line[col] = 0xFF00_0000 | UInt32(rgba[k]) << 16 | UInt32(rgba[k + 1]) << 8 | UInt32(rgba[k + 2])
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        let sink = ByteSink()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, box.toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw RenderError("png", String(cString: cairo_status_to_string(status))) }
        return sink.data
    }
}
