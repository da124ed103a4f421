import Foundation

/// A cached result file that carries the SHA-256 of its own content, so an edited or corrupted number is caught
/// on load instead of going into a report.
///
/// The checksum is the SHA-256 of the entry's canonical JSON (compact, sorted keys) without the checksum field.
/// It is computed from the decoded values, so it checks what the entry says (every number), not its layout.
protocol ChecksummedEntry: Codable {
    var checksum: String? { get set }
}

extension ChecksummedEntry {
    func contentChecksum() throws -> String {
        var bare = self
        bare.checksum = nil
        return SHA256Hex.of(try CanonicalJSON.data(bare))
    }

    /// The entry with its checksum filled in, ready to be written.
    func sealed() throws -> Self {
        var entry = self
        entry.checksum = try contentChecksum()
        return entry
    }

    /// Whether the recorded checksum matches the content.
    var isIntact: Bool {
        guard let checksum else { return false }
        return (try? contentChecksum()) == checksum
    }
}

/// What reading one cache file found.
enum CacheRead<Entry> {
    /// No file at the path.
    case missing
    /// A file that must not be used; `reason` completes "PATH: …; retraining".
    case rejected(reason: String)
    /// An intact entry (its checksum matches); the caller still compares its run with the one requested.
    case intact(Entry, bytes: Data)

    static var checksumFailure: String { "cached result fails its checksum (edited or corrupt)" }

    static func read(_ type: Entry.Type, at path: String) -> CacheRead<Entry> where Entry: ChecksummedEntry {
        guard let data = FileManager.default.contents(atPath: path) else { return .missing }
        guard let entry = try? CanonicalJSON.decoder().decode(Entry.self, from: data) else {
            return .rejected(reason: "cached result cannot be read as a cache entry (edited or corrupt)")
        }
        guard entry.checksum != nil else {
            return .rejected(reason: "cached result carries no checksum (written by an older ngd, or edited)")
        }
        guard entry.isIntact else { return .rejected(reason: checksumFailure) }
        return .intact(entry, bytes: data)
    }
}

/// Where cache warnings go unless a caller says otherwise: one `ngd: warning:` line on stderr.
public enum CacheWarnings {
    @Sendable public static func standardError(_ message: String) {
        FileHandle.standardError.write(Data("ngd: warning: \(message)\n".utf8))
    }
}

/// The check `ngd verify` applies to a report's `runs/`: every entry must be intact and named for its key.
enum CacheIntegrity {
    static func isIntact(fileAt path: String) -> Bool {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        switch CacheRead.read(CachedRun.self, at: path) {
        case .intact(let entry, _): return entry.key == name
        case .rejected, .missing: break
        }
        switch CacheRead.read(CachedTrainingRun.self, at: path) {
        case .intact(let entry, _): return entry.key == name
        case .rejected, .missing: return false
        }
    }
}
