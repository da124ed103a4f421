import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/cache.txt.
    static func writeCacheFixtures(into directory: URL) throws {
    }
}
