import Foundation
import NGD

/// A data file a report read, by content: what `ngd verify` checks on another machine, where the data may live
/// at any path. The manifest records no directory, only the file's name, role, size and SHA-256.
public struct DataFileRecord: Codable, Hashable, Sendable {
    /// csv, digits, images or labels (`InputDigest.files`).
    public var role: String
    public var name: String
    public var bytes: Int
    public var sha256: String
}

enum DataIdentity {
    /// The files `requests` read, each once, in first-read order.
    static func records(of requests: [DatasetRequest]) throws -> [DataFileRecord] {
        var records: [DataFileRecord] = []
        for request in requests {
            for file in try InputDigest.files(of: request) {
                let record = try self.record(role: file.role, path: file.path)
                if !records.contains(record) { records.append(record) }
            }
        }
        return records
    }

    /// `records(of:)`, or nil when the requests read no file (the manifest then has no `data_files`).
    static func recorded(_ requests: [DatasetRequest]) throws -> [DataFileRecord]? {
        let records = try records(of: requests)
        return records.isEmpty ? nil : records
    }

    static func record(role: String, path: String) throws -> DataFileRecord {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return DataFileRecord(role: role, name: (path as NSString).lastPathComponent, bytes: size ?? 0,
                              sha256: try InputDigest.digest(ofFileAt: path))
    }

    /// Throws unless the files `requests` read now are the recorded ones, byte for byte (their paths may differ).
    static func check(_ requests: [DatasetRequest], against recorded: [DataFileRecord]?) throws {
        guard let recorded, !recorded.isEmpty else { return }
        for request in requests {
            for file in try InputDigest.files(of: request) {
                let found = try record(role: file.role, path: file.path)
                let known = recorded.contains { $0.role == found.role && $0.sha256 == found.sha256 }
                guard !known else { continue }
                let expected = recorded.filter { $0.role == found.role }
                    .map { "\($0.name), \($0.bytes) bytes, SHA-256 \($0.sha256)" }.joined(separator: " or ")
                throw ReportError.io(path: file.path, message: "is not the data the report was made from: "
                    + "\(found.bytes) bytes, SHA-256 \(found.sha256); the manifest records "
                    + "\(expected.isEmpty ? "no \(found.role) file" : expected)")
            }
        }
    }
}

extension PaperSettings {
    /// The data files the paper reads from outside: MNIST, when it was given (the UCI digits are built in).
    var dataRequests: [DatasetRequest] {
        mnistDirectory.map { [Figure1Request.defaultData(mnistDirectory: $0)] } ?? []
    }
}
