/// An error from the NGD engine that names where it came from (a file, an option or a spec field)
/// and says in one human sentence what was expected. The CLI prints `ngd: <source>: <message>`.
public struct NGDError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Where the problem is: a file path (optionally `path:line`), an option (`--width`) or a field.
    public var source: String
    /// What is wrong and what was expected.
    public var message: String
    /// Usage errors (bad options/values) exit 2; runtime failures (files, numerics) exit 1.
    public var isUsageError: Bool
    /// A message that lists several problems, one per line (a spec's). Any other message is printed on one
    /// line, whatever a file name quoted in it holds.
    public var listsProblemsPerLine = false

    public init(_ source: String, _ message: String, usage: Bool = false) {
        self.source = source
        self.message = message
        self.isUsageError = usage
    }

    public var description: String { source.isEmpty ? message : "\(source): \(message)" }
}
