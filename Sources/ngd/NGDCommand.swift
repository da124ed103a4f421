import ArgumentParser
import Foundation
import NGD

/// The `ngd` command. Subcommands live one per file; this file only wires them and maps errors to exit codes:
/// 0 success, 1 runtime failure (files, numerics), 2 usage error (bad option or value), 130 interrupted.
@main
struct NGDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ngd",
        abstract: "Natural gradient descent for over-parameterized two-layer ReLU networks: train, measure, plot, report.",
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

    static func main() {
        BLASCoreStartup.chooseCore(arguments: CommandLine.arguments)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as NGDError {
            FileHandle.standardError.write(Data("ngd: \(error.description)\n".utf8))
            Foundation.exit(error.isUsageError ? 2 : 1)
        } catch {
            let code = exitCode(for: error)
            // Help and --version are "errors" with a success code: let ArgumentParser print them.
            if code == .success { exit(withError: error) }
            let firstLine = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("ngd: \(firstLine)\n".utf8))
            // ArgumentParser reports usage problems as EX_USAGE (64); ngd documents 2 for usage errors.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
