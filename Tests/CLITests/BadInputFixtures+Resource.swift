import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/resources.txt.
    static func writeResourceFixtures(into directory: URL) throws {
    }
}
