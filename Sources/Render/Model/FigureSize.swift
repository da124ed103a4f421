import Foundation

/// Physical size of a figure in inches.
public struct FigureSize: Hashable, Sendable, Codable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
    public static func inches(_ width: Double, _ height: Double) -> FigureSize { FigureSize(width: width, height: height) }

    /// NeurIPS text width (5.5 in); height = aspect × width unless `height` is given.
    public static func neurips(aspect: Double = FigureSizePreset.neurips.aspect, height: Double? = nil) -> FigureSize {
        FigureSizePreset.neurips.size(aspect: aspect, height: height)
    }
    public static func icmlColumn(aspect: Double = FigureSizePreset.icmlColumn.aspect,
                                  height: Double? = nil) -> FigureSize {
        FigureSizePreset.icmlColumn.size(aspect: aspect, height: height)
    }
    public static func icmlFull(aspect: Double = FigureSizePreset.icmlFull.aspect, height: Double? = nil) -> FigureSize {
        FigureSizePreset.icmlFull.size(aspect: aspect, height: height)
    }

    /// Parses a preset name (height = its aspect × width, or `aspect` when given) or "WxH" in inches ("5.5x3").
    public init(parsing text: String, aspect: Double? = nil) throws {
        self = try FigureSizeChoice(parsing: text).size(aspect: aspect)
    }

    var widthPoints: Double { width * 72 }
    var heightPoints: Double { height * 72 }
}

/// The venue presets: the text widths of the style files and the height/width ratio a plot of that width gets
/// (column figures are relatively taller, full-width ones flatter). The one table of figure sizes: specs, `ngd
/// plot` and `ngd figure1` all read it; a figure kind that needs another shape passes its own aspect.
public enum FigureSizePreset: String, CaseIterable, Codable, Sendable {
    // Raw values are the spellings specs and manifests use; the command line also takes hyphens.
    case neurips
    case neuripsHalf = "neurips_half"
    case icmlColumn = "icml_column"
    case icmlFull = "icml_full"

    public var width: Double {
        switch self {
        case .neurips: return 5.5
        case .neuripsHalf: return 2.7
        case .icmlColumn: return 3.25
        case .icmlFull: return 6.75
        }
    }

    public var aspect: Double {
        switch self {
        case .neurips: return 0.62
        case .neuripsHalf: return 0.8
        case .icmlColumn: return 0.75
        case .icmlFull: return 0.45
        }
    }

    /// The command-line spelling: "icml-column".
    public var name: String { rawValue.replacingOccurrences(of: "_", with: "-") }

    /// A preset from either spelling ("icml-column", "icml_column"), ignoring case.
    public init?(name: String) {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        self.init(rawValue: key)
    }

    /// This preset's width; height = `aspect` × width (the preset's own aspect by default) unless `height` is given.
    public func size(aspect: Double? = nil, height: Double? = nil) -> FigureSize {
        FigureSize(width: width, height: height ?? width * (aspect ?? self.aspect))
    }
}

/// A figure size as a user gives it: a venue preset or explicit inches. Decoded from a spec as a preset name or
/// `{width, height}`; parsed from the command line as a preset name or "WxH".
public enum FigureSizeChoice: Codable, Hashable, Sendable {
    case preset(FigureSizePreset)
    case inches(width: Double, height: Double)

    /// The largest side accepted from the command line, in inches.
    public static let maximumInches = 50.0

    /// "neurips", "icml-column" (or "icml_column"), … or "WxH" in inches, each side in (0.5, 50].
    public init(parsing text: String) throws {
        if let preset = FigureSizePreset(name: text) {
            self = .preset(preset)
            return
        }
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased()
            .split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Double(parts[0]), let height = Double(parts[1]) else {
            throw RenderError("figure size", "'\(text)' is not \(Self.presetNames) or WxH in inches (e.g. 5.5x3)")
        }
        guard width.isFinite, height.isFinite, width > 0.5, height > 0.5,
              width <= Self.maximumInches, height <= Self.maximumInches else {
            throw RenderError("figure size", "'\(text)': width and height must be between 0.5 and 50 inches")
        }
        self = .inches(width: width, height: height)
    }

    /// The preset names as the command line spells them: "neurips, neurips-half, icml-column or icml-full".
    public static var presetNames: String {
        let names = FigureSizePreset.allCases.map(\.name)
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }

    /// The size; a preset's height is `aspect` × its width when `aspect` is given (a figure kind with another
    /// shape), else its own aspect. Explicit inches are kept as given.
    public func size(aspect: Double? = nil) -> FigureSize {
        switch self {
        case .preset(let preset): return preset.size(aspect: aspect)
        case .inches(let width, let height): return FigureSize(width: width, height: height)
        }
    }

    /// Width and height in inches, at the preset's own aspect.
    public var inches: (width: Double, height: Double) {
        let size = size()
        return (size.width, size.height)
    }

    private struct Explicit: Codable { var width: Double; var height: Double }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let name = try? container.decode(String.self) {
            guard let preset = FigureSizePreset(rawValue: name) else {
                let names = FigureSizePreset.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "expected one of \(names) or {width, height} in inches, got \"\(name)\""))
            }
            self = .preset(preset)
        } else {
            let explicit = try container.decode(Explicit.self)
            self = .inches(width: explicit.width, height: explicit.height)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .preset(let preset): try container.encode(preset.rawValue)
        case .inches(let width, let height): try container.encode(Explicit(width: width, height: height))
        }
    }
}
