import Foundation

extension RunResult {
    /// Builds a result from any engine values, through their JSON form (snake_case keys), so connecting an
    /// engine is a few lines: `RunResult(steps: run.steps, summary: run.summary)`.
    ///
    /// - every numeric field of the per-step values becomes a series (a step without the field, e.g.
    ///   `contraction_ratio` at the last step, gives NaN there; "nan"/"inf" strings are read back as numbers);
    /// - numeric fields of `summary` become scalars, arrays of numbers become vectors; `Matrix`-shaped
    ///   objects (`rows`, `columns`, and a number array) become matrices; everything else is ignored.
    public init<Step: Encodable, Summary: Encodable>(steps: [Step], summary: Summary, notes: [String] = []) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        var series: [String: [Double]] = [:]
        let objects = try steps.map { try Self.object(encoder.encode($0)) }
        let names = Set(objects.flatMap { $0.compactMap { Self.number($0.value) == nil ? nil : $0.key } })
        for name in names.sorted() {
            series[name] = objects.map { Self.number($0[name]) ?? .nan }
        }
        var scalars: [String: Double] = [:], vectors: [String: [Double]] = [:], matrices: [String: MatrixValue] = [:]
        for (name, value) in try Self.object(encoder.encode(summary)) {
            if let number = Self.number(value) {
                scalars[name] = number
            } else if let numbers = Self.numbers(value) {
                vectors[name] = numbers
            } else if let matrix = Self.matrix(value) {
                matrices[name] = matrix
            }
        }
        self.init(series: series, scalars: scalars, vectors: vectors, matrices: matrices, notes: notes)
    }

    private static func object(_ data: Data) throws -> [String: JSONValue] {
        guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: data) else {
            throw EvaluationError("expected an engine value that encodes as a JSON object")
        }
        return object
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .number(let number)?: return number
        case .string("nan")?: return .nan
        case .string("inf")?: return .infinity
        case .string("-inf")?: return -.infinity
        default: return nil
        }
    }

    static func numbers(_ value: JSONValue) -> [Double]? {
        guard case .array(let items) = value, !items.isEmpty else { return nil }
        var result: [Double] = []
        for item in items {
            guard let number = number(item) else { return nil }
            result.append(number)
        }
        return result
    }

    static func matrix(_ value: JSONValue) -> MatrixValue? {
        // Sizes come from a file: converted only when they are exact integers, multiplied with an overflow check.
        guard case .object(let object) = value, let rowCount = number(object["rows"]), let columnCount = number(object["columns"]),
              let rows = Int(exactly: rowCount), let columns = Int(exactly: columnCount), rows >= 0, columns >= 0,
              case let (size, overflow) = rows.multipliedReportingOverflow(by: columns), !overflow else { return nil }
        for (key, item) in object.sorted(by: { $0.key < $1.key }) where key != "rows" && key != "columns" {
            if let values = numbers(item), values.count == size {
                return MatrixValue(rows: rows, columns: columns, values: values)
            }
        }
        return nil
    }
}

/// Just enough JSON to read engine values generically (booleans stay booleans, never numbers).
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}
