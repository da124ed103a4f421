import Foundation
import NGD
import Testing
@testable import Render
@testable import Report

/// `ngd verify`'s levels, with a real report (engine, Cairo figures) copied and changed the way another machine's
/// re-run could change it: numbers by a few ulps, a value behind a claim, a figure gone, a caption or font changed.
@Suite struct VerifyLevelTests {
    /// Two runs from the same initialisation, so the claim holds with equality: any upward move of NGD's first
    /// residual flips it.
    static let spec = """
    title: Verify levels
    seed: 3
    datasets:
      sphere: {kind: synthetic, n: 6, d: 3, outputs: 1}
    models:
      small: {width: 128}
    optimizers:
      ngd: {kind: ngd, lr: 0.5}
      gd: {kind: gd, lr: 1/lambda_max}
    runs:
      - {id: ngd, dataset: sphere, model: small, optimizer: ngd, steps: 3}
      - {id: gd, dataset: sphere, model: small, optimizer: gd, steps: 3}
    figures:
      - id: residual
        kind: convergence
        runs: [ngd, gd]
        metric: residual_norm
        caption: Residual per step.
    claims:
      - id: same-start
        statement: NGD and GD start from the same residual.
        measured: at(ngd.residual_norm, 0)
        predicted: at(gd.residual_norm, 0)
        compare: "<="
    """

    /// A report and a copy of it standing for the re-run.
    static func reportAndCopy(spec: String = spec) throws -> (TemporaryDirectory, String, String) {
        let directory = try TemporaryDirectory()
        let recorded = directory.appending("report"), rerun = directory.appending("rerun")
        var configuration = ReportConfiguration.standard()
        configuration.environment = [:]
        try ReportBuilder(configuration: configuration).build(specSource: spec, specFile: "levels.yaml", into: recorded)
        try FileManager.default.copyItem(atPath: recorded, toPath: rerun)
        return (directory, recorded, rerun)
    }

