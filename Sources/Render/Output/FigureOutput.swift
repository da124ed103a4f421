import Foundation

/// Output formats chosen from a file extension.
public enum FigureFormat: String, Sendable, CaseIterable {
    case pdf, svg, png, pgf
    public init(url: URL) throws {
        guard let f = FigureFormat(rawValue: url.pathExtension.lowercased()) else {
            throw RenderError(url.path, "unknown figure format '.\(url.pathExtension)' (use .pdf, .svg, .png or .pgf)")
        }
        self = f
    }
}

extension Figure {
    /// Vector PDF, fonts embedded (TrueType/CFF subsets), fixed creation date (SOURCE_DATE_EPOCH or 2019-05-27).
    public func pdfData() throws -> Data { try CairoOutput.pdf(self) }

    /// SVG with every id and reference rewritten to `idPrefix-…`, so several figures can be inlined in one page
    /// and the bytes do not depend on what else the process drew.
    /// With `includesXMLDeclaration: false` the `<?xml …?>` line is dropped, ready to inline in HTML.
    public func svgString(idPrefix: String = "fig", includesXMLDeclaration: Bool = true) throws -> String {
        let svg = SVGIdentifiers.prefixing(try CairoOutput.svg(self), with: idPrefix)
        guard !includesXMLDeclaration, svg.hasPrefix("<?xml"), let end = svg.range(of: "?>\n") else { return svg }
        return String(svg[end.upperBound...])
    }

    /// PNG at `dpi` (pixel size = inches × dpi), with a pHYs chunk carrying the DPI.
    public func pngData(dpi: Double = 300) throws -> Data { try CairoOutput.png(self, dpi: dpi) }

    /// PGF for LaTeX (see `PGFRenderer`): the `.pgf` text and the PNG files of its raster layers, named
    /// `<imageStem>-raster<N>.png`, which must be written beside it.
    public func pgf(imageStem: String) throws -> PGFFigure {
        try validate()
        let layout = FigureLayout(self)
        let renderer = PGFRenderer(canvas: layout.canvas) { "\(imageStem)-raster\($0 + 1).png" }
        var drawer = FigureDrawer(layout: layout, renderer: renderer)
        drawer.draw()
        if let error = renderer.error { throw error }
        return PGFFigure(text: renderer.document(title: title), images: renderer.images.map { PGFFigure.Image(name: $0.name, png: $0.png) })
    }

    /// The data behind the figure (see `CSVExport` for the layout).
    public func csvString() -> String { CSVExport.csv(self) }

    /// Canonical display list (see `RecordingRenderer`), for snapshot tests.
    public func displayList() throws -> String {
        try validate()
        let r = RecordingRenderer()
        var d = FigureDrawer(layout: FigureLayout(self), renderer: r)
        d.draw()
        return r.displayList
    }

    /// Draws the figure on any backend implementing the renderer contract (canvas in points, origin top-left).
    public func draw(on renderer: Renderer) throws {
        try validate()
        var d = FigureDrawer(layout: FigureLayout(self), renderer: renderer)
        d.draw()
    }

    /// Every text/legend/axes box as laid out, with `problems` (clipping, overlaps) for tests.
    public func layoutReport() throws -> LayoutReport {
        try validate()
        let r = RecordingRenderer()
        let layout = FigureLayout(self)
        var d = FigureDrawer(layout: layout, renderer: r)
        d.draw()
        return LayoutReport(canvas: layout.canvas, items: d.items)
    }

    /// Writes the figure in the format of the extension (.pdf, .svg, .png, .pgf with its raster PNGs beside it) and its data as CSV beside it
    /// (same stem, .csv). Both writes are atomic. SVG ids get the file stem as prefix. Returns the CSV URL.
    @discardableResult
    public func write(to url: URL, dpi: Double = 300) throws -> URL {
        let data: Data
        switch try FigureFormat(url: url) {
        case .pdf: data = try pdfData()
        case .svg: data = Data(try svgString(idPrefix: url.deletingPathExtension().lastPathComponent).utf8)
        case .png: data = try pngData(dpi: dpi)
        case .pgf:
            let pgf = try pgf(imageStem: url.deletingPathExtension().lastPathComponent)
            for image in pgf.images {
                try AtomicFile.write(image.png, to: url.deletingLastPathComponent().appendingPathComponent(image.name))
            }
            data = Data(pgf.text.utf8)
        }
        try AtomicFile.write(data, to: url)
        let csvURL = url.deletingPathExtension().appendingPathExtension("csv")
        try AtomicFile.write(Data(csvString().utf8), to: csvURL)
        return csvURL
    }
}

/// A figure as PGF: the text to `\input` and the raster images it references by name (files beside it).
public struct PGFFigure: Hashable, Sendable {
    public struct Image: Hashable, Sendable {
        public var name: String
        public var png: Data
    }
    public var text: String
    public var images: [Image]
}
