import Foundation

/// A step size: a fixed number, or a multiple of 1/λ_max(G₀) (`1/lambda_max`, `2.5/lambda_max`), which the
/// trainer resolves from the Gram matrix it builds at initialisation (no caller builds G₀ to learn λ_max).
/// Encodes as a JSON number or the string `c/lambda_max`, so a fixed rate reads as it did when it was a `Double`.
public enum LearningRate: Codable, Hashable, Sendable, CustomStringConvertible, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral {
    case fixed(Double)
    /// η = scale / λ_max(G₀).
    case inverseLambdaMax(scale: Double)

    public init(floatLiteral value: Double) { self = .fixed(value) }
    public init(integerLiteral value: Int) { self = .fixed(Double(value)) }

    public static let expectation = "expected a number or \"1/lambda_max\""

    /// Parses `0.5`, `1/lambda_max`, `2.5/lambda_max`.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let value = Double(trimmed) {
            self = .fixed(value)
            return
        }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].trimmingCharacters(in: .whitespaces) == "lambda_max",
              let scale = Double(parts[0].trimmingCharacters(in: .whitespaces)) else { return nil }
        self = .inverseLambdaMax(scale: scale)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .fixed(number)
            return
        }
        guard let text = try? container.decode(String.self), let rate = LearningRate(text: text),
              case .inverseLambdaMax = rate else {
            let got = (try? container.decode(String.self)).map { "\"\($0)\"" } ?? "a non-scalar value"
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\(Self.expectation), got \(got)"))
        }
        self = rate
    }

    /// Canonical form: a JSON number, or the string `c/lambda_max`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .fixed(let value): try container.encode(value)
        case .inverseLambdaMax: try container.encode(description)
        }
    }

    public var description: String {
        switch self {
        case .fixed(let value): return formatNumber(value)
        case .inverseLambdaMax(let scale): return "\(formatNumber(scale))/lambda_max"
        }
    }

    /// For people: `0.5`, `1/λ_max`, `2.5/λ_max`.
    public var displayText: String {
        switch self {
        case .fixed(let value): return formatNumber(value)
        case .inverseLambdaMax(let scale): return "\(formatNumber(scale))/λ_max"
        }
    }

    /// The magnitude that must be positive: the number itself or the scale.
    public var magnitude: Double {
        switch self {
        case .fixed(let value): return value
        case .inverseLambdaMax(let scale): return scale
        }
    }

    /// η for a network whose initial Gram matrix has largest eigenvalue `lambdaMax`.
    public func resolved(lambdaMax: Double) -> Double {
        switch self {
        case .fixed(let value): return value
        case .inverseLambdaMax(let scale): return scale / lambdaMax
        }
    }

    /// How η was chosen, as recorded in a run's config: "given" or "c/lambda_max(G0)".
    var rule: String {
        switch self {
        case .fixed: return "given"
        case .inverseLambdaMax(let scale): return "\(formatNumber(scale))/lambda_max(G0)"
        }
    }

    /// Shortest round-trip text without a trailing ".0" for integers ("100", "0.5", "1e-06").
    private func formatNumber(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
