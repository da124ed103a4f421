import Foundation
import NGD
import Testing
@testable import Render
@testable import Report

/// What `ngd verify` lets a number move by because of where it comes from: a ratio of residuals inherits their
/// allowance, a key a report declared sensitive takes the declared tolerance, and a drawing whose data moved within
/// tolerance is equivalent however far its picture moved.
@Suite struct VerifyInheritedToleranceTests {
    /// NGD trains to the rounding floor, GD does not.
    static let spec = VerifyLevelTests.spec.replacingOccurrences(
        of: "optimizer: ngd, steps: 3", with: "optimizer: ngd, steps: 120")

    /// Edits the series of the re-run's runs trained by `optimizer` (nil: a value that is not a number, such as the
    /// last step's "nan" ratio, which is written back as it was).
    static func editSeries(in rerun: String, optimizer: String, _ edit: (inout [String: [Double?]]) throws -> Void) throws {
        for path in try VerifyLevelTests.files(in: rerun, under: "runs", ending: ".json") {
            let data = try #require(FileManager.default.contents(atPath: path))
            var entry = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let run = try #require(entry["run"] as? [String: Any])
            guard (run["optimizer"] as? [String: Any])?["kind"] as? String == optimizer else { continue }
            var result = try #require(entry["result"] as? [String: Any])
            let recorded = try #require(result["series"] as? [String: Any])
            var series = recorded.compactMapValues { ($0 as? [Any])?.map { $0 as? Double } }
            try edit(&series)
            var written = recorded
            for (key, values) in series {
                guard let original = recorded[key] as? [Any], original.count == values.count else { continue }
                written[key] = zip(original, values).map { old, new in new.map { $0 as Any } ?? old }
            }
            result["series"] = written
            entry["result"] = result
            try JSONSerialization.data(withJSONObject: entry).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func aRatioOfResidualsAtTheRoundingFloorInheritsTheirAllowance() throws {
        let (directory, recorded, rerun) = try VerifyLevelTests.reportAndCopy(spec: Self.spec)
        // Another kernel's last step at the floor: a residual of ~1e-16 doubled (within the absolute floor 1e-12),
        // so the ratio that ends there doubles too.
        try Self.editSeries(in: rerun, optimizer: "ngd") { series in
            var residuals = try #require(series["residual_norm"]), ratios = try #require(series["contraction_ratio"])
            let last = residuals.count - 1
            let floor = try #require(residuals[last])
            try #require(floor < 1e-13 && floor > 0)
            residuals[last] = 2 * floor
            ratios[last - 1] = try #require(ratios[last - 1]) * 2
            series["residual_norm"] = residuals
            series["contraction_ratio"] = ratios
        }
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .equivalent)
        let run = try #require(comparison.files.first { $0.path.hasPrefix("runs/") })
        // The doubled residual and ratio are both there (relative deviation 1/2), within what they may move by.
        #expect(run.outcome == .equivalent && comparison.largestRelative == 0.5)
        _ = directory
    }

    @Test func aRatioOfResidualsFarAboveTheFloorKeepsTheDefaultTolerance() throws {
        let (directory, recorded, rerun) = try VerifyLevelTests.reportAndCopy(spec: Self.spec)
        try Self.editSeries(in: rerun, optimizer: "ngd") { series in
            var ratios = try #require(series["contraction_ratio"])
            ratios[2] = try #require(ratios[2]) * (1 + 1e-6)
            series["contraction_ratio"] = ratios
        }
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .claimsHold)
        let run = try #require(comparison.files.first { $0.path.hasPrefix("runs/") })
        #expect(run.outcome == .moved && run.largest?.location == "result.series.contraction_ratio[2]")
        _ = directory
    }

    @Test func aKeyDeclaredSensitiveTakesItsToleranceAndTheFilesOtherKeysKeepTheDefault() throws {
        let declaring = Self.spec + """

        reproducibility:
          tolerances:
            - files: ["runs/*"]
              keys: [gram_lambda_min]
              relative: 0.1
              absolute: 1e-12
              reason: stands in for a diagnostic that follows the activation patterns.
        """
        for (key, expected) in [("gram_lambda_min", ReproducibilityLevel.equivalent), ("gram_lambda_max", .claimsHold)] {
            let (directory, recorded, rerun) = try VerifyLevelTests.reportAndCopy(spec: declaring)
            try Self.editSeries(in: rerun, optimizer: "gd") { series in
                var values = try #require(series[key])
                values[1] = try #require(values[1]) * 1.01
                series[key] = values
            }
            let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
            #expect(comparison.level == expected, "\(key)")
            let run = try #require(comparison.files.first { $0.path.hasPrefix("runs/") })
            #expect(run.largest?.location == "result.series.\(key)[1]")
            // Marked as declared only where the deviation it shows is under the declaration.
            #expect((run.declaredReason != nil) == (key == "gram_lambda_min"))
            _ = directory
        }
    }

    @Test func aSpecDeclaringAnEmptyListOfKeysIsRefused() throws {
        let yaml = Self.spec + """

        reproducibility:
          tolerances:
            - {files: ["runs/*"], keys: [], relative: 0.1, absolute: 0, reason: none named.}
        """
        do {
            _ = try ExperimentSpec.parse(yaml: yaml, file: "spec.yaml")
            Issue.record("expected the empty keys to be refused")
        } catch let errors as SpecErrors {
            #expect(errors.errors.map(\.path) == ["reproducibility.tolerances[0].keys"])
        } catch let error as SpecError {
            #expect(error.path == "reproducibility.tolerances[0].keys")
        }
    }