    /// Multiplies every fractional number (integers are counts and sizes) in `path` by 1 + `relative`.
    static func perturb(_ path: String, by relative: Double) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "(?<![A-Za-z0-9_.])-?[0-9]+\\.[0-9]+(e-?[0-9]+)?")
        var result = "", last = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text), let value = Double(text[range]) else { continue }
            result += text[last..<range.lowerBound] + String(format: "%.17g", value * (1 + relative))
            last = range.upperBound
        }
        try (result + text[last...]).write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func files(in root: String, under folder: String, ending suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (root as NSString).appendingPathComponent(folder))
            .filter { $0.hasSuffix(suffix) }.map { (root as NSString).appendingPathComponent("\(folder)/\($0)") }
    }

    @Test func anUnchangedCopyIsIdentical() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .identical)
        #expect(comparison.files.isEmpty && comparison.identicalFiles > 5)
        _ = directory
    }

    @Test func numbersMovedByAFewUlpsAreEquivalent() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let data = try Self.files(in: rerun, under: "data", ending: ".json") + Self.files(in: rerun, under: "runs", ending: ".json")
            + Self.files(in: rerun, under: "figures", ending: ".csv")
        for path in data { try Self.perturb(path, by: 1e-14) }
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .equivalent)
        #expect(comparison.claims.allSatisfy { !$0.flipped })
        #expect(comparison.largestRelative > 1e-15 && comparison.largestRelative < 1e-13)
        let csv = try #require(comparison.files.first { $0.path == "figures/residual.csv" })
        #expect(csv.outcome == .equivalent)
        #expect(csv.largest?.location.hasPrefix("row ") == true)
        #expect(comparison.files.count == data.count)
        _ = directory
    }

    /// Stores the re-run's GD run under another key, its numbers multiplied by 1 + 1e-14 (as a re-run does when a
    /// computed learning rate, 1/λ_max, moves in its last digits) and its settings edited by `edit`; returns both
    /// names.
    static func renameGDRun(in rerun: String, edit: (inout [String: Any]) -> Void = { _ in }) throws
        -> (String, String) {
        let runs = try files(in: rerun, under: "runs", ending: ".json")
        let gd = runs.first { path in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self).contains("\"gd\"") }
                ?? false
        }
        let path = try #require(gd)
        try perturb(path, by: 1e-14)
        let oldKey = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let newKey = String(repeating: "0", count: oldKey.count)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: oldKey, with: newKey)
        var entry = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var settings = try #require(entry["run"] as? [String: Any])
        edit(&settings)
        entry["run"] = settings
        let moved = (rerun as NSString).appendingPathComponent("runs/\(newKey).json")
        try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]).write(to: URL(fileURLWithPath: moved))
        try FileManager.default.removeItem(atPath: path)
        let manifest = (rerun as NSString).appendingPathComponent(Manifest.fileName)
        try String(contentsOfFile: manifest, encoding: .utf8).replacingOccurrences(of: oldKey, with: newKey)
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        return ("runs/\(oldKey).json", "runs/\(newKey).json")
    }

    @Test func aRunStoredUnderAnotherKeyWithSettingsWithinToleranceIsPairedAndEquivalent() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let (old, new) = try Self.renameGDRun(in: rerun)
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .equivalent)
        let paired = try #require(comparison.files.first { $0.path.hasPrefix(old) })
        #expect(paired.path == "\(old) (re-run: \(new))" && paired.outcome == .equivalent)
        _ = directory
    }

    @Test func aRunStoredUnderAnotherKeyWithOtherSettingsIsMissingAndExtra() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let (old, new) = try Self.renameGDRun(in: rerun) { $0["steps"] = 4 }
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .differs)
        #expect(comparison.files.first { $0.path == old }?.problem == "missing from the re-run")
        #expect(comparison.files.first { $0.path == new }?.problem == "not in the recorded report (the re-run made it)")
        _ = directory
    }

    @Test func aChangedCommitShownInTheDocumentsIsProvenanceNotAChangedText() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let manifestPath = (rerun as NSString).appendingPathComponent(Manifest.fileName)
        let manifest = try #require(FileManager.default.contents(atPath: manifestPath))
        let header = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
        let commit = try #require((header["provenance"] as? [String: Any])?["git_commit"] as? String)
        // A commit that starts with digits and an "e" reads as a number followed by a word: the masking must not
        // depend on how the text splits.
        let other = "6598e1d9993b546a7c5de292faf833df505c8aae"
        for file in [Manifest.fileName, "report.html"] {
            let path = (rerun as NSString).appendingPathComponent(file)
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: commit, with: other)
                .replacingOccurrences(of: String(commit.prefix(12)), with: String(other.prefix(12)))
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.provenance.contains { $0.hasPrefix("git commit: \(commit)") && $0.contains("→ \(other)") })
        #expect(comparison.level == .equivalent)
        #expect(comparison.files.first { $0.path == "report.html" }?.outcome == .equivalent)
        _ = directory
    }

    /// A report made from a tree with uncommitted changes, re-run after they were committed (or the other way): the
    /// page header's "(uncommitted changes)" is provenance, printed first, not a changed text.
    @Test func aChangedDirtyMarkIsProvenanceNotAChangedText() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let manifestPath = (rerun as NSString).appendingPathComponent(Manifest.fileName)
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        let wasDirty = manifest.contains("\"git_dirty\" : true")
        try #require(wasDirty || manifest.contains("\"git_dirty\" : false"))
        try manifest.replacingOccurrences(of: "\"git_dirty\" : \(wasDirty)", with: "\"git_dirty\" : \(!wasDirty)")
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let html = (rerun as NSString).appendingPathComponent("report.html")
        var text = try String(contentsOfFile: html, encoding: .utf8)
        let mark = " (uncommitted changes)", rowMark = " (dirty: uncommitted changes)"
        if wasDirty {
            text = text.replacingOccurrences(of: "</code>" + mark, with: "</code>")
                .replacingOccurrences(of: rowMark, with: "")
        } else {
            let header = try #require(text.range(of: "</code>"))
            text.replaceSubrange(header, with: "</code>" + mark)
            let commit = try #require(try ManifestHeader.read(from: recorded).provenance?.gitCommit)
            let row = try #require(text.range(of: commit + "<"))
            text.replaceSubrange(row, with: commit + rowMark + "<")
        }
        try text.write(toFile: html, atomically: true, encoding: .utf8)
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.provenance.contains { $0.contains("dirty") || $0.contains("uncommitted") })
        #expect(comparison.level == .equivalent)
        #expect(comparison.files.first { $0.path == "report.html" }?.outcome == .equivalent)
        _ = directory
    }

    /// The same data read from another directory (`ngd verify --mnist-dir` elsewhere): the directory the files show
    /// is where the data were read, not a changed text.
    @Test func theDataDirectoryReadElsewhereIsNotAChangedText() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let html = (rerun as NSString).appendingPathComponent("report.html")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        try #require(text.contains("Residual per step"))
        try text.replacingOccurrences(of: "Residual per step", with: "/elsewhere/Residual per step")
            .write(toFile: html, atomically: true, encoding: .utf8)
        let moved = try ReportComparison.between(recorded: recorded, rerun: rerun,
                                                 dataLocation: ("Residual per step", "/elsewhere/Residual per step"))
        #expect(moved.level == .equivalent)
        let unexplained = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(unexplained.level == .differs)
        _ = directory
    }

    @Test func aValueBehindAClaimMovedBy1e3FlipsTheClaimAndDiffers() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        for path in try Self.files(in: rerun, under: "runs", ending: ".json") {
            let data = try #require(FileManager.default.contents(atPath: path))
            var entry = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let run = try #require(entry["run"] as? [String: Any]), optimizer = run["optimizer"] as? [String: Any]
            guard optimizer?["kind"] as? String == "ngd" else { continue }
            var result = try #require(entry["result"] as? [String: Any])
            var series = try #require(result["series"] as? [String: Any])
            var residuals = try #require(series["residual_norm"] as? [Double])
            residuals[0] *= 1 + 1e-3
            series["residual_norm"] = residuals
            result["series"] = series
            entry["result"] = result
            try JSONSerialization.data(withJSONObject: entry).write(to: URL(fileURLWithPath: path))
        }
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .differs)
        let claim = try #require(comparison.claims.first { $0.id == "same-start" })
        #expect(claim.flipped && claim.recordedPassed && claim.rerunPassed == false)
        let moved = try #require(comparison.files.first { $0.path.hasPrefix("runs/") })
        #expect(moved.outcome == .moved)
        #expect(abs((moved.largest?.relative ?? 0) - 1e-3) < 1e-5)
        #expect(moved.largest?.location == "result.series.residual_norm[0]")
        _ = directory
    }

    @Test func aDeletedFigureDiffers() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        try FileManager.default.removeItem(atPath: (rerun as NSString).appendingPathComponent("figures/residual.png"))
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .differs)
        #expect(comparison.files.first { $0.path == "figures/residual.png" }?.problem == "missing from the re-run")
        _ = directory
    }

    @Test func aChangedCaptionDiffers() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let html = (rerun as NSString).appendingPathComponent("report.html")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.contains("Residual per step."))
        try text.replacingOccurrences(of: "Residual per step.", with: "Residual per stop.")
            .write(toFile: html, atomically: true, encoding: .utf8)
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .differs)
        let file = try #require(comparison.files.first { $0.path == "report.html" })
        #expect(file.outcome == .differs && file.problem?.contains("stop") == true)
        _ = directory
    }

    @Test func aChangedFontInAFigurePDFDiffers() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let pdf = (rerun as NSString).appendingPathComponent("figures/residual.pdf")
        let bytes = try #require(FileManager.default.contents(atPath: pdf))
        let text = try #require(String(data: bytes, encoding: .isoLatin1))
        let font = try #require(text.range(of: "/BaseFont /[A-Z]{6}\\+[A-Za-z]+", options: .regularExpression))
        let name = text[font]
        // Another font of a name as long, so nothing but the font changes.
        let other = String(name.dropLast(4)) + (name.hasSuffix("Sans") ? "Mono" : "Sans")
        let changed = try #require(text.replacingOccurrences(of: name, with: other).data(using: .isoLatin1))
        try changed.write(to: URL(fileURLWithPath: pdf))
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .differs)
        let file = try #require(comparison.files.first { $0.path == "figures/residual.pdf" })
        #expect(file.outcome == .differs && file.problem?.contains(String(other.suffix(4))) == true)
        _ = directory
    }

    @Test func pixelsWithinTheirToleranceAreEquivalentAndBeyondItMoved() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let png = (rerun as NSString).appendingPathComponent("figures/residual.png")
        let original = try RasterImage(png: try #require(FileManager.default.contents(atPath: png)))
        for (step, expected) in [(1, ReproducibilityLevel.equivalent), (60, .claimsHold)] {
            var image = original
            image.rgba[400] = image.rgba[400] >= 128 ? image.rgba[400] - UInt8(step) : image.rgba[400] + UInt8(step)
            try image.pngData().write(to: URL(fileURLWithPath: png))
            let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
            #expect(comparison.level == expected)
            let file = try #require(comparison.files.first { $0.path == "figures/residual.png" })
            #expect(file.pixelDeviation == Double(step) / 255)
            #expect(file.largest?.location == "pixel (100, 0)")
        }
        _ = directory
    }

    @Test func aNaNWhereANumberWasFiniteDiffers() throws {
        let (directory, recorded, rerun) = try Self.reportAndCopy()
        let csv = (rerun as NSString).appendingPathComponent("figures/residual.csv")
        var lines = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\n")
        var cells = lines[1].components(separatedBy: ",")
        cells[4] = "nan"
        lines[1] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .differs)
        #expect(comparison.files.first { $0.path == "figures/residual.csv" }?.problem?.contains("NaN in the re-run") == true)
        _ = directory
    }

    @Test func aToleranceTheSpecDeclaresReplacesTheDefaultForItsFiles() throws {
        let declaring = Self.spec + """

        reproducibility:
          tolerances:
            - files: ["figures/residual*"]
              relative: 1e-2
              absolute: 1e-12
              reason: the residual figure stands in for a chaotic trace.
        """
        for (spec, expected) in [(Self.spec, ReproducibilityLevel.claimsHold), (declaring, .equivalent)] {
            let (directory, recorded, rerun) = try Self.reportAndCopy(spec: spec)
            try Self.perturb((rerun as NSString).appendingPathComponent("figures/residual.csv"), by: 1e-4)
            let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
            #expect(comparison.level == expected)
            let csv = try #require(comparison.files.first { $0.path == "figures/residual.csv" })
            #expect((csv.declaredReason != nil) == (spec == declaring))
            #expect(try ManifestHeader.read(from: recorded).reproducibility?.tolerances.first?.relative
                        == (spec == declaring ? 1e-2 : nil))
            _ = directory
        }
    }
}
