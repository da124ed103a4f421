import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/output-directories.txt.
    static func writeOutputDirectoryFixtures(into directory: URL) throws {
    }
}
