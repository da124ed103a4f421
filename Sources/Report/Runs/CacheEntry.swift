import Foundation
import NGD

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

/// A cache entry named for its key and stamped with the version of the tool that wrote it.
protocol KeyedEntry: ChecksummedEntry {
    var key: String { get }
    var toolVersion: String { get }
}

/// The one lookup rule of every run cache (spec runs store `CachedRun`, paper studies `CachedTrainingRun`):
/// `<directory>/<key>.json` first, then each read-only directory; the first intact entry of this tool version
/// that records the requested run is used, a valid entry found in a read-only directory is copied into
/// `directory` byte for byte, and every file found and refused is reported through `warn`.
struct EntryStore<Entry: KeyedEntry> {
    /// Where new entries go (nil: nothing is written, e.g. a study context in a test).
    var directory: String?
    var readOnly: [String]
    var warn: (String) -> Void

    /// What the store holds for one key: the entry that may be used, its file and bytes, and the files that were
    /// found and refused, with why. No side effects.
    struct Lookup {
        var entry: Entry?
        var source: String?
        var bytes: Data?
        var rejected: [(path: String, reason: String)] = []
    }

    static func path(_ directory: String, _ key: String) -> String {
        (directory as NSString).appendingPathComponent("\(key).json")
    }

    /// `records` says whether an intact entry named `key` records exactly the requested run.
    func lookup(_ key: String, records: (Entry) -> Bool) -> Lookup {
        var lookup = Lookup()
        for source in (directory.map { [$0] } ?? []) + readOnly {
            let path = Self.path(source, key)
            switch CacheRead.read(Entry.self, at: path) {
            case .missing:
                continue
            case .rejected(let reason):
                lookup.rejected.append((path, reason))
            case .intact(let entry, let bytes):
                // An older version's entry is expected after an upgrade: not a warning.
                guard entry.toolVersion == ToolInfo.version else { continue }
                guard entry.key == key, records(entry) else {
                    lookup.rejected.append((path, "cached result records another run than the one its name says"))
                    continue
                }
                lookup.entry = entry
                lookup.source = path
                lookup.bytes = bytes
                return lookup
            }
        }
        return lookup
    }

    /// The usable entry for `key`, if any: refused files are warned about, and one found in a read-only
    /// directory is copied into `directory`.
    func entry(_ key: String, records: (Entry) -> Bool) -> Entry? {
        let lookup = lookup(key, records: records)
        let target = directory.map { Self.path($0, key) }
        for (path, reason) in lookup.rejected where lookup.entry == nil || path != target {
            warn("\(path): \(reason); \(lookup.entry == nil ? "retraining" : "using \(lookup.source ?? "another copy")")")
        }
        if let target, let source = lookup.source, source != target, let bytes = lookup.bytes {
            try? AtomicFile.write(bytes, to: target)
        }
        return lookup.entry
    }

    /// Seals `entry` (its checksum) and writes it atomically as `<directory>/<key>.json`.
    func store(_ entry: Entry) throws {
        guard let directory else { return }
        try AtomicFile.write(try CanonicalJSON.data(try entry.sealed(), pretty: true),
                             to: Self.path(directory, entry.key))
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
