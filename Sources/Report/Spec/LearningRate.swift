/// A step size: a fixed number, or a multiple of 1/λ_max(G₀) for GD (`1/lambda_max`, `2.5/lambda_max`),
/// which the engine resolves from the Gram matrix at initialisation.
public enum LearningRate: Codable, Hashable, Sendable, CustomStringConvertible {
    case fixed(Double)
    /// η = scale / λ_max(G₀).
    case inverseLambdaMax(scale: Double)

    static let expectation = "expected a number or \"1/lambda_max\""

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
    var magnitude: Double {
        switch self {
        case .fixed(let value): return value
        case .inverseLambdaMax(let scale): return scale
        }
    }
}

import Foundation
