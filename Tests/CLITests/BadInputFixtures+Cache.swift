import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/cache.txt: specs whose data paths are read from the spec's directory (and hashed for
    /// the cache key before anything is trained), so a missing or wrong input fails before any work.
    static func writeCacheFixtures(into directory: URL) throws {
        func spec(_ dataset: String) -> String { minimalSpec(dataset: dataset) }
        try file("spec-cache-missing-csv.yaml", spec("{kind: csv, path: missing.csv}"), in: directory)
        try file("spec-cache-csv-is-directory.yaml", spec("{kind: csv, path: a-directory.csv}"), in: directory)
        try file("spec-cache-missing-mnist.yaml", spec("{kind: mnist, path: no-such-mnist, outputs: 2}"), in: directory)
        try file("spec-cache-mnist-no-dir.yaml", spec("{kind: mnist, outputs: 2}"), in: directory)
        try file("spec-cache-missing-digits.yaml", spec("{kind: digits, path: missing-digits.csv, outputs: 2}"), in: directory)
        // A spec in a subdirectory whose CSV sits beside it: from {dir}, `good.csv` there would be the wrong file.
        try file("cache-project/spec.yaml", spec("{kind: csv, path: absent.csv}"), in: directory)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("cache-elsewhere"),
                                                withIntermediateDirectories: true)
    }
}
