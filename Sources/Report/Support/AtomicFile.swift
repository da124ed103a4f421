import Foundation

/// Writes files so that a reader (or an interrupted process) never sees half a file:
/// write a temporary file in the same directory, then rename it over the target.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory,
                                                    withIntermediateDirectories: true)
            let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw ReportError.io(path: path, message: "cannot write")
            }
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: temporary)
                throw ReportError.io(path: path, message: "cannot rename into place: \(reason)")
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError.io(path: path, message: error.localizedDescription)
        }
    }
}
