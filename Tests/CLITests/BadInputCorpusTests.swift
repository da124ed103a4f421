import Foundation
import Testing

/// The bad-input corpus (Tests/CLITests/Corpus/bad-input.txt): every line is a command line with the exit code
/// and the start of the one-line error it must produce. Format, `|`-separated:
///
///     EXIT | ARGUMENTS (split on spaces; {dir} = the fixtures directory) | EXPECTED START OF STDERR
///
/// Every case must exit with EXIT (2 usage, 1 runtime), print exactly one line on stderr that starts with
/// `ngd: ` + the expected text, not crash (no signal), and write no output file when it fails.
struct BadInputCase: CustomStringConvertible, Sendable {
    var line: Int
    var exitCode: Int32
    var arguments: [String]
    var expectedStart: String
    var description: String { "corpus:\(line) ngd \(arguments.joined(separator: " "))" }

    static func load() throws -> [BadInputCase] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/bad-input.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let code = Int32(parts[0]) else { return nil }
            return BadInputCase(line: index + 1, exitCode: code,
                                arguments: parts[1].split(separator: " ").map(String.init), expectedStart: parts[2])
        }
    }
}

@Suite("Bad-input corpus")
struct BadInputCorpusTests {
    static let cases: [BadInputCase] = (try? BadInputCase.load()) ?? []

    @Test("the corpus has at least 40 cases and every line parses")
    func corpusIsLargeEnough() throws {
        #expect(Self.cases.count >= 40)
    }

    @Test("each bad input gives one clear line, the documented exit code, and no crash", arguments: cases)
    func badInput(_ testCase: BadInputCase) throws {
        let directory = try CLIRunner.temporaryDirectory("bad-input")
        defer { try? FileManager.default.removeItem(at: directory) }
        try BadInputFixtures.write(into: directory)
        let arguments = testCase.arguments.map { $0.replacingOccurrences(of: "{dir}", with: directory.path) }
        let before = try Set(FileManager.default.subpathsOfDirectory(atPath: directory.path))

        let outcome = try CLIRunner.run(arguments, currentDirectory: directory)

        #expect(!outcome.crashed, "\(testCase): crashed")
        #expect(outcome.status == testCase.exitCode, "\(testCase): exit \(outcome.status), stderr: \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(testCase): expected one line on stderr, got:\n\(outcome.stderr)")
        let expected = "ngd: " + testCase.expectedStart.replacingOccurrences(of: "{dir}", with: directory.path)
        #expect(outcome.stderr.hasPrefix(expected), "\(testCase): stderr was: \(outcome.stderr)")
        let after = try Set(FileManager.default.subpathsOfDirectory(atPath: directory.path))
        #expect(after == before, "\(testCase): left files behind: \(after.subtracting(before).sorted())")
    }
}
