import Foundation
import NGD
import Render
import Yams

/// A `Decoder` over a Yams node tree that is strict where `YAMLDecoder` is lenient and precise where it is vague:
/// unknown keys are rejected, numbers must be YAML numbers (not quoted strings), and every error carries the
/// node's `line:column` and its key path. It also records the mark of every value it visits, so that later
/// validation (ranges, references) can point at the offending line.
final class StrictNodeDecoder {
    let file: String
    /// Marks of every decoded value, by key path (`optimizers.gd.lr`).
    private(set) var marks: [String: Mark] = [:]

    init(file: String) { self.file = file }

    func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        let decoder = NodeDecoding(node: node, codingPath: [], owner: self)
        return try decoder.decodeValue(type)
    }

    /// Marks of every key, by the key path it names.
    private(set) var keyMarks: [String: Mark] = [:]

    fileprivate func recordKey(_ path: [CodingKey], _ node: Node) {
        if let mark = node.mark { keyMarks[SpecPath.string(path)] = mark }
    }

    fileprivate func record(_ path: [CodingKey], _ node: Node) {
        if let mark = node.mark { marks[SpecPath.string(path)] = mark }
    }

    func error(_ message: String, at node: Node?, path: [CodingKey]) -> SpecError {
        let mark = node?.mark
        return SpecError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                         path: SpecPath.string(path), message: message)
    }
}

/// Key paths as a user reads them: `datasets.sphere.n`, `runs[2].optimizer`.
enum SpecPath {
    static func string(_ path: [CodingKey]) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue, key.stringValue.isEmpty || key is IndexKey {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }
}

struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// How a node looks to a user, for "expected X, got Y" messages.
func describe(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
        if scalar.style == .plain && node.tagName == .null { return "null" }
        return "\"\(scalar.string)\""
    }
}

private struct NodeDecoding: Decoder {
    let node: Node
    let codingPath: [CodingKey]
    let owner: StrictNodeDecoder
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        owner.record(codingPath, node)
        do {
            if let keywordType = T.self as? any SpecKeyword.Type {
                return try decodeKeyword(keywordType)
            }
            return try T(from: self)
        } catch let error as SpecError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            // Thrown by a custom `init(from:)` of a spec type: locate it at this node.
            throw owner.error(context.debugDescription, at: node, path: codingPath)
        } catch let DecodingError.typeMismatch(_, context) {
            throw owner.error(context.debugDescription, at: node, path: codingPath)
        }
    }

    /// Enumerations read as one of their spellings, with the list of valid ones in the error.
    private func decodeKeyword<T>(_ keywordType: any SpecKeyword.Type) throws -> T {
        let expected = "expected one of \(keywordType.keywords.joined(separator: ", "))"
        guard case .scalar(let scalar) = node, !isNull(node) else {
            throw owner.error("\(expected), got \(describe(node))", at: node, path: codingPath)
        }
        guard let value = keywordType.keyword(scalar.string) as? T else {
            throw owner.error("\(expected), got \(describe(node))", at: node, path: codingPath)
        }
        return value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw owner.error("expected a mapping, got \(describe(node))", at: node, path: codingPath)
        }
        var entries: [(key: String, value: Node)] = []
        var merged: [(keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            // YAML merge keys (`<<: *base`) let specs share settings; explicit keys win over merged ones.
            if case .scalar(let scalar) = keyNode, scalar.string == "<<", scalar.style == .plain {
                let sources: [Node]
                switch value {
                case .mapping: sources = [value]
                case .sequence(let sequence): sources = Array(sequence)
                default: throw owner.error("<< must merge a mapping or a list of mappings, got \(describe(value))",
                                           at: value, path: codingPath)
                }
                for source in sources {
                    guard case .mapping(let inner) = source else {
                        throw owner.error("<< must merge a mapping, got "
                            + "\(describe(source))", at: source, path: codingPath)
                    }
                    merged += inner.map { ($0.key, $0.value) }
                }
                continue
            }
            try appendEntry(keyNode, value, to: &entries, Key.self)
        }
        for (keyNode, value) in merged where !entries.contains(where: { $0.key == keyNode.scalar?.string }) {
            try appendEntry(keyNode, value, to: &entries, Key.self)
        }
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(entries: entries, node: node, codingPath: codingPath,
                                                              owner: owner))
    }

    private func appendEntry<Key: CodingKey>(_ keyNode: Node, _ value: Node, to entries: inout [(key: String, value: Node)],
                                             _ keyType: Key.Type) throws {
        guard case .scalar(let scalar) = keyNode else {
            throw owner.error("keys must be plain words, got \(describe(keyNode))", at: keyNode, path: codingPath)
        }
        owner.recordKey(codingPath + [NamedKey(scalar.string)], keyNode)
        guard Key(stringValue: scalar.string) != nil else {
            throw owner.error("unknown key "
                + "\"\(scalar.string)\"", at: keyNode, path: codingPath + [NamedKey(scalar.string)])
        }
        entries.append((scalar.string, value))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw owner.error("expected a list, got \(describe(node))", at: node, path: codingPath)
        }
        return NodeUnkeyedContainer(nodes: Array(sequence), codingPath: codingPath, owner: owner)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        NodeSingleValueContainer(node: node, codingPath: codingPath, owner: owner)
    }
}

