/// Trains one resolved run and returns its measurements.
/// Must be deterministic: the same `ResolvedRun` gives the same `RunResult`, bit for bit, in any process.
/// Long runs should poll `shouldStop` between steps and throw `ReportError.interrupted` when it returns true.
public protocol RunExecutor: Sendable {
    func execute(_ run: ResolvedRun, shouldStop: @Sendable () -> Bool) throws -> RunResult
}

/// An executor from a closure, for wiring and tests.
public struct ClosureRunExecutor: RunExecutor {
    let body: @Sendable (ResolvedRun, @Sendable () -> Bool) throws -> RunResult

    public init(_ body: @escaping @Sendable (ResolvedRun, @Sendable () -> Bool) throws -> RunResult) {
        self.body = body
    }

    public func execute(_ run: ResolvedRun, shouldStop: @Sendable () -> Bool) throws -> RunResult {
        try body(run, shouldStop)
    }
}

/// Errors of the report layer that are not spec errors.
public enum ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// SIGINT: stopped cleanly; completed runs are cached, the previous report is untouched (exit 130).
    case interrupted
    /// A run failed; the message names it.
    case runFailed(label: String, key: String, message: String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// A template could not be parsed or rendered.
    case template(name: String, message: String)

    public var description: String {
        switch self {
        case .interrupted: return "interrupted; completed runs are cached, the previous report is unchanged"
        case .runFailed(let label, let key, let message): return "run \(label) [\(key.prefix(12))]: \(message)"
        case .io(let path, let message): return "\(path): \(message)"
        case .template(let name, let message): return "template \(name): \(message)"
        }
    }
}
