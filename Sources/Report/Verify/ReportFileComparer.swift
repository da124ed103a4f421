import Foundation
import Render

/// Compares one file of a recorded report with the re-run's copy, by what the file holds: data (JSON, CSV) number
/// by number, pictures (PNG) pixel by pixel, text and vector files (SVG, PGF, TeX, HTML, PDF) word by word with
/// their numbers within tolerance — so the text and fonts of a figure or a document must match exactly.
struct ReportFileComparer {
    var tolerances: ComparisonTolerances
    /// Words of provenance values that changed (a core name, "thread"/"threads"): the report shows its provenance,
    /// which `ngd verify` prints apart, so a document's words that hold them are not counted as changed text.
    var provenanceWords: Set<[UInt8]> = []
    /// Provenance values that changed, as a document shows them: masked on both sides of a text document before its
    /// words are compared, whatever markup surrounds them.
    var provenanceValues: [MaskedValue] = []

    func compare(_ path: String, recorded: Data?, rerun: Data?) -> FileComparison {
        guard let original = recorded else {
            return FileComparison(path: path, outcome: .differs,
                                  problem: "not in the recorded report (the re-run made it)")
        }
        guard let changed = rerun else {
            return FileComparison(path: path, outcome: .differs, problem: "missing from the re-run")
        }
        if original == changed { return FileComparison(path: path, outcome: .identical) }
        let kind = Self.extension(path)
        let inPDF = provenanceValues.flatMap(\.pdfForms).sorted { $0.recorded.count > $1.recorded.count }
        func pdf(_ data: Data, side: KeyPath<MaskedValue, String>) -> Data {
            let masked = MaskedValue.mask(Data(PDFContent.comparable(data)), inPDF, side: side)
            guard !provenanceValues.isEmpty else { return masked }
            // values wrapped over several lines of the page are not one string there
            let text = String(decoding: masked, as: UTF8.self)    // `comparable` is UTF-8, as `mask` reads it
            return Data(PDFShownText.masking(text, values: provenanceValues.map { $0[keyPath: side] }).utf8)
        }
        let (recorded, rerun) = kind == "pdf"
            ? (pdf(original, side: \.recorded), pdf(changed, side: \.rerun))
            : MaskedValue.masked(provenanceValues, path: path, original, changed)
        var result: FileComparison
        switch kind {
        case "png":
            result = pixels(path, recorded, rerun)
        default:
            var tracker = dataTracker(path, recorded: recorded)
            var problem = numbers(path, recorded, rerun, tracker: &tracker)
            if let sequence = problem, Self.drawings.contains(kind) {
                let (old, new) = ([UInt8](recorded), [UInt8](rerun))
                // A PDF shows text as glyph codes of a font subset: when the provenance it shows changed, the
                // subset and codes change with it, so only its readable words are held to the set check.
                let glyphs = !provenanceWords.isEmpty && kind == "pdf"
                if let only = NumberedText.wordOnOneSide(old, new, ignoring: provenanceWords, readableOnly: glyphs) {
                    problem = only
                } else {
                    problem = nil
                    tracker.geometryMoved = "same words (text, fonts) in another order or number, e.g. a path's "
                        + "segments or the provenance shown (\(sequence))"
                }
            }
            result = tracker.comparison(path: path, problem: problem)
        }
        result.declaredReason = tolerances.declaration(for: path, at: result.largest?.location)?.reason
        return result
    }

    /// A cached run the re-run stored under another name (`RenamedRuns`): compared as one file, its name and `key`
    /// aside, so at best equivalent.
    func compareRenamedRun(_ path: String, recorded: Data?, as rerunPath: String, rerun: Data?) -> FileComparison {
        let shown = "\(path) (re-run: \(rerunPath))"
        guard let original = recorded, let changed = rerun else {
            return compare(shown, recorded: recorded, rerun: rerun)
        }
        let (recorded, rerun) = MaskedValue.masked(provenanceValues, path: path, original, changed)
        var tracker = dataTracker(path, recorded: recorded)
        let problem = DataFileComparison.json(recorded, rerun, tracker: &tracker,
                                              ignoring: DataFileComparison.unhashedKeys.union(["key"]))
        var result = tracker.comparison(path: shown, problem: problem)
        result.declaredReason = tolerances.declaration(for: path, at: result.largest?.location)?.reason
        return result
    }

    /// The tracker of a file's numbers: its declared tolerances and, in a run file, what its ratios of residuals
    /// inherit from the residuals (`ResidualRatios`).
    private func dataTracker(_ path: String, recorded: Data) -> DeviationTracker {
        var tracker = tolerances.tracker(for: path)
        if Self.extension(path) == "json" {
            tracker.inherited = ResidualRatios.allowances(
                in: recorded, residualTolerance: tracker.tolerance(forKey: ResidualRatios.residualKey))
        }
        return tracker
    }