struct NamedKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [(key: String, value: Node)]
    let node: Node
    let codingPath: [CodingKey]
    let owner: StrictNodeDecoder

    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { entries.contains { $0.key == key.stringValue } }

    private func value(for key: Key) throws -> Node {
        guard let entry = entries.first(where: { $0.key == key.stringValue }) else {
            throw owner.error("missing required key \"\(key.stringValue)\"", at: node, path: codingPath)
        }
        return entry.value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let entry = entries.first(where: { $0.key == key.stringValue }) else { return true }
        return isNull(entry.value)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = try value(for: key)
        return try NodeDecoding(node: child, codingPath: codingPath + [key], owner: owner).decodeValue(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let entry = entries.first(where: { $0.key == key.stringValue }), !isNull(entry.value) else { return nil }
        return try NodeDecoding(node: entry.value, codingPath: codingPath + [key], owner: owner).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoding(node: value(for: key), codingPath: codingPath + [key], owner: owner).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try NodeDecoding(node: value(for: key), codingPath: codingPath + [key], owner: owner).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { NodeDecoding(node: node, codingPath: codingPath, owner: owner) }
    func superDecoder(forKey key: Key) throws -> Decoder {
        try NodeDecoding(node: value(for: key), codingPath: codingPath + [key], owner: owner)
    }
}

private struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let nodes: [Node]
    let codingPath: [CodingKey]
    let owner: StrictNodeDecoder
    var currentIndex = 0

    init(nodes: [Node], codingPath: [CodingKey], owner: StrictNodeDecoder) {
        self.nodes = nodes
        self.codingPath = codingPath
        self.owner = owner
    }

    var count: Int? { nodes.count }
    var isAtEnd: Bool { currentIndex >= nodes.count }

    private mutating func next() throws -> (Node, [CodingKey]) {
        guard !isAtEnd else {
            throw owner.error("list has too few elements", at: nodes.last, path: codingPath)
        }
        defer { currentIndex += 1 }
        return (nodes[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, isNull(nodes[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, path) = try next()
        return try NodeDecoding(node: node, codingPath: path, owner: owner).decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        let (node, path) = try next()
        return try NodeDecoding(node: node, codingPath: path, owner: owner).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (node, path) = try next()
        return try NodeDecoding(node: node, codingPath: path, owner: owner).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (node, path) = try next()
        return NodeDecoding(node: node, codingPath: path, owner: owner)
    }
}

private func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
    return node.tagName == .null
}

/// Scalars: numbers must be YAML numbers, booleans YAML booleans; strings accept any non-null scalar.
private struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let node: Node
    let codingPath: [CodingKey]
    let owner: StrictNodeDecoder

    private func fail(_ expected: String) -> SpecError {
        owner.error("expected \(expected), got \(describe(node))", at: node, path: codingPath)
    }

    private func scalar() -> Node.Scalar? {
        if case .scalar(let scalar) = node { return scalar }
        return nil
    }

    func decodeNil() -> Bool { isNull(node) }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard let scalar = scalar(), node.tagName == .bool, let value = node.bool else { throw fail("true or false") }
        _ = scalar
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard let scalar = scalar(), !isNull(node) else { throw fail("a string") }
        return scalar.string
    }

    private func number() throws -> Double {
        guard scalar() != nil, node.tagName == .int || node.tagName == .float, let value = node.float else {
            throw fail("a number")
        }
        return value
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let scalar = scalar(), node.tagName == .int else { throw fail("an integer") }
        let text = scalar.string.replacingOccurrences(of: "_", with: "")
        guard let value = T(text) else {
            throw owner.error("expected an integer in the range \(T.min)…\(T.max), got \(describe(node))",
                              at: node, path: codingPath)
        }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double { try number() }
    func decode(_ type: Float.Type) throws -> Float { Float(try number()) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try NodeDecoding(node: node, codingPath: codingPath, owner: owner).decodeValue(type)
    }
}

/// Spec enumerations: decoded from one of their raw spellings; errors list the valid ones.
protocol SpecKeyword {
    static var keywords: [String] { get }
    static func keyword(_ text: String) -> Any?
}

extension SpecKeyword where Self: CaseIterable & RawRepresentable, RawValue == String {
    static var keywords: [String] { allCases.map(\.rawValue) }
    static func keyword(_ text: String) -> Any? { Self(rawValue: text) }
}

extension DatasetRequest.Kind: SpecKeyword {}
extension DatasetRequest.TargetOperator: SpecKeyword {}
extension OptimizerSpec.Kind: SpecKeyword {}
extension FigureKind: SpecKeyword {}
extension AxisScales: SpecKeyword {}
extension Reduction: SpecKeyword {}
extension Comparison: SpecKeyword {}
extension FigureSizePreset: SpecKeyword {}

extension Node {
    /// The resolved tag (str, int, float, bool, null, …) of the node.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
