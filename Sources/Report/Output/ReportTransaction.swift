import Foundation

/// One build of a report directory, shared by `ngd report` and `ngd paper`: the output location's checks, the
/// staging sibling everything is written into (locked while the build runs), and the atomic swap at the end.
/// The previous report stays exactly as it was until `commit()`; a swap that an earlier, killed build left half
/// done is undone when a transaction begins. Nothing is followed through a symbolic link and nothing is deleted
/// that ngd did not write. Keep the value alive until `commit()`: it holds the lock.
struct ReportTransaction {
    /// The standardized output directory.
    let output: String
    /// `.NAME.staging`, where the new report is assembled.
    let staging: String
    /// `.NAME.previous`, where the old report waits during the swap.
    let retired: String
    let startedAt = Date()
    private let clockStart = DispatchTime.now()
    private let lock: DirectoryLock

    /// Checks the output location against `inputs` (what the build reads), creates the output's parent and the
    /// staging directory, takes the lock and recovers an interrupted swap. Every refusal comes before anything
    /// is created.
    init(output: String, inputs: [String] = []) throws {
        try OutputLocation.checkReportDirectory(output, inputs: inputs)
        self.output = (output as NSString).standardizingPath
        staging = ReportBuilder.stagingPath(self.output)
        retired = ReportBuilder.retiredPath(self.output)
        try OutputLocation.checkSibling(staging)
        try OutputLocation.checkSibling(retired)
        if EntryKind(at: retired) == .directory, let foreign = ReportOwnership.firstForeignEntry(in: retired) {
            throw OutputRefusal(retired, foreign.reason)
        }
        let parent = PathText.parent(of: self.output)
        do {
            try FileManager.default.createDirectory(atPath: parent.isEmpty ? "." : parent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw ReportError.io(path: parent, message: "cannot create the directory: \(error.localizedDescription)")
        }
        let created = mkdir(staging, 0o777) == 0
        guard created || errno == EEXIST else {
            throw ReportError.io(path: staging, message: "cannot create the staging directory: "
                + "\(String(cString: strerror(errno)))")
        }
        lock = try DirectoryLock(directory: staging, building: self.output)
        do {
            if let foreign = ReportOwnership.firstForeignStagingEntry(in: staging) {
                throw OutputRefusal((staging as NSString).appendingPathComponent(foreign.path), foreign.reason)
            }
            try ReportBuilder.recoverInterruptedSwap(output: self.output, retired: retired)
        } catch {
            if created { rmdir(staging) }
            throw error
        }
    }

    /// The staging `runs/` directory.
    var stagingRuns: String { (staging as NSString).appendingPathComponent("runs") }

    /// Empties the staging directory except its `runs/` (results of an interrupted build, reused) and drops
    /// half-written cache entries; with `previousRuns`, copies the previous report's cached runs in as well.
    func prepareStaging(seedingRunsFrom previousRuns: String? = nil) throws {
        let fileManager = FileManager.default
        do {
            for entry in try fileManager.contentsOfDirectory(atPath: staging) where entry != "runs" {
                try fileManager.removeItem(atPath: (staging as NSString).appendingPathComponent(entry))
            }
            let runs = stagingRuns
            try fileManager.createDirectory(atPath: runs, withIntermediateDirectories: true)
            // Half-written cache entries of a killed process.
            for entry in try fileManager.contentsOfDirectory(atPath: runs) where entry.contains(".tmp-") {
                try fileManager.removeItem(atPath: (runs as NSString).appendingPathComponent(entry))
            }
            guard let previousRuns else { return }
            for entry in (try? fileManager.contentsOfDirectory(atPath: previousRuns)) ?? [] where entry.hasSuffix(".json") {
                let target = (runs as NSString).appendingPathComponent(entry)
                guard !fileManager.fileExists(atPath: target) else { continue }
                try? fileManager.copyItem(atPath: (previousRuns as NSString).appendingPathComponent(entry), toPath: target)
            }
        } catch {
            throw ReportError.io(path: staging, message: "cannot prepare the staging directory: "
                + "\(error.localizedDescription)")
        }
    }

    /// Deletes every entry of the staging `runs/` not named in `keep`, so that the directory is a function of
    /// what was asked for.
    func pruneRuns(keeping keep: Set<String>) {
        let fileManager = FileManager.default
        for file in (try? fileManager.contentsOfDirectory(atPath: stagingRuns)) ?? [] where !keep.contains(file) {
            try? fileManager.removeItem(atPath: (stagingRuns as NSString).appendingPathComponent(file))
        }
    }

    /// Renders every figure into staging: figures/ID.{pdf,svg,png,csv} and data/ID.json (its data). Returns the
    /// drawings and SVG texts by figure id, for the PDF and the HTML.
    func writeFigures(_ figures: [FigureData], configuration: ReportConfiguration) throws
        -> (rendered: [String: RenderedFigure], svgs: [String: String]) {
        var rendered: [String: RenderedFigure] = [:]
        var svgs: [String: String] = [:]
        for (index, figure) in figures.enumerated() {
            if configuration.shouldStop() { throw ReportError.interrupted }
            let drawing = try configuration.renderer.render(figure, idPrefix: "f\(index + 1)-")
            rendered[figure.id] = drawing
            svgs[figure.id] = String(decoding: drawing.svg, as: UTF8.self)
            let stem = (staging as NSString).appendingPathComponent("figures/\(figure.id)")
            try AtomicFile.write(drawing.pdf, to: stem + ".pdf")
            try AtomicFile.write(drawing.svg, to: stem + ".svg")
            try AtomicFile.write(drawing.png, to: stem + ".png")
            try AtomicFile.write(Data(figure.csv.utf8), to: stem + ".csv")
            try AtomicFile.write(CanonicalJSON.data(figure, pretty: true),
                                 to: (staging as NSString).appendingPathComponent("data/\(figure.id).json"))
        }
        return (rendered, svgs)
    }

    /// Writes report.html and, when the configuration has a PDF writer, report.pdf into staging.
    func writeReport(_ document: ReportDocument, figures: [FigureData], rendered: [String: RenderedFigure],
                     svgs: [String: String], configuration: ReportConfiguration) throws {
        let html = try HTMLReportWriter(templates: configuration.templates).html(for: document, svgs: svgs)
        try AtomicFile.write(Data(html.utf8), to: (staging as NSString).appendingPathComponent("report.html"))
        if let pdfWriter = configuration.pdfWriter {
            let byID = Dictionary(uniqueKeysWithValues: figures.map { ($0.id, $0) })
            try AtomicFile.write(pdfWriter.pdf(for: document, figures: byID, rendered: rendered),
                                 to: (staging as NSString).appendingPathComponent("report.pdf"))
        }
    }

    /// Writes timing.json (start date, wall time so far, run counts) into staging; returns the wall seconds.
    @discardableResult
    func writeTiming(runsTrained: Int, runsCached: Int) throws -> Double {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - clockStart.uptimeNanoseconds) / 1e9
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let timing = Timing(started: formatter.string(from: startedAt), wallSeconds: (seconds * 1000).rounded() / 1000,
                            runsTrained: runsTrained, runsCached: runsCached)
        try AtomicFile.write(CanonicalJSON.data(timing, pretty: true),
                             to: (staging as NSString).appendingPathComponent(Manifest.timingFileName))
        return seconds
    }

    /// Swaps the staging directory in for the output (two renames).
    func commit() throws {
        try withExtendedLifetime(lock) {
            try ReportBuilder.swapIn(staging: staging, output: output, retired: retired)
        }
    }
}
