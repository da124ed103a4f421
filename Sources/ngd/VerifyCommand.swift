import ArgumentParser
import Foundation
import NGD
import Render
import Report

/// `ngd verify DIR`: checks that a report directory is intact and reproducible.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a report directory: files against manifest.json, then a fresh re-run against every SHA-256.",
        discussion: """
        First every file listed in manifest.json is hashed and compared (altered, missing or unlisted files fail). \
        Then the spec recorded in the manifest (for `ngd paper`, its command line) is re-run without any cache into \
        a scratch directory and every \
        output's SHA-256 is compared, and manifest.json byte for byte; timing.json (wall time) is not compared. Exit 0 when \
        everything matches, 1 otherwise. When the machine or code differs from the recorded provenance, the \
        changed fields are listed: they explain differences in report.html/report.pdf.
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

    @Option(name: .customLong("mnist-dir"),
            help: "For a paper report made with --mnist-dir: the MNIST directory (default: $NGD_MNIST_DIR).")
    var mnistDirectory: String?

    func run() throws {
        let report: VerificationReport
        if filesOnly {
            report = try CommandErrors.translating { try ReportVerifier.checkFiles(in: directory) }
        } else {
            // The cheap check first, so a tampered directory is reported even when no engine is connected.
            let files = try CommandErrors.translating { try ReportVerifier.checkFiles(in: directory) }
            if !files.passed {
                print(files.listing(directory: directory))
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
                                                                               files: files)
            }
        }
        print(report.listing(directory: directory))
        // Not an error message: the listing above is the answer; the exit status says it failed.
        if !report.passed { Foundation.exit(1) }
    }
}
