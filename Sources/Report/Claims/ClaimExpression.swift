import Foundation

/// A small expression over run results, used for a claim's measured and predicted values (docs/SPEC.md):
///
///     max(abs(ratio(ngd_wide.residual_norm) - 0.5))
///     loglog_slope(width_sweep.width, last(width_sweep.jacobian_change))
///     mean(min(conditions[width=100].gram_lambda_min) >= 0.75 * conditions[width=100].lambda0)
///
/// `ID.name` reads quantity `name` of run or sweep `ID` (a list over members when the id has several);
/// `ID[param=value, …]` keeps only the members with those sweep values. Arithmetic broadcasts like numpy;
/// reductions act on the innermost list.
public indirect enum ClaimExpression: Hashable, Sendable {
    case number(Double)
    case reference(id: String, selector: [Selector], name: String)
    case unary(String, ClaimExpression)
    case binary(String, ClaimExpression, ClaimExpression)
    case call(String, [ClaimExpression])

    public struct Selector: Hashable, Sendable {
        public var parameter: String
        public var value: Double
    }

    /// The run and sweep ids the expression reads.
    public var references: [String] {
        switch self {
        case .number: return []
        case .reference(let id, _, _): return [id]
        case .unary(_, let operand): return operand.references
        case .binary(_, let lhs, let rhs): return lhs.references + rhs.references
        case .call(_, let arguments): return arguments.flatMap(\.references)
        }
    }

    /// Functions and how many arguments each takes.
    static let functions: [String: Int] = [
        "first": 1, "last": 1, "min": 1, "max": 1, "mean": 1, "sum": 1, "count": 1, "median": 1,
        "abs": 1, "log": 1, "log10": 1, "exp": 1, "sqrt": 1, "ratio": 1, "index": 1,
        "at": 2, "steps_to": 2, "slope": 2, "loglog_slope": 2,
    ]

    /// Deepest nesting of parentheses, calls and prefix operators an expression may have (docs/SPEC.md).
    public static let maximumDepth = 64
    /// Most numbers, names and calls one expression may hold (docs/SPEC.md).
    public static let maximumTerms = 1000

    public static func parse(_ text: String) throws -> ClaimExpression {
        var parser = ExpressionParser(text: text)
        return try parser.parseAll()
    }
}

extension ClaimExpression {
    /// The value of a number literal, or of a negated one.
    var literalValue: Double? {
        switch self {
        case .number(let value): return value
        case .unary("-", .number(let value)): return -value
        default: return nil
        }
    }
}

/// A syntax error in an expression; `offset` counts characters from the start (0-based).
public struct ExpressionError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var offset: Int?
    public var description: String {
        offset.map { "\(message) (at character \($0 + 1))" } ?? message
    }
}

private struct ExpressionParser {
    enum Token: Equatable {
        case number(Double)
        case identifier(String)
        case symbol(String)
        case end
    }

    let characters: [Character]
    var tokens: [(token: Token, offset: Int)] = []
    var position = 0
    /// Current nesting depth, bounded so that no input can exhaust the stack.
    var depth = 0

    init(text: String) { characters = Array(text) }

    mutating func parseAll() throws -> ClaimExpression {
        try tokenize()
        let expression = try parseComparison()
        guard case .end = current.token else { throw unexpected() }
        return expression
    }

    var current: (token: Token, offset: Int) { tokens[min(position, tokens.count - 1)] }

    func unexpected() -> ExpressionError {
        switch current.token {
        case .end: return ExpressionError(message: "unexpected end of expression", offset: current.offset)
        case .number(let value): return ExpressionError(message: "unexpected number \(value)", offset: current.offset)
        case .identifier(let name): return ExpressionError(message: "unexpected name '\(name)'", offset: current.offset)
        case .symbol(let symbol): return ExpressionError(message: "unexpected '\(symbol)'", offset: current.offset)
        }
    }

