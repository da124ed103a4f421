import Foundation
import CCairo
import CPangoCairo

/// A multi-page PDF report drawn with Cairo and Pango: title block, headings with PDF bookmarks, paragraphs of
/// Pango markup with automatic page breaks, simple tables, vector figures with numbered captions, page numbers.
/// A value: add blocks, then call `pdfData()` or `write(to:)`. Same blocks ⇒ same bytes.
public struct PDFDocument: Sendable {
    public enum Paper: String, Sendable, Codable {
        case a4, letter
        /// Width and height in points.
        public var size: (width: Double, height: Double) { self == .a4 ? (595.276, 841.89) : (612, 792) }
    }

    public struct Style: Hashable, Sendable, Codable {
        public var fontFamily: String
        public var bodySize: Double
        public var titleSize: Double
        public var heading1Size: Double
        public var heading2Size: Double
        public var captionSize: Double
        public var tableSize: Double
        public var footerSize: Double
        public var paragraphSpacing: Double   // points after a paragraph
        public var lineSpacing: Double        // factor on Pango's natural line height
        public init(fontFamily: String = Theme.defaultFontFamily, bodySize: Double = 10, titleSize: Double = 17,
                    heading1Size: Double = 13.5, heading2Size: Double = 11.5, captionSize: Double = 9, tableSize: Double = 9,
                    footerSize: Double = 8.5, paragraphSpacing: Double = 6, lineSpacing: Double = 1.12) {
            self.fontFamily = fontFamily; self.bodySize = bodySize; self.titleSize = titleSize; self.heading1Size = heading1Size
            self.heading2Size = heading2Size; self.captionSize = captionSize; self.tableSize = tableSize; self.footerSize = footerSize
            self.paragraphSpacing = paragraphSpacing; self.lineSpacing = lineSpacing
        }
    }

    public enum ColumnAlignment: String, Sendable, Codable { case left, center, right }

    /// A table: header and cells are Pango markup (escape user text with `PDFDocument.escape`).
    public struct Table: Hashable, Sendable {
        public var header: [String]
        public var rows: [[String]]
        public var alignments: [ColumnAlignment]
        public var zebra: Bool
        public var caption: String?
        public init(header: [String], rows: [[String]], alignments: [ColumnAlignment] = [], zebra: Bool = true, caption: String? = nil) {
            self.header = header; self.rows = rows; self.alignments = alignments; self.zebra = zebra; self.caption = caption
        }
    }

    enum Block: Hashable, Sendable {
        case title(String, subtitle: String?, lines: [String])
        case heading(String, level: Int)
        case paragraph(String)
        case table(Table)
        case figure(Figure, width: Double?, caption: String)
        case pageBreak
    }

    public var paper: Paper
    public var margin: Double
    public var style: Style
    public var title: String
    public var author: String?
    public var subject: String?
    public var keywords: String?
    var blocks: [Block] = []

    public init(title: String, paper: Paper = .a4, margin: Double = 72, style: Style = Style(), author: String? = nil,
                subject: String? = nil, keywords: String? = nil) {
        self.title = title; self.paper = paper; self.margin = margin; self.style = style
        self.author = author; self.subject = subject; self.keywords = keywords
    }

    /// Escapes plain text for use in paragraphs, table cells and captions.
    public static func escape(_ text: String) -> String { LabelMarkup.escape(text) }

    /// The title block at the top of the first page; subtitle and extra lines (authors, date) are markup.
    public mutating func addTitleBlock(subtitle: String? = nil, lines: [String] = []) {
        blocks.append(.title(LabelMarkup.escape(title), subtitle: subtitle, lines: lines))
    }
    /// A numbered-free heading (level 1 or 2) with a PDF bookmark; plain text.
    public mutating func addHeading(_ text: String, level: Int = 1) { addHeading(markup: LabelMarkup.escape(text), level: level) }
    /// A heading given as Pango markup (its plain text names the PDF bookmark).
    public mutating func addHeading(markup: String, level: Int = 1) { blocks.append(.heading(markup, level: min(max(level, 1), 2))) }
    /// A paragraph of Pango markup (invalid markup is shown escaped, never dropped).
    public mutating func addParagraph(markup: String) { blocks.append(.paragraph(markup)) }
    public mutating func addParagraph(text: String) { blocks.append(.paragraph(LabelMarkup.escape(text))) }
    public mutating func addTable(_ table: Table) { blocks.append(.table(table)) }
    /// A figure drawn as vectors, `width` in points (default: its own width, shrunk to the text width), with a
    /// caption (markup) numbered "Figure 1.", "Figure 2.", ….
    public mutating func addFigure(_ figure: Figure, width: Double? = nil, caption: String) {
        blocks.append(.figure(figure, width: width, caption: caption))
    }
    public mutating func addPageBreak() { blocks.append(.pageBreak) }

