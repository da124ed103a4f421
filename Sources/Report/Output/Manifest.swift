import Foundation

/// `manifest.json`: what was asked (the spec, verbatim and resolved), where it ran (provenance), what was found
/// (claims), and the SHA-256 of every output file except `manifest.json` and `timing.json`.
public struct Manifest: Codable, Sendable {
    public var tool: String
    public var toolVersion: String
    /// The spec file's name and exact text; `ngd verify` re-runs from these.
    public var specFile: String
    public var specSource: String
    /// A `--templates` directory the HTML was rendered with, if any.
    public var templatesDirectory: String?
    /// SOURCE_DATE_EPOCH at build time (the only date a verified file may show); verify re-runs with it.
    public var sourceDateEpoch: String?
    public var spec: ExperimentSpec
    public var runs: [RunMember]
    public var provenance: Provenance
    public var claims: [ClaimOutcome]
    /// Relative path → SHA-256 (hex), for every output file except `manifest.json` and `timing.json`.
    public var files: [String: String]
    /// The rule `ngd verify` applies, for a reader who opens this file cold.
    public var verification: String
    /// `--latex` figures (`pgf` or `pdf`) when the report has a `latex/` folder; absent otherwise.
    public var latex: String? = nil
    /// Tolerances the report declares for its own sensitive files; absent when it declares none.
    public var reproducibility: ReproducibilityRecord? = nil
    /// The data files the report read, by name, size and SHA-256 (never their directory), so `ngd verify` accepts
    /// the same bytes at any path; absent when it read none (built-in data).
    public var dataFiles: [DataFileRecord]? = nil

    public static let fileName = "manifest.json"
    public static let timingFileName = "timing.json"
    /// Where a Slurm-assembled report ran (scheduler, job ids, nodes): facts of the run, not of the results.
    public static let clusterFileName = "cluster.json"
    /// Files that are never hashed or compared: the manifest itself, the wall-clock record and the cluster record.
    public static let unverifiedFiles: Set<String> = [fileName, timingFileName, clusterFileName]
    public static let rule = "every file listed in `files` is re-created by re-running `spec_source`; on the same "
        + "machine and BLAS core it must match its SHA-256 and manifest.json the re-run's byte for byte (identical); "
        + "elsewhere numbers must agree within tolerance (`reproducibility` declares a report's own) and texts, "
        + "fonts and claim verdicts exactly (equivalent), or at least every claim's verdict (claims hold); "
        + "timing.json is not compared"
}

/// What `ngd verify` needs from a manifest. Decoded separately so that reading it never depends on the
/// exact shape of the spec types of the version that wrote it.
public struct ManifestHeader: Decodable, Sendable {
    public var toolVersion: String
    public var specFile: String
    public var specSource: String
    public var templatesDirectory: String?
    public var sourceDateEpoch: String?
    public var files: [String: String]
    public var provenance: Provenance?
    public var latex: String?
    public var reproducibility: ReproducibilityRecord?
    public var dataFiles: [DataFileRecord]?
    public var claims: [ClaimOutcome]?

    public static func read(from directory: String) throws -> ManifestHeader {
        let path = (directory as NSString).appendingPathComponent(Manifest.fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError.io(path: path, message: "no manifest (is this an ngd report directory?)")
        }
        do {
            return try CanonicalJSON.decoder().decode(ManifestHeader.self, from: data)
        } catch {
            throw ReportError.io(path: path, message: "not a valid manifest: \(error)")
        }
    }
}

/// Wall-clock facts, kept out of every verified file.
public struct Timing: Codable, Sendable {
    public var started: String
    public var wallSeconds: Double
    public var runsTrained: Int
    public var runsCached: Int
}

enum OutputFiles {
    /// Every regular file under `root`, as sorted relative paths; symbolic links are neither listed nor followed.
    static func list(_ root: String) -> [String] {
        ReportOwnership.walk(root).filter { $0.kind == .regularFile }.map(\.path).sorted()
    }

    /// SHA-256 of every verified file under `root`.
    static func hashes(_ root: String) -> [String: String] {
        var hashes: [String: String] = [:]
        for path in list(root) where !Manifest.unverifiedFiles.contains(path) {
            hashes[path] = SHA256Hex.ofFile(at: (root as NSString).appendingPathComponent(path)) ?? "unreadable"
        }
        return hashes
    }
}
