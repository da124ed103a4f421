import ArgumentParser
import Foundation
import NGD
import Render
import Report

/// `ngd verify DIR`: checks that a report directory is intact and reproducible.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a report directory: files against manifest.json, then a fresh re-run: what still holds.",
        discussion: """
        First every file listed in manifest.json is hashed and compared (altered, missing or unlisted files fail). \
        Then the spec recorded in the manifest (for `ngd paper`, its command line) is re-run without any cache into \
        a scratch directory and compared with the report, and the level that holds is printed last: \
        identical (every file byte for byte), equivalent (every number within --rtol/--atol, pixels within \
        --pixel-tolerance, every text, font and claim verdict the same), claims hold (numbers moved beyond tolerance, \
        every claim's verdict the same) or differs (a claim flipped, a file missing, text or fonts changed, NaN \
        where a number was finite). Changed provenance (BLAS core, threads, CPU, toolchain, cairo/pango) is printed \
        first. Tolerances the report declared for its sensitive files (manifest.json `reproducibility`) replace \
        the defaults there. Exit 0 for identical, equivalent and claims hold (1 with --strict), 1 otherwise.
        """)

    @Argument(help: "The report directory (containing manifest.json).")
    var directory: String

    @Flag(name: .customLong("files-only"), help: "Only check the files against the manifest; do not re-run.")
    var filesOnly = false

    @Flag(name: .customLong("keep-scratch"), help: "Keep the scratch re-run directory (otherwise deleted, whatever the outcome).")
    var keepScratch = false

    @Flag(name: .long, help: "No progress output on stderr.")
    var quiet = false

    @Option(name: .customLong("data-dir"),
            help: "For a spec report: the directory its relative data paths are read from (default: the directory of the spec file as recorded).")
    var dataDirectory: String?

    @Option(name: .long, help: "Relative tolerance for numbers (default 1e-9).")
    var rtol: Double = NumericTolerance.standard.relative

    @Option(name: .long, help: "Absolute floor of the tolerance, for numbers near 0 (default 1e-12).")
    var atol: Double = NumericTolerance.standard.absolute

    @Option(name: .customLong("pixel-tolerance"),
            help: "Largest per-channel difference (0–1) of two PNG figure pixels (default 2/255).")
    var pixelTolerance: Double = ComparisonTolerances.defaultPixels

    @Flag(name: .long, help: "Fail (exit 1) when only the claims hold: ask for equivalent numbers.")
    var strict = false

    @Flag(name: .long, help: "Print the findings as JSON (levels, per-file deviations, provenance changes).")
    var json = false

    @Option(name: .customLong("mnist-dir"),
            help: "For a paper report made with --mnist-dir: the MNIST directory (default: $NGD_MNIST_DIR).")
    var mnistDirectory: String?

    func validate() throws {
        for (name, value) in [("--rtol", rtol), ("--atol", atol)] where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(name): expected a finite tolerance ≥ 0, got \(value)")
        }
        guard pixelTolerance >= 0 && pixelTolerance <= 1 else {
            throw ValidationError("--pixel-tolerance: expected a value from 0 to 1, got \(pixelTolerance)")
        }
    }

    func run() throws {
        let report: VerificationReport
        if filesOnly {
            report = try CommandErrors.translating { try ReportVerifier.checkFiles(in: directory) }
        } else {
            // The cheap check first, so a tampered directory is reported even when no engine is connected.
            let files = try CommandErrors.translating { try ReportVerifier.checkFiles(in: directory) }
            if !files.passed {
                try show(files)
                Foundation.exit(1)
            }
            // Render reads the PDF creation date from the process environment: re-run with the recorded one.
            let recordedEpoch = try CommandErrors.translating { try ManifestHeader.read(from: directory).sourceDateEpoch }
            do {
                _ = try SourceDateEpoch.seconds(from: recordedEpoch)
            } catch {
                throw NGDError((directory as NSString).appendingPathComponent("manifest.json"), "sourceDateEpoch: "
                    + "\(error)")
            }
            if let epoch = recordedEpoch { setenv("SOURCE_DATE_EPOCH", epoch, 1) } else { unsetenv("SOURCE_DATE_EPOCH") }
            var configuration = ReportConfiguration.standard()
            configuration.progress = ProgressReporter.standard(quiet: quiet)
            Interruption.installHandler()
            report = try CommandErrors.translating {
                let mnist = mnistDirectory ?? ProcessInfo.processInfo.environment["NGD_MNIST_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                let progress: ((String) -> Void)? = quiet ? nil : { line in
                    FileHandle.standardError.write(Data("\(line)\n".utf8))
                }
                return try ReportVerifier(configuration: configuration).verify(directory: directory, keepScratch: keepScratch,
                                                                               dataDirectory: dataDirectory,
                                                                               mnistDirectory: mnist, paperProgress: progress,
                                                                               files: files,
                                                                               tolerances: tolerances, strict: strict)
            }
        }
        try show(report)
        // Not an error message: the listing above is the answer; the exit status says it failed.
        if !report.passed { Foundation.exit(1) }
    }

    private var tolerances: ComparisonTolerances {
        ComparisonTolerances(numbers: NumericTolerance(relative: rtol, absolute: atol), pixels: pixelTolerance)
    }

    private func show(_ report: VerificationReport) throws {
        if json {
            let data = try CommandErrors.translating { try report.json(directory: directory) }
            FileHandle.standardOutput.write(data)
        } else {
            print(report.listing(directory: directory))
        }
    }
}