    public func pdfData() throws -> Data {
        let sink = ByteSink()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let (w, h) = paper.size
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, box.toOpaque(), w, h) else {
            throw RenderError("pdf document", "cannot create surface")
        }
        defer { cairo_surface_destroy(surface) }
        try CairoOutput.checkStatus(surface, "pdf document")
        CairoOutput.setMetadata(surface, title: title)
        if let a = author { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, a) }
        if let s = subject { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, s) }
        if let k = keywords { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, k) }
        guard let cr = cairo_create(surface) else { throw RenderError("pdf document", "cannot create context") }
        do {
            defer { cairo_destroy(cr) }   // also when a figure fails validation mid-document
            try PageWriter(cr: cr, surface: surface, document: self).run()
        }
        cairo_surface_finish(surface)
        try CairoOutput.checkStatus(surface, "pdf document")
        return sink.data
    }

    /// Writes the PDF atomically.
    public func write(to url: URL) throws { try AtomicFile.write(try pdfData(), to: url) }
}

/// Flows blocks onto pages, tracking the vertical position.
private final class PageWriter {
    let cr: OpaquePointer
    let surface: OpaquePointer
    let doc: PDFDocument
    let text: PangoText
    let pageWidth: Double, pageHeight: Double
    var y: Double
    var page = 1
    var pageHasContent = false
    var figureNumber = 0, tableNumber = 0
    var lastLevel1Outline = 0

    init(cr: OpaquePointer, surface: OpaquePointer, document: PDFDocument) {
        self.cr = cr; self.surface = surface; doc = document
        text = PangoText(cairo: cr)
        (pageWidth, pageHeight) = document.paper.size
        y = document.margin
    }

    var left: Double { doc.margin }
    var textWidth: Double { pageWidth - 2 * doc.margin }
    var bottom: Double { pageHeight - doc.margin }
    var s: PDFDocument.Style { doc.style }
    func style(_ size: Double, bold: Bool = false, italic: Bool = false, color: Color = .black) -> TextStyle {
        TextStyle(family: s.fontFamily, size: size, color: color, bold: bold, italic: italic)
    }

    func run() throws {
        for (k, block) in doc.blocks.enumerated() {
            switch block {
            case .title(let t, let sub, let lines): titleBlock(t, sub, lines)
            case .heading(let t, let level):
                heading(t, level: level, keepWith: k + 1 < doc.blocks.count ? minimumHeight(doc.blocks[k + 1]) : 0)
            case .paragraph(let m): paragraph(m, style: style(s.bodySize), spacingAfter: s.paragraphSpacing)
            case .table(let t): table(t)
            case .figure(let f, let w, let c): try figure(f, width: w, caption: c)
            case .pageBreak: if pageHasContent { newPage() }
            }
        }
        finishPage()
    }

    // MARK: pages

    func finishPage() {
        let footer = style(s.footerSize, color: Color(red: 0.35, green: 0.35, blue: 0.35))
        text.draw("\(page)", style: footer, at: Point(pageWidth / 2, pageHeight - doc.margin / 2), anchor: TextAnchor(.center, .middle), angle: 0)
        cairo_show_page(cr)
    }
    func newPage() {
        finishPage()
        page += 1
        y = doc.margin
        pageHasContent = false
    }
    func ensureSpace(_ h: Double) { if y + h > bottom && pageHasContent { newPage() } }

    // MARK: blocks

    private func layout(_ markup: String, _ st: TextStyle, width: Double, alignment: PangoAlignment = PANGO_ALIGN_LEFT) -> OpaquePointer {
        let l = text.makeLayout(markup, style: st, width: width, alignment: alignment)
        pango_layout_set_spacing(l, Int32(((s.lineSpacing - 1) * st.size * 1024).rounded()))
        return l
    }

