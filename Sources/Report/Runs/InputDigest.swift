import Crypto
import Foundation
import NGD

/// The content of the files a data request reads, as one SHA-256 (`DatasetRequest.contentDigest`).
///
/// The digest covers the raw bytes of each file with its role (csv, digits, images, labels) and nothing of its
/// path: a key depends on what the data is, not on where it lives, so a report rebuilt elsewhere from the same
/// bytes reuses its cache. (A gzipped and a plain copy of the same data are different bytes, so they get
/// different keys: a retrain, never a wrong result.) Built-in data (synthetic, lambda0, the embedded digits)
/// reads no file and has no digest, so its keys are those of earlier versions.
public enum InputDigest {
    /// The files `request` reads, with their role, in a fixed order. MNIST resolves its directory and split
    /// exactly as loading does (`MNIST.files(in:)`).
    public static func files(of request: DatasetRequest) throws -> [(role: String, path: String)] {
        switch request.kind {
        case .synthetic, .lambda0:
            return []
        case .digits:
            guard let path = request.path, !path.isEmpty else { return [] }
            return [("digits", path)]
        case .csv:
            guard let path = request.path, !path.isEmpty else { return [] }
            return [("csv", path)]
        case .mnist:
            let files = try MNIST.files(in: MNIST.directory(request.path))
            return [("images", files.images), ("labels", files.labels)]
        }
    }

    /// The digest of the files `request` reads; nil when it reads none.
    public static func digest(of request: DatasetRequest) throws -> String? {
        try combinedDigest(of: request, fileDigest: digest(ofFileAt:))
    }

    static func combinedDigest(of request: DatasetRequest, fileDigest: (String) throws -> String) throws -> String? {
        let files = try files(of: request)
        guard !files.isEmpty else { return nil }
        var material = ""
        for file in files { material += "\(file.role) \(try fileDigest(file.path))\n" }
        return SHA256Hex.of(Data(material.utf8))
    }

    /// Digests of files already read, so a sweep of many runs over one file reads it once.
    final class Memo {
        private var files: [String: String] = [:]

        func digest(of request: DatasetRequest) throws -> String? {
            try InputDigest.combinedDigest(of: request) { path in
                if let known = files[path] { return known }
                let digest = try InputDigest.digest(ofFileAt: path)
                files[path] = digest
                return digest
            }
        }
    }

    /// `request` with its `contentDigest` filled in.
    public static func digested(_ request: DatasetRequest) throws -> DatasetRequest {
        var digested = request
        digested.contentDigest = try digest(of: request)
        return digested
    }

    /// Throws unless the files of `request` still have the content its `contentDigest` records. Called after the
    /// data were loaded, so a file changed after its key was computed cannot slip into a result under that key.
    public static func check(_ request: DatasetRequest) throws {
        guard let expected = request.contentDigest else { return }
        guard try digest(of: request) == expected else {
            let names = try files(of: request).map(\.path).joined(separator: ", ")
            throw NGDError(names, "changed while it was in use (its content no longer matches the run's cache key); "
                                + "run again")
        }
    }

    /// SHA-256 (hex) of one file's bytes, read in blocks (the file is never held whole in memory).
    static func digest(ofFileAt path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NGDError(path, "no such file")
        }
        guard !isDirectory.boolValue else { throw NGDError(path, "is a directory, expected a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw NGDError(path, "cannot be read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
                hasher.update(data: block)
            }
        } catch {
            throw NGDError(path, "cannot be read")
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