    /// manifest.json, as text (an edit JSON would ignore, a space, still shows) without its `files` and
    /// `provenance` blocks: the hashes differ whenever any file does (each file is compared in its own right) and
    /// the provenance is printed apart. Everything else (spec, runs, claims, declared tolerances, data files) must
    /// match, numbers within tolerance.
    /// `renamedKeys` maps the re-run's key of each paired run (`RenamedRuns`) to the recorded one.
    func compareManifests(recorded: Data?, rerun: Data?, renamedKeys: [String: String] = [:]) -> FileComparison {
        let path = Manifest.fileName
        guard let recorded, var rerun else { return compare(path, recorded: recorded, rerun: rerun) }
        if !renamedKeys.isEmpty {
            var text = String(decoding: rerun, as: UTF8.self)
            for (new, old) in renamedKeys { text = text.replacingOccurrences(of: new, with: old) }
            rerun = Data(text.utf8)
        }
        if recorded == rerun { return FileComparison(path: path, outcome: .identical) }
        var tracker = DeviationTracker(tolerance: tolerances.numbers(for: path))
        let problem = NumberedText.compare(Self.withoutMachineBlocks(recorded), Self.withoutMachineBlocks(rerun),
                                           tracker: &tracker)
        return tracker.comparison(path: path, problem: problem)
    }

    /// The manifest's lines without the top-level `files` and `provenance` objects (pretty canonical JSON puts
    /// each top-level key at two spaces' indent and closes it there).
    static func withoutMachineBlocks(_ manifest: Data) -> [UInt8] {
        var kept: [Substring] = [], skipping = false
        for line in String(decoding: manifest, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if skipping {
                if line == "  }" || line == "  }," { skipping = false }
                continue
            }
            if line.hasPrefix("  \"files\" : {") || line.hasPrefix("  \"provenance\" : {") {
                skipping = !line.hasSuffix("}") && !line.hasSuffix("},")
                continue
            }
            kept.append(line)
        }
        return Array(kept.joined(separator: "\n").utf8)
    }

    static func `extension`(_ path: String) -> String { (path as NSString).pathExtension.lowercased() }

    /// `recorded` and `rerun` as `compare` prepared them (a PDF already as its comparable content).
    private func numbers(_ path: String, _ recorded: Data, _ rerun: Data, tracker: inout DeviationTracker) -> String? {
        switch Self.extension(path) {
        case "json": return DataFileComparison.json(recorded, rerun, tracker: &tracker)
        case "csv": return DataFileComparison.csv(recorded, rerun, tracker: &tracker)
        case "pdf":
            return NumberedText.compare([UInt8](recorded), [UInt8](rerun), tracker: &tracker,
                                        place: { "content line \($0)" })
        default: return NumberedText.compare([UInt8](recorded), [UInt8](rerun), tracker: &tracker)
        }
    }

    /// Files that draw (figures, and documents that embed them): when their sequence of words differs, the same
    /// set of distinct words means the same text and fonts with paths of another shape (a line at the rounding
    /// floor gains or loses a segment) — moved; a word found on one side only (a caption, a font name) — differs.
    static let drawings: Set<String> = ["svg", "pdf", "html", "pgf", "tex"]

    /// Two PNGs at the same raster size; the largest per-channel difference against the pixel tolerance.
    private func pixels(_ path: String, _ recorded: Data, _ rerun: Data) -> FileComparison {
        let old: RasterImage, new: RasterImage
        do {
            old = try RasterImage(png: recorded)
            new = try RasterImage(png: rerun)
        } catch {
            return FileComparison(path: path, outcome: .differs, problem: "not a readable PNG: \(error)")
        }
        guard old.width == new.width, old.height == new.height else {
            return FileComparison(path: path, outcome: .differs,
                                  problem: "\(old.width)×\(old.height) pixels recorded, "
                                      + "\(new.width)×\(new.height) in the re-run")
        }
        var largest = 0, worstIndex = 0
        for index in old.rgba.indices {
            let gap = abs(Int(old.rgba[index]) - Int(new.rgba[index]))
            if gap > largest { largest = gap; worstIndex = index }
        }
        let deviation = Double(largest) / 255
        var result = FileComparison(path: path, outcome: deviation == 0 ? .equivalent
                                        : deviation <= tolerances.pixels(for: path) ? .equivalent : .moved)
        result.pixelDeviation = deviation
        if largest > 0 {
            let pixel = worstIndex / 4
            result.largest = Deviation(location: "pixel (\(pixel % old.width), \(pixel / old.width))",
                                       recorded: Double(old.rgba[worstIndex]) / 255,
                                       rerun: Double(new.rgba[worstIndex]) / 255, relative: deviation,
                                       toleranceUsed: deviation / max(tolerances.pixels(for: path), 1e-300))
        }
        return result
    }
}