    /// Lines of a wrapped layout, each placed on the page; breaks pages between lines.
    func paragraph(_ markup: String, style st: TextStyle, spacingAfter: Double, x: Double? = nil, width: Double? = nil,
                   alignment: PangoAlignment = PANGO_ALIGN_LEFT) {
        let l = layout(markup, st, width: width ?? textWidth, alignment: alignment)
        defer { g_object_unref(UnsafeMutableRawPointer(l)) }
        let iter = pango_layout_get_iter(l)
        defer { pango_layout_iter_free(iter) }
        let x0 = x ?? left
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iter, nil, &logical)
            let lineTop = Double(logical.y) / 1024, lineHeight = Double(logical.height) / 1024
            let baseline = Double(pango_layout_iter_get_baseline(iter)) / 1024
            ensureSpace(lineHeight)
            let line = pango_layout_iter_get_line_readonly(iter)
            cairo_set_source_rgba(cr, st.color.red, st.color.green, st.color.blue, st.color.alpha)
            cairo_move_to(cr, x0 + Double(logical.x) / 1024, y + (baseline - lineTop))
            pango_cairo_show_layout_line(cr, line)
            y += lineHeight + (s.lineSpacing - 1) * st.size
            pageHasContent = true
        } while pango_layout_iter_next_line(iter) != 0
        y += spacingAfter
    }

    func titleBlock(_ t: String, _ sub: String?, _ lines: [String]) {
        paragraph(t, style: style(s.titleSize, bold: true), spacingAfter: 4, alignment: PANGO_ALIGN_CENTER)
        if let sub { paragraph(sub, style: style(s.heading2Size), spacingAfter: 4, alignment: PANGO_ALIGN_CENTER) }
        for l in lines { paragraph(l, style: style(s.bodySize, color: Color(red: 0.3, green: 0.3, blue: 0.3)), spacingAfter: 1, alignment: PANGO_ALIGN_CENTER) }
        y += 6
        rule(y, width: 0.6)
        y += 12
    }

    func rule(_ atY: Double, width w: Double, x: Double? = nil, length: Double? = nil) {
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_set_line_width(cr, w)
        cairo_move_to(cr, x ?? left, atY)
        cairo_line_to(cr, (x ?? left) + (length ?? textWidth), atY)
        cairo_stroke(cr)
    }

    /// Space the start of a block needs, so a heading is never left alone at the foot of a page.
    func minimumHeight(_ b: PDFDocument.Block) -> Double {
        switch b {
        case .figure(let f, let width, _):
            let w = min(width ?? f.size.widthPoints, textWidth)
            return f.size.heightPoints * w / f.size.widthPoints + 6 + 2 * s.captionSize * 1.3
        case .table: return 4 * s.tableSize * 1.6
        case .heading: return 2 * s.heading1Size + 3 * s.bodySize * 1.3
        default: return 3 * s.bodySize * 1.3
        }
    }

    func heading(_ t: String, level: Int, keepWith next: Double) {
        let size = level == 1 ? s.heading1Size : s.heading2Size
        let st = style(size, bold: true)
        let e = text.measure(t, style: st, width: textWidth)
        ensureSpace(e.height + size * 1.05 + min(next, bottom - doc.margin - e.height - size))
        y += pageHasContent ? size * 0.7 : 0
        let top = y
        paragraph(t, style: st, spacingAfter: size * 0.35)
        let parent = level == 1 ? Int32(CAIRO_PDF_OUTLINE_ROOT) : Int32(lastLevel1Outline)
        let id = cairo_pdf_surface_add_outline(surface, parent, LabelMarkup.plainText(fromMarkup: t), "page=\(page) pos=[\(formatPoints(left)) \(formatPoints(top))]",
                                               level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0))
        if level == 1 { lastLevel1Outline = Int(id) }
    }

    func figure(_ f: Figure, width: Double?, caption: String) throws {
        try f.validate()
        figureNumber += 1
        let natural = f.size.widthPoints
        let w = min(width ?? natural, textWidth)
        let scale = w / natural
        let h = f.size.heightPoints * scale
        let capStyle = style(s.captionSize)
        let capMarkup = "<b>Figure \(figureNumber).</b> " + caption
        let capHeight = text.measure(capMarkup, style: capStyle, width: textWidth).height
        ensureSpace(h + 6 + capHeight)
        let x = left + (textWidth - w) / 2
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, scale, scale)
        let renderer = CairoRenderer(context: cr)
        var drawer = FigureDrawer(layout: FigureLayout(f), renderer: renderer)
        drawer.draw()
        renderer.finish()
        cairo_restore(cr)
        y += h + 6
        pageHasContent = true
        paragraph(capMarkup, style: capStyle, spacingAfter: s.paragraphSpacing + 4)
    }

    /// Column widths and the body and header styles for table `t` of `columns` columns. Natural widths when they
    /// fit; otherwise every column keeps at least its longest word (so a number never breaks across lines) and the
    /// rest of the width goes to the columns in proportion to what they would still like (so the wordy cells
    /// wrap). If even the longest words do not fit, the table is set smaller (down to 72 %) before anything breaks.
    private func columnLayout(_ t: PDFDocument.Table, columns cols: Int, pad: Double)
        -> (widths: [Double], body: TextStyle, header: TextStyle) {
        func cell(_ row: [String], _ c: Int) -> String { c < row.count ? row[c] : "" }
        func longestWord(_ markup: String, _ style: TextStyle) -> Double {
            LabelMarkup.plainText(fromMarkup: markup).split(separator: " ").map {
                text.measure(LabelMarkup.escape(String($0)), style: style).width
            }.max() ?? 0
        }
        func columnWidths(_ st: TextStyle, _ hs: TextStyle) -> (natural: [Double], minimum: [Double]) {
            var natural = [Double](repeating: 0, count: cols), minimum = [Double](repeating: 0, count: cols)
            for c in 0..<cols {
                natural[c] = text.measure(cell(t.header, c), style: hs).width
                minimum[c] = longestWord(cell(t.header, c), hs)
                for r in t.rows {
                    natural[c] = max(natural[c], text.measure(cell(r, c), style: st).width)
                    minimum[c] = max(minimum[c], longestWord(cell(r, c), st))
                }
                natural[c] += 2 * pad
                minimum[c] += 2 * pad
            }
            return (natural, minimum)
        }
        var st = style(s.tableSize), hs = style(s.tableSize, bold: true)
        var (natural, minimum) = columnWidths(st, hs)
        if minimum.reduce(0, +) > textWidth {
            let size = s.tableSize * max(0.72, 0.98 * textWidth / minimum.reduce(0, +))
            st = style(size)
            hs = style(size, bold: true)
            (natural, minimum) = columnWidths(st, hs)
        }
        let total = natural.reduce(0, +), totalMinimum = minimum.reduce(0, +)
        if total <= textWidth { return (natural, st, hs) }
        if totalMinimum < textWidth {
            let spare = textWidth - totalMinimum, wanted = total - totalMinimum
            return ((0..<cols).map { minimum[$0] + spare * (natural[$0] - minimum[$0]) / wanted }, st, hs)
        }
        return (natural.map { $0 * textWidth / total }, st, hs)
    }

    func table(_ t: PDFDocument.Table) {
        let cols = max(t.header.count, t.rows.map(\.count).max() ?? 0)
        guard cols > 0 else { return }
        let pad = 4.0
        func cell(_ row: [String], _ c: Int) -> String { c < row.count ? row[c] : "" }
        let (widths, st, hs) = columnLayout(t, columns: cols, pad: pad)
        let tableWidth = widths.reduce(0, +)
        let x0 = left + (textWidth - tableWidth) / 2
        func align(_ c: Int) -> PangoAlignment {
            switch c < t.alignments.count ? t.alignments[c] : .left {
            case .left: return PANGO_ALIGN_LEFT
            case .center: return PANGO_ALIGN_CENTER
            case .right: return PANGO_ALIGN_RIGHT
            }
        }
        func rowHeight(_ row: [String], _ sty: TextStyle) -> Double {
            let tallest = (0..<cols).map {
                text.measure(cell(row, $0), style: sty, width: widths[$0] - 2 * pad).height
            }.max() ?? 0
            return tallest + 2 * pad * 0.6
        }
        func drawRow(_ row: [String], _ sty: TextStyle, height: Double, fill: Color?) {
            if let fill {
                cairo_set_source_rgba(cr, fill.red, fill.green, fill.blue, fill.alpha)
                cairo_rectangle(cr, x0, y, tableWidth, height)
                cairo_fill(cr)
            }
            var x = x0
            for c in 0..<cols {
                let l = text.makeLayout(cell(row, c), style: sty, width: widths[c] - 2 * pad, alignment: align(c))
                cairo_set_source_rgba(cr, sty.color.red, sty.color.green, sty.color.blue, 1)
                cairo_move_to(cr, x + pad, y + pad * 0.6)
                pango_cairo_show_layout(cr, l)
                g_object_unref(UnsafeMutableRawPointer(l))
                x += widths[c]
            }
            y += height
        }
        func header() {
            rule(y, width: 0.8, x: x0, length: tableWidth)
            drawRow(t.header, hs, height: rowHeight(t.header, hs), fill: nil)
            rule(y, width: 0.5, x: x0, length: tableWidth)
        }
        tableNumber += 1
        if let cap = t.caption {
            let capMarkup = "<b>Table \(tableNumber).</b> " + cap
            ensureSpace(text.measure(capMarkup, style: style(s.captionSize), width: textWidth).height + 3 * rowHeight(t.header, hs))
            paragraph(capMarkup, style: style(s.captionSize), spacingAfter: 4)
        }
        ensureSpace(rowHeight(t.header, hs) * 2.5)
        header()
        for (k, r) in t.rows.enumerated() {
            let h = rowHeight(r, st)
            if y + h > bottom {
                rule(y, width: 0.8, x: x0, length: tableWidth)
                newPage()
                header()        // repeat the header on the new page
            }
            drawRow(r, st, height: h, fill: t.zebra && k % 2 == 1 ? Color(red: 0.94, green: 0.95, blue: 0.97) : nil)
        }
        rule(y, width: 0.8, x: x0, length: tableWidth)
        y += s.paragraphSpacing + 6
        pageHasContent = true
    }
}
