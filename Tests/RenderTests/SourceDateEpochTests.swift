import Testing
@testable import Render

@Suite("SOURCE_DATE_EPOCH")
struct SourceDateEpochTests {
    @Test("unset or empty means not given; a non-negative integer is read")
    func acceptedValues() throws {
        #expect(try SourceDateEpoch.seconds(from: nil) == nil)
        #expect(try SourceDateEpoch.seconds(from: "") == nil)
        #expect(try SourceDateEpoch.seconds(from: "0") == 0)
        #expect(try SourceDateEpoch.seconds(from: "1700000000") == 1_700_000_000)
        #expect(try SourceDateEpoch.seconds(in: ["SOURCE_DATE_EPOCH": "42"]) == 42)
    }

    @Test("anything else is an error naming the value, never a silent fallback to the default date",
          arguments: ["abc", "-1", "1e9", "1.5", " 12", "12 ", "+5", "0x10", "99999999999999", "253402300800"])
    func malformedValues(_ value: String) {
        #expect(throws: SourceDateEpoch.Malformed.self) { try SourceDateEpoch.seconds(from: value) }
        #expect((try? SourceDateEpoch.seconds(from: value)) == nil)
    }
}
