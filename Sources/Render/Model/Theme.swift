import Foundation
import CPangoCairo

/// Everything about the look of a figure, as data (Codable, so a user may restyle without recompiling).
/// Sizes are in PostScript points (1/72 in).
public struct Theme: Hashable, Sendable, Codable {
    /// Comma-separated font family list handed to Pango; glyphs missing from the first family come from the next.
    public var fontFamily: String
    public var baseSize: Double
    public var tickLabelSize: Double
    public var axisLabelSize: Double
    public var titleSize: Double
    public var legendSize: Double
    public var panelLabelSize: Double
    public var lineWidth: Double
    public var axisLineWidth: Double
    public var referenceLineWidth: Double
    public var markerSize: Double
    public var majorTickLength: Double
    public var minorTickLength: Double
    public var palette: [Color]
    /// Series styles cycle through these together with the palette so curves stay distinct in greyscale.
    public var lineStyleCycle: [LineStyle]
    public var markerCycle: [MarkerShape]
    public var textColor: Color
    public var axisColor: Color
    public var gridColor: Color
    public var showGrid: Bool
    public var bandOpacity: Double

    public init(fontFamily: String = Theme.defaultFontFamily, baseSize: Double = 8.5, tickLabelSize: Double = 7.5,
                axisLabelSize: Double = 8.5, titleSize: Double = 9, legendSize: Double = 7.5, panelLabelSize: Double = 9,
                lineWidth: Double = 1.25, axisLineWidth: Double = 0.6, referenceLineWidth: Double = 0.8,
                markerSize: Double = 4.5, majorTickLength: Double = 3.5, minorTickLength: Double = 2,
                palette: [Color] = Color.okabeIto, lineStyleCycle: [LineStyle] = [.solid, .dashed, .dashDot, .dotted],
                markerCycle: [MarkerShape] = [.circle, .square, .triangle, .diamond, .star, .plus, .cross],
                textColor: Color = .black, axisColor: Color = Color(red: 0.15, green: 0.15, blue: 0.15),
                gridColor: Color = Color(red: 0.9, green: 0.9, blue: 0.9), showGrid: Bool = false, bandOpacity: Double = 0.22) {
        self.fontFamily = fontFamily; self.baseSize = baseSize; self.tickLabelSize = tickLabelSize
        self.axisLabelSize = axisLabelSize; self.titleSize = titleSize; self.legendSize = legendSize
        self.panelLabelSize = panelLabelSize; self.lineWidth = lineWidth; self.axisLineWidth = axisLineWidth
        self.referenceLineWidth = referenceLineWidth; self.markerSize = markerSize
        self.majorTickLength = majorTickLength; self.minorTickLength = minorTickLength; self.palette = palette
        self.lineStyleCycle = lineStyleCycle; self.markerCycle = markerCycle; self.textColor = textColor
        self.axisColor = axisColor; self.gridColor = gridColor; self.showGrid = showGrid; self.bandOpacity = bandOpacity
    }

    /// For figures about 5.5 in wide (a NeurIPS text-width figure): 7.5–9 pt text, like the paper's captions.
    public static let paper = Theme()

    /// For slides: bigger text and thicker lines.
    public static let slides = Theme(baseSize: 14, tickLabelSize: 12, axisLabelSize: 14, titleSize: 15, legendSize: 12,
                                     panelLabelSize: 15, lineWidth: 2.2, axisLineWidth: 1, referenceLineWidth: 1.4,
                                     markerSize: 8, majorTickLength: 5, minorTickLength: 3)

    /// The built-in themes by name, as specs and the command line spell them.
    public enum Name: String, CaseIterable, Codable, Sendable {
        case paper, slides

        public var theme: Theme {
            switch self {
            case .paper: return .paper
            case .slides: return .slides
            }
        }
    }

    /// CMU Serif first (Computer Modern with Greek), then Latin Modern Roman (has ∞ and ‖ but no Greek), then
    /// DejaVu Serif; only installed families are listed, so the list is honest about what will be used.
    public static let defaultFontFamily: String = {
        let wanted = ["CMU Serif", "Latin Modern Roman", "DejaVu Serif"]
        let found = wanted.filter(FontCatalog.isInstalled)
        return (found.isEmpty ? ["serif"] : found + ["serif"]).joined(separator: ",")
    }()

    func color(forSeries i: Int) -> Color { palette.isEmpty ? .black : palette[i % palette.count] }
    func lineStyle(forSeries i: Int) -> LineStyle { lineStyleCycle.isEmpty ? .solid : lineStyleCycle[i % lineStyleCycle.count] }
    func marker(forSeries i: Int) -> MarkerShape { markerCycle.isEmpty ? .circle : markerCycle[i % markerCycle.count] }
}

/// Fontconfig queries: which families exist, and which file a family resolves to (for provenance).
public enum FontCatalog {
    public static func isInstalled(_ family: String) -> Bool {
        guard let pattern = FcPatternCreate() else { return false }
        defer { FcPatternDestroy(pattern) }
        guard let os = FcObjectSetCreate() else { return false }
        defer { FcObjectSetDestroy(os) }
        FcPatternAddString(pattern, FC_FAMILY, family)
        FcObjectSetAdd(os, FC_FAMILY)
        guard let set = FcFontList(nil, pattern, os) else { return false }
        defer { FcFontSetDestroy(set) }
        return set.pointee.nfont > 0
    }

    /// The font file fontconfig picks for `family` (e.g. to record a SHA-256 in provenance), or nil.
    public static func filePath(forFamily family: String) -> String? {
        guard let pattern = FcNameParse(family) else { return nil }
        defer { FcPatternDestroy(pattern) }
        FcConfigSubstitute(nil, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(nil, pattern, &result) else { return nil }
        defer { FcPatternDestroy(match) }
        var file: UnsafeMutablePointer<FcChar8>? = nil
        guard FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch, let f = file else { return nil }
        return String(cString: f)
    }

    /// Font files behind a comma-separated family list (e.g. `Theme.fontFamily`), deduplicated, in list order.
    public static func files(forFamilies list: String) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for fam in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !fam.isEmpty {
            if let f = filePath(forFamily: fam), seen.insert(f).inserted { out.append(f) }
        }
        return out
    }

    /// Versions of the drawing libraries, for provenance.
    public static var cairoVersion: String { String(cString: cairo_version_string()) }
    public static var pangoVersion: String { String(cString: pango_version_string()) }
}
