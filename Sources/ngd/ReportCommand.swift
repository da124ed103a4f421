import ArgumentParser
import Foundation
import NGD
import Render
import Report

/// `ngd report SPEC --out DIR`: runs an experiment spec and writes a reproducible report directory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run an experiment spec (YAML) and write report.html, report.pdf, figures, data and a manifest.",
        discussion: """
        The output directory is replaced atomically: a failed or interrupted run (Ctrl-C, exit 130) leaves the \
        previous report untouched, and completed runs are cached (runs/<key>.json) so the next attempt resumes. \
        See docs/SPEC.md for the spec format.
        """)

    @Argument(help: "The experiment spec (YAML).")
    var spec: String

    @Option(name: .long, help: "Output directory (default: out/<spec name>).")
    var out: String?

    @Option(name: .long, help: "Directory with report.mustache / style.mustache overriding the built-in templates.")
    var templates: String?

    @OptionGroup(title: "Shards")
    var sharding: ShardOptions

    @Flag(name: .long, help: "No progress output on stderr.")
    var quiet = false

    @OptionGroup var latexOptions: LaTeXOptionGroup

    @Flag(name: .customLong("dry-run"), help: "Validate the spec and list its runs (key, cached or not); train nothing.")
    var dryRun = false

    @OptionGroup(title: "Slurm")
    var cluster: SlurmOptions

    func run() throws {
        let latex = try latexOptions.options()
        let shardValue = try sharding.parsedShard()
        try cluster.checkCombinations(shard: shardValue != nil, dryRun: dryRun)
        let caches = sharding.caches + (cluster.assemble.map { [cluster.cacheOfAssembly($0)] } ?? [])
        guard let data = FileManager.default.contents(atPath: spec), let source = String(data: data, encoding: .utf8) else {
            throw NGDError(spec, "cannot read the spec file")
        }
        // Spec problems are reported before anything else is set up.
        let parsed = try CommandErrors.translating { try ExperimentSpec.parse(yaml: source, file: spec) }
        if let shardValue, let sharedCache = cluster.sharedCache { return try runShard(shardValue, into: sharedCache, source: source) }
        let output = out ?? "out/" + ((spec as NSString).lastPathComponent as NSString).deletingPathExtension
        let dataDirectory = ReportBuilder.dataDirectory(ofSpec: spec)
        let inputs = ReportBuilder.inputPaths(of: parsed, specFile: spec, dataDirectory: dataDirectory,
                                              templatesDirectory: templates, caches: caches,
                                              environment: ProcessInfo.processInfo.environment)
        try CommandErrors.translating { try OutputLocation.checkReportDirectory(output, inputs: inputs) }
        if cluster.slurm { return try launchSlurm(parsed, source: source, output: output, inputs: inputs, dataDirectory: dataDirectory) }
        let finishedShards = try cluster.assemble.map { try cluster.finishedShards(in: $0) }
        if dryRun {
            let experiment = try CommandErrors.translating {
                try parsed.resolved(dataDirectory: dataDirectory)
            }
            RunListing.write(experiment, cache: RunCache.forReport(output: output, extraCaches: caches), shard: shardValue,
                             line: { print($0) }, warn: CacheWarnings.standardError)
            return
        }
        var configuration = ReportConfiguration.standard()
        configuration.progress = ProgressReporter.standard(quiet: quiet)
        if let templates {
            configuration.templates = try CommandErrors.translating { try ReportTemplates.load(directory: templates) }
            configuration.templatesDirectory = (templates as NSString).standardizingPath
        }
        configuration.shard = shardValue
        configuration.extraCaches = caches
        configuration.latex = latex
        Interruption.installHandler()
        let summary = try CommandErrors.translating {
            try ReportBuilder(configuration: configuration).build(specSource: source, specFile: spec, into: output)
        }
        if let finishedShards { try cluster.writeClusterRecord(finishedShards, into: summary.outputDirectory) }
        guard summary.assembled else {
            if !quiet { print("shard \(sharding.shard ?? ""): \(summary.runsTrained) trained, \(summary.runsCached) "
                + "cached in \(summary.outputDirectory)/runs") }
            return
        }
        if !quiet {
            let failed = summary.claims.filter { !$0.passed }
            print("\(output)/report.html: \(summary.runsTrained) run(s) trained, \(summary.runsCached) cached; "
                  + "claims: \(summary.claims.count - failed.count)/\(summary.claims.count) passed"
                  + (failed.isEmpty ? "" : " (failed: \(failed.map(\.id).joined(separator: ", ")))"))
        }
    }
}