    mutating func tokenize() throws {
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if c.isWhitespace { index += 1; continue }
            let start = index
            if c.isNumber || (c == "." && index + 1 < characters.count && characters[index + 1].isNumber) {
                var text = ""
                while index < characters.count, characters[index].isNumber || characters[index] == "." {
                    text.append(characters[index]); index += 1
                }
                if index < characters.count, characters[index] == "e" || characters[index] == "E" {
                    var exponent = "e"
                    var probe = index + 1
                    if probe < characters.count, characters[probe] == "+" || characters[probe] == "-" {
                        exponent.append(characters[probe]); probe += 1
                    }
                    var digits = ""
                    while probe < characters.count, characters[probe].isNumber { digits.append(characters[probe]); probe += 1 }
                    if !digits.isEmpty { text += exponent + digits; index = probe }
                }
                guard let value = Double(text) else {
                    throw ExpressionError(message: "malformed number '\(text)'", offset: start)
                }
                tokens.append((.number(value), start))
            } else if c.isLetter || c == "_" {
                var text = ""
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                    text.append(characters[index]); index += 1
                }
                tokens.append((.identifier(text), start))
            } else if c == "<" || c == ">" {
                if index + 1 < characters.count, characters[index + 1] == "=" {
                    tokens.append((.symbol("\(c)="), start)); index += 2
                } else {
                    tokens.append((.symbol(String(c)), start)); index += 1
                }
            } else if "()[],.+-*/^=".contains(c) {
                tokens.append((.symbol(String(c)), start)); index += 1
            } else {
                throw ExpressionError(message: "unexpected character '\(c)'", offset: start)
            }
        }
        tokens.append((.end, characters.count))
        let terms = tokens.filter {
            if case .number = $0.token { return true }
            if case .identifier = $0.token { return true }
            return false
        }
        if terms.count > ClaimExpression.maximumTerms {
            throw ExpressionError(message: "more than \(ClaimExpression.maximumTerms) numbers and names in one "
                + "expression "
                                         + "(the limit)", offset: terms[ClaimExpression.maximumTerms].offset)
        }
    }

    /// Enters one level of nesting; throws past `ClaimExpression.maximumDepth`.
    mutating func nest() throws {
        depth += 1
        guard depth <= ClaimExpression.maximumDepth else {
            throw ExpressionError(message: "nested more than \(ClaimExpression.maximumDepth) levels deep (the limit)",
                                  offset: current.offset)
        }
    }

    mutating func accept(_ symbol: String) -> Bool {
        if case .symbol(symbol) = current.token { position += 1; return true }
        return false
    }

    mutating func expect(_ symbol: String) throws {
        guard accept(symbol) else {
            var error = unexpected()
            error.message += "; expected '\(symbol)'"
            throw error
        }
    }

    mutating func parseComparison() throws -> ClaimExpression {
        try nest()
        defer { depth -= 1 }
        let lhs = try parseSum()
        for op in ["<=", ">=", "<", ">"] where accept(op) {
            return .binary(op, lhs, try parseSum())
        }
        return lhs
    }

    mutating func parseSum() throws -> ClaimExpression {
        var lhs = try parseProduct()
        while true {
            if accept("+") { lhs = .binary("+", lhs, try parseProduct()) }
            else if accept("-") { lhs = .binary("-", lhs, try parseProduct()) }
            else { return lhs }
        }
    }

    mutating func parseProduct() throws -> ClaimExpression {
        var lhs = try parseUnary()
        while true {
            if accept("*") { lhs = .binary("*", lhs, try parseUnary()) }
            else if accept("/") { lhs = .binary("/", lhs, try parseUnary()) }
            else { return lhs }
        }
    }

    mutating func parseUnary() throws -> ClaimExpression {
        try nest()
        defer { depth -= 1 }
        if accept("-") { return .unary("-", try parseUnary()) }
        if accept("+") { return try parseUnary() }
        return try parsePower()
    }

    mutating func parsePower() throws -> ClaimExpression {
        let base = try parsePrimary()
        if accept("^") { return .binary("^", base, try parseUnary()) }
        return base
    }

    mutating func parsePrimary() throws -> ClaimExpression {
        let (token, offset) = current
        switch token {
        case .number(let value):
            position += 1
            return .number(value)
        case .symbol("("):
            position += 1
            let inner = try parseComparison()
            try expect(")")
            return inner
        case .identifier(let name):
            position += 1
            if accept("(") {
                guard let arity = ClaimExpression.functions[name] else {
                    let known = ClaimExpression.functions.keys.sorted().joined(separator: ", ")
                    throw ExpressionError(message: "unknown function '\(name)' (known: \(known))", offset: offset)
                }
                var arguments: [ClaimExpression] = []
                if !accept(")") {
                    repeat { arguments.append(try parseComparison()) } while accept(",")
                    try expect(")")
                }
                guard arguments.count == arity else {
                    throw ExpressionError(message: "\(name) takes \(arity) argument\(arity == 1 ? "" : "s"), got "
                        + "\(arguments.count)",
                                          offset: offset)
                }
                if name == "at", let index = arguments[1].literalValue, !(index == index.rounded() && abs(index) < 1e15) {
                    throw ExpressionError(message: "at(list, k) needs an integer index k, got \(formatNumber(index))",
                                          offset: offset)
                }
                return .call(name, arguments)
            }
            var selector: [ClaimExpression.Selector] = []
            if accept("[") {
                repeat {
                    guard case .identifier(let parameter) = current.token else { throw unexpected() }
                    position += 1
                    try expect("=")
                    var sign = 1.0
                    if accept("-") { sign = -1 }
                    guard case .number(let value) = current.token else { throw unexpected() }
                    position += 1
                    selector.append(.init(parameter: parameter, value: sign * value))
                } while accept(",")
                try expect("]")
            }
            guard accept(".") else {
                throw ExpressionError(message: "'\(name)' must be followed by '.quantity' (as in "
                    + "\(name).residual_norm) or '(' for a function",
                                      offset: offset)
            }
            guard case .identifier(let quantity) = current.token else { throw unexpected() }
            position += 1
            return .reference(id: name, selector: selector, name: quantity)
        default:
            throw unexpected()
        }
    }
}
