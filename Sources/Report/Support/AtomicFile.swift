import Foundation
import Render

/// Report's path-based entry to Render's `AtomicFile` (the one atomic writer: temporary file beside the target,
/// then rename): creates the directory on the way and reports failures as `ReportError`.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let directory = PathText.parent(of: path)
        do {
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory,
                                                    withIntermediateDirectories: true)
            try Render.AtomicFile.write(data, to: URL(fileURLWithPath: path))
        } catch let error as RenderError {
            throw ReportError.io(path: path, message: error.message)
        } catch {
            throw ReportError.io(path: path, message: error.localizedDescription)
        }
    }
}