    /// The residual figure's data moved by 1e-14 and its PNG by a pixel far beyond the pixel tolerance (as a log
    /// axis draws a residual at the floor a decade lower): the figure is equivalent, by its data.
    @Test func aMovedPictureWhoseDataMovedWithinToleranceIsEquivalent() throws {
        let (directory, recorded, rerun) = try VerifyLevelTests.reportAndCopy()
        try movePixel(in: rerun, by: 60)
        try VerifyLevelTests.perturb((rerun as NSString).appendingPathComponent("figures/residual.csv"), by: 1e-14)
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .equivalent)
        let png = try #require(comparison.files.first { $0.path == "figures/residual.png" })
        #expect(png.outcome == .equivalent && png.drawnFrom?.contains("figures/residual.csv") == true)
        #expect(png.pixelDeviation == 60.0 / 255)
        _ = directory
    }

    @Test func aMovedPictureWhoseDataMovedBeyondToleranceStaysMoved() throws {
        let (directory, recorded, rerun) = try VerifyLevelTests.reportAndCopy()
        try movePixel(in: rerun, by: 60)
        try VerifyLevelTests.perturb((rerun as NSString).appendingPathComponent("figures/residual.csv"), by: 1e-4)
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .claimsHold)
        let png = try #require(comparison.files.first { $0.path == "figures/residual.png" })
        #expect(png.outcome == .moved && png.drawnFrom == nil)
        _ = directory
    }

    @Test func aChangedCaptionInTheReportWhoseDataMovedWithinToleranceStillDiffers() throws {
        let (directory, recorded, rerun) = try VerifyLevelTests.reportAndCopy()
        for folder in ["data", "runs"] {
            for path in try VerifyLevelTests.files(in: rerun, under: folder, ending: ".json") {
                try VerifyLevelTests.perturb(path, by: 1e-14)
            }
        }
        let html = (rerun as NSString).appendingPathComponent("report.html")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        try #require(text.contains("Residual per step."))
        try text.replacingOccurrences(of: "Residual per step.", with: "Residual per stop.")
            .write(toFile: html, atomically: true, encoding: .utf8)
        let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
        #expect(comparison.level == .differs)
        let report = try #require(comparison.files.first { $0.path == "report.html" })
        #expect(report.outcome == .differs && report.drawnFrom == nil)
        _ = directory
    }

    /// The documents show the provenance, and a centred line is placed by the width of the commit it shows: over
    /// identical data, report.html moving is explained where the provenance changed, and only there; a figure
    /// shows no provenance and stays moved.
    @Test func aMovedDocumentOverIdenticalDataIsEquivalentOnlyWhereTheProvenanceItShowsChanged() throws {
        for changeCommit in [false, true] {
            let (directory, recorded, rerun) = try VerifyLevelTests.reportAndCopy()
            let html = (rerun as NSString).appendingPathComponent("report.html")
            let text = try String(contentsOfFile: html, encoding: .utf8)
            let start = try #require(text.range(of: #"<path[^>]* d="M [0-9]"#, options: .regularExpression))
            let number = try #require(text.range(of: "[0-9.]+", options: .regularExpression,
                                                 range: text.index(before: start.upperBound)..<text.endIndex))
            let moved = String(format: "%.6f", (Double(text[number]) ?? 0) + 5)
            try text.replacingCharacters(in: number, with: moved).write(toFile: html, atomically: true, encoding: .utf8)
            try movePixel(in: rerun, by: 60)
            if changeCommit { try changeShownCommit(in: rerun, from: recorded) }
            let comparison = try ReportComparison.between(recorded: recorded, rerun: rerun)
            let report = try #require(comparison.files.first { $0.path == "report.html" })
            #expect(report.outcome == (changeCommit ? .equivalent : .moved))
            #expect((report.drawnFrom?.contains("provenance") == true) == changeCommit)
            #expect(comparison.files.first { $0.path == "figures/residual.png" }?.outcome == .moved)
            #expect(comparison.level == .claimsHold)
            _ = directory
        }
    }

    /// Another commit in the re-run's manifest and report.html, as a re-run at a later commit shows it.
    private func changeShownCommit(in rerun: String, from recorded: String) throws {
        let commit = try #require(try ManifestHeader.read(from: recorded).provenance?.gitCommit)
        let other = String(repeating: "7", count: commit.count)
        for file in [Manifest.fileName, "report.html"] {
            let path = (rerun as NSString).appendingPathComponent(file)
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: commit, with: other)
                .replacingOccurrences(of: String(commit.prefix(12)), with: String(other.prefix(12)))
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    private func movePixel(in rerun: String, by step: UInt8) throws {
        let png = (rerun as NSString).appendingPathComponent("figures/residual.png")
        var image = try RasterImage(png: try #require(FileManager.default.contents(atPath: png)))
        image.rgba[400] = image.rgba[400] >= 128 ? image.rgba[400] - step : image.rgba[400] + step
        try image.pngData().write(to: URL(fileURLWithPath: png))
    }
}
