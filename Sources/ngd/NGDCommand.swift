import ArgumentParser
import Foundation
import NGD
import Render
import CKernels
import Report

/// The `ngd` command. Subcommands live one per file; this file only wires them and maps errors to exit codes:
/// 0 success, 1 runtime failure (files, numerics), 2 usage error (bad option or value), 130 interrupted.
@main
struct NGDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ngd",
        abstract: "Natural gradient descent for over-parameterized two-layer ReLU networks: train, measure, plot, "
            + "report.",
        version: ToolInfo.version,
        subcommands: [
            // Keep alphabetical; each subcommand lives in its own file.
            AnalyzeCommand.self,
            BenchCommand.self,
            Figure1Command.self,
            PaperCommand.self,
            PlotCommand.self,
            ReportCommand.self,
            TrainCommand.self,
            VerifyCommand.self,
        ]
    )

    /// The commands whose PDFs and manifests carry SOURCE_DATE_EPOCH's date.
    static let datedCommands: [ParsableCommand.Type] = [Figure1Command.self, PaperCommand.self, PlotCommand.self,
                                                        ReportCommand.self]

    static func main() {
        BLASCoreStartup.chooseCore(arguments: CommandLine.arguments)
        // glibc returns every block above its mmap threshold (at most 32 MB) to the kernel on free, so each step's
        // 2048×2048 weights and activation blocks were page-faulted and zeroed again: keeping them in the heap took
        // `ngd bench --depth 3` NGD 963 → 853 ms and `ngd paper --quick` 22.4 → 17.0 s (2 cores), peak RSS +8 MB.
        ngd_keep_large_allocations()
        do {
            var command = try parseAsRoot()
            if datedCommands.contains(where: { type(of: command) == $0 }) { try requireValidSourceDateEpoch() }
            try command.run()
        } catch ReportError.interrupted {
            // Completed runs stay cached and the previous report untouched; 130 is the shell's code for SIGINT.
            FileHandle.standardError.write(Data("\nngd: \(ReportError.interrupted)\n".utf8))
            Foundation.exit(130)
        } catch let error as NGDError {
            printError(error.source.isEmpty ? error.message : ErrorText.visible(error.source) + ": " + error.message,
                       keepingNewlines: error.listsProblemsPerLine)
            Foundation.exit(error.isUsageError ? 2 : 1)
        } catch {
            let code = exitCode(for: error)
            // Help and --version are "errors" with a success code: let ArgumentParser print them.
            if code == .success { exit(withError: error) }
            let firstLine = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError(firstLine)
            // ArgumentParser reports usage problems as EX_USAGE (64); ngd documents 2 for usage errors.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// `ngd: TEXT` on stderr, with control characters made visible: an error may quote a file name, spec text or
    /// data, and a raw terminal escape there would act on the user's terminal instead of being read.
    static func printError(_ text: String, keepingNewlines: Bool = true) {
        FileHandle.standardError.write(Data("ngd: \(ErrorText.visible(text, keepingNewlines: keepingNewlines))\n".utf8))
    }

    /// A malformed SOURCE_DATE_EPOCH is a usage error, never silently replaced by the default date.
    static func requireValidSourceDateEpoch() throws {
        do {
            _ = try SourceDateEpoch.seconds()
        } catch {
            throw NGDError(SourceDateEpoch.variable, error.description, usage: true)
        }
    }
}
