import Foundation
import Testing

/// The bad-input corpus (every `Tests/CLITests/Corpus/*.txt`): each line is a command line with the exit code
/// and the start of the one-line error it must produce. Format, `|`-separated:
///
///     EXIT | ARGUMENTS (split on spaces; {dir} = the fixtures directory) | EXPECTED START OF STDERR
///
/// ARGUMENTS may begin with `@cwd=SUBDIR` (run inside {dir}/SUBDIR instead of {dir}) and `@env=NAME=VALUE`
/// (repeatable) before the subcommand. `{empty}` stands for an empty argument.
///
/// Every case must exit with EXIT (2 usage, 1 runtime), print exactly one line on stderr that starts with
/// `ngd: ` + the expected text, not crash (no signal), and leave the fixtures directory exactly as it was:
/// no file added, removed or changed (bytes, kind and link target are compared).
struct BadInputCase: CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var exitCode: Int32
    var arguments: [String]
    var workingSubdirectory: String?
    var environment: [String: String]
    var expectedStart: String
    var description: String { "\(file):\(line) ngd \(arguments.joined(separator: " "))" }

    static func load() throws -> [BadInputCase] {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try files.flatMap { name in
            try parse(String(contentsOf: corpus.appendingPathComponent(name), encoding: .utf8), file: name)
        }
    }

    static func parse(_ text: String, file: String) -> [BadInputCase] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let code = Int32(parts[0]) else { return nil }
            var words = parts[1].split(separator: " ").map(String.init)
            var subdirectory: String?
            var environment: [String: String] = [:]
            while let first = words.first, first.hasPrefix("@") {
                words.removeFirst()
                if first.hasPrefix("@cwd=") {
                    subdirectory = String(first.dropFirst(5))
                } else if first.hasPrefix("@env="), let equals = first.dropFirst(5).firstIndex(of: "=") {
                    environment[String(first[first.index(first.startIndex, offsetBy: 5)..<equals])] =
                        String(first[first.index(after: equals)...])
                }
            }
            return BadInputCase(file: file, line: index + 1, exitCode: code,
                                arguments: words.map { $0 == "{empty}" ? "" : $0 },
                                workingSubdirectory: subdirectory, environment: environment, expectedStart: parts[2])
        }
    }
}

/// Every entry below a directory with what identifies its state: its kind, its size and bytes (a file) or its
/// target (a symbolic link, which is not followed).
enum DirectorySnapshot {
    static func take(_ root: String) throws -> [String: String] {
        var snapshot: [String: String] = [:]
        let fileManager = FileManager.default
        func visit(_ relative: String) throws {
            let path = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
            for name in try fileManager.contentsOfDirectory(atPath: path) {
                let child = relative.isEmpty ? name : (relative as NSString).appendingPathComponent(name)
                let full = (root as NSString).appendingPathComponent(child)
                let attributes = try fileManager.attributesOfItem(atPath: full)
                switch attributes[.type] as? FileAttributeType {
                case .typeSymbolicLink?:
                    snapshot[child] = "link -> " + (try fileManager.destinationOfSymbolicLink(atPath: full))
                case .typeDirectory?:
                    snapshot[child] = "directory"
                    try visit(child)
                default:
                    let bytes = fileManager.contents(atPath: full) ?? Data()
                    snapshot[child] = "file \(bytes.count) bytes: \(bytes.base64EncodedString().prefix(4096))"
                }
            }
        }
        try visit("")
        return snapshot
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
        let before = try DirectorySnapshot.take(directory.path)
        let workingDirectory = testCase.workingSubdirectory.map { directory.appendingPathComponent($0) } ?? directory
        let environment = testCase.environment.mapValues { $0.replacingOccurrences(of: "{dir}", with: directory.path) }

        let outcome = try CLIRunner.run(arguments, environment: environment, currentDirectory: workingDirectory)

        #expect(!outcome.crashed, "\(testCase): crashed")
        #expect(outcome.status == testCase.exitCode, "\(testCase): exit \(outcome.status), stderr: \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(testCase): expected one line on stderr, got:\n\(outcome.stderr)")
        let expected = "ngd: " + testCase.expectedStart.replacingOccurrences(of: "{dir}", with: directory.path)
        #expect(outcome.stderr.hasPrefix(expected), "\(testCase): stderr was: \(outcome.stderr)")
        let after = try DirectorySnapshot.take(directory.path)
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        #expect(changed.isEmpty, "\(testCase): added, removed or changed: \(changed)")
    }
}
