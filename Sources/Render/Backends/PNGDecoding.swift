import Foundation
import CCairo

/// Reads PNG bytes back into pixels (Cairo's own PNG reader), so a PNG figure can be compared pixel by pixel.
private final class ByteSource {
    let data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }

    static let read: cairo_read_func_t = { closure, buffer, length in
        guard let closure, let buffer else { return CAIRO_STATUS_READ_ERROR }
        let source = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
        let count = Int(length)
        guard source.offset + count <= source.data.count else { return CAIRO_STATUS_READ_ERROR }
        source.data.copyBytes(to: buffer, from: source.offset..<source.offset + count)
        source.offset += count
        return CAIRO_STATUS_SUCCESS
    }
}

extension RasterImage {
    /// The pixels of a PNG (un-premultiplied RGBA); throws when the bytes are not a PNG Cairo can read.
    public init(png data: Data) throws {
        let source = ByteSource(data)
        let box = Unmanaged.passRetained(source)
        defer { box.release() }
        guard let surface = cairo_image_surface_create_from_png_stream(ByteSource.read, box.toOpaque()) else {
            throw RenderError("png", "cannot read the image")
        }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw RenderError("png", String(cString: cairo_status_to_string(cairo_surface_status(surface))))
        }
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let opaque = cairo_image_surface_get_format(surface) != CAIRO_FORMAT_ARGB32
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        if let pixels = cairo_image_surface_get_data(surface) {
            for row in 0..<height {
                let line = (pixels + row * stride).withMemoryRebound(to: UInt32.self, capacity: width) { $0 }
                for column in 0..<width {
                    let value = line[column], k = (row * width + column) * 4
                    let alpha = opaque ? 255 : Int(value >> 24)
                    // Cairo stores premultiplied colour; undo it so that a pixel means the same in both images.
                    func channel(_ shift: UInt32) -> UInt8 {
                        let premultiplied = Int((value >> shift) & 0xFF)
                        return alpha == 0 ? 0 : UInt8(min(255, (premultiplied * 255 + alpha / 2) / alpha))
                    }
                    rgba[k] = channel(16)
                    rgba[k + 1] = channel(8)
                    rgba[k + 2] = channel(0)
                    rgba[k + 3] = UInt8(alpha)
                }
            }
        }
        self.init(width: width, height: height, rgba: rgba)
    }
}
