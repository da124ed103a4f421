import NGD

/// A problem in an experiment spec, located at `file:line:column` and named by its key path
/// (`optimizers.gd.lr`, `runs[1].dataset`). Printed as `spec.yaml:12:5: optimizers.gd.lr: expected …`.
public struct SpecError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    /// The key path in the spec, empty for whole-document problems (YAML syntax).
    public var path: String
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var location: String { "\(file):\(line):\(column)" }

    public var description: String {
        path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// Several spec problems at once (validation reports every problem it finds, in document order).
public struct SpecErrors: Error, CustomStringConvertible, Equatable, Sendable {
    public var errors: [SpecError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension SpecError {
    /// The CLI's error shape: `ngd: spec.yaml:12:5: path: message`, exit code 2.
    public var ngdError: NGDError { NGDError(location, path.isEmpty ? message : "\(path): \(message)", usage: true) }
}

extension SpecErrors {
    public var ngdError: NGDError {
        guard let first = errors.first else { return NGDError("spec", "invalid spec", usage: true) }
        // One line per problem; the first carries the `ngd:` prefix when printed.
        let rest = errors.dropFirst().map(\.description)
        var error = NGDError(first.location, ([first.path.isEmpty ? first.message : "\(first.path): "
            + "\(first.message)"] + rest)
            .joined(separator: "\n"), usage: true)
        error.listsProblemsPerLine = true
        return error
    }
}
