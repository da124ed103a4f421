import Foundation

/// A figure is a picture of its data, and the report a document of all of them: where the data are equivalent,
/// so is the drawing, even when its picture moved. On a log axis a residual at the rounding floor (1e-15 against
/// 2e-15: within the absolute floor) is drawn a decade lower, and a segment may gain a point; that is its data
/// moving within tolerance, not another result. The words of every drawing (its text and fonts) are still held
/// to be the same (a changed caption or font differs), and the picture's largest deviation is still reported. A
/// figure that moved while its data are byte-identical stays moved: another renderer drew it. The report's
/// documents also show the provenance (a centred header line is placed by the width of the commit it shows), so
/// where that changed, they are settled by data that are identical too.
enum DrawnData {
    /// `files` (every comparison that is not identical) with each moved drawing settled by its data: a figure
    /// `figures/NAME.EXT` by `figures/NAME.csv` and `data/NAME.json`, the report's documents by every data file.
    /// `reportFiles`: every path the recorded report holds; `provenanceChanged`: whether the provenance the
    /// documents show differs between the report and its re-run.
    static func settle(_ files: [FileComparison], reportFiles: Set<String>,
                       provenanceChanged: Bool = false) -> [FileComparison] {
        let outcomes = Dictionary(files.map { ($0.path, $0.outcome) }, uniquingKeysWith: { first, _ in first })
        let dataFiles = reportFiles.filter(isData).sorted()
        return files.map { file in
            guard file.outcome == .moved, isDrawing(file.path) else { return file }
            let isFigure = file.path.hasPrefix("figures/")
            let data = isFigure ? figureData(file.path, in: reportFiles) : dataFiles
            guard !data.isEmpty, data.allSatisfy({ (outcomes[$0] ?? .identical) <= .equivalent }) else { return file }
            let dataMoved = data.contains { outcomes[$0] == .equivalent }
            // Over identical data only the shown provenance explains a move, and only a document shows it.
            guard dataMoved || (!isFigure && provenanceChanged) else { return file }
            var settled = file
            settled.outcome = .equivalent
            let named = data.count > 2 ? "every data file (\(data.count))" : data.joined(separator: ", ")
            settled.drawnFrom = "drawn from \(named), which are " + (dataMoved ? "equivalent" : "identical")
                + (isFigure || !provenanceChanged ? "" : "; it shows the provenance that changed")
            return settled
        }
    }

    private static func figureData(_ path: String, in reportFiles: Set<String>) -> [String] {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let stem = (path as NSString).deletingPathExtension
        return ["\(stem).csv", "data/\(name).json"].filter(reportFiles.contains)
    }

    private static func isDrawing(_ path: String) -> Bool {
        let kind = ReportFileComparer.extension(path)
        return kind == "png" || ReportFileComparer.drawings.contains(kind)
    }

    private static func isData(_ path: String) -> Bool {
        let kind = ReportFileComparer.extension(path)
        return (kind == "json" || kind == "csv") && path != Manifest.fileName
    }
}
