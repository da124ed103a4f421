import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/validation.txt.
    static func writeValidationFixtures(into directory: URL) throws {
    }
}
