import ArgumentParser
import Foundation
import NGD
import Report

/// `ngd paper`: the built-in reproduction of Zhang, Martens & Grosse (NeurIPS 2019) as a report directory.
struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Reproduce the paper's claims and figures: report.html, report.pdf, figures, data and a manifest.",
        discussion: """
        Runs every study (H∞, Figure 1, convergence of NGD/GD/K-FAC, width sweep, η = 1, …), checks each claim of \
        the paper against its measurement and writes the report directory atomically: a failed or interrupted run \
        (Ctrl-C, exit 130) leaves the previous report untouched, and completed training runs are cached in runs/ so \
        the next attempt resumes. The wall time is recorded in timing.json only.
        """)

    @Option(name: .long, help: "Output directory.")
    var out: String = "out/paper"

    @Flag(name: .long, help: "Smaller widths and fewer seeds (well under a minute); claims that need the full sizes say so.")
    var quick = false

    @Option(name: .customLong("mnist-dir"),
            help: "MNIST directory for Figure 1 (default: $NGD_MNIST_DIR, else the embedded UCI digits).")
    var mnistDirectory: String?

    @Option(name: .long, help: "Seeds for the studies that average over initialisations (default: 3, quick: 2; at most 1000).")
    var seeds: Int?

    @Flag(name: .long, help: "No progress output on stderr.")
    var quiet = false

    @OptionGroup var latexOptions: LaTeXOptionGroup

    @Flag(name: .customLong("studies-only"), help: .hidden)
    var studiesOnly = false

    @OptionGroup(title: "Shards")
    var sharding: ShardOptions

    @OptionGroup(title: "Slurm")
    var cluster: SlurmOptions

    func checkOptions() throws {
        if let seeds, seeds < 1 { throw NGDError("--seeds", "expected at least one seed, got \(seeds)", usage: true) }
        if let seeds {
            try ResourceLimits.checkLimit(seeds, option: "--seeds", maximum: ResourceLimits.maximumSeeds, what: "seeds")
        }
    }

    func run() throws {
        try checkOptions()   // in run(), so NGD's usage errors keep their exit code 2
        let environment = ProcessInfo.processInfo.environment
        let mnist = mnistDirectory ?? environment["NGD_MNIST_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        if let mnist {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: mnist, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw NGDError("--mnist-dir", "\(mnist) is not a directory", usage: true)
            }
        }
        let settings = PaperSettings(quick: quick, seeds: seeds, mnistDirectory: mnist)
        if try runSharded(settings) { return }
        let latex = try latexOptions.options()
        let report = PaperReport(settings: settings, invocation: settings.invocation + (latex?.commandLineSuffix ?? ""))
        let progress: ((String) -> Void)? = quiet ? nil : { line in
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
        Interruption.installHandler()
        let start = DispatchTime.now()
        do {
            if studiesOnly {
                // Measures the studies without writing anything (cost and claims), for tuning sizes.
                let context = StudyContext(settings: settings, cacheDirectory: nil)
                context.shouldStop = { Interruption.isRequested }
                context.onRunStarted = { label in progress?("    training \(label)") }
                for (outcome, seconds) in try report.outcomes(in: context, progress: progress) {
                    print(outcome.id.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%7.2f "
                        + "s", seconds))
                    for claim in outcome.claims {
                        print("  \(claim.passed ? "PASS" : "FAIL") \(claim.id): \(claim.detail)")
                    }
                }
                print(String(format: "total %.2f "
                    + "s", Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9))
                return
            }
            var configuration = ReportConfiguration.standard()
            configuration.shouldStop = { Interruption.isRequested }
            configuration.extraCaches = sharding.caches + (cluster.assemble.map { [cluster.cacheOfAssembly($0)] } ?? [])
            let finishedShards = try cluster.assemble.map { try cluster.finishedShards(in: $0) }
            configuration.latex = latex
            let summary = try report.build(into: out, configuration: configuration, progress: progress)
            if let finishedShards { try cluster.writeClusterRecord(finishedShards, into: summary.outputDirectory) }
            if !quiet {
                for (id, seconds) in summary.studySeconds {
                    FileHandle.standardError.write(Data((id + String(format: ": %.1f s\n", seconds)).utf8))
                }
                let failed = summary.claims.filter { !$0.passed }
                print("\(out)/report.html: \(summary.runsTrained) run(s) trained, \(summary.runsCached) cached, "
                      + String(format: "%.1f s", summary.wallSeconds) + "; claims: "
                          + "\(summary.claims.count - failed.count)/"
                      + "\(summary.claims.count) "
                          + "passed" + (failed.isEmpty ? "" : " (failed: \(failed.map(\.id).joined(separator: ", ")))"))
            }
        } catch let refusal as OutputRefusal {
            throw NGDError(refusal.path, refusal.reason, usage: true)
        } catch let error as ReportError where error != .interrupted {
            throw NGDError("ngd paper", error.description)
        }
    }
}
