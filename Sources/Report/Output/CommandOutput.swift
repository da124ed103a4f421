import Foundation
import NGD
import Render

/// A command's output: stdout, or a file written through the one atomic writer (Render's `AtomicFile`:
/// temporary file beside the destination, then rename, so readers never see half a file), after the
/// output-location rule (`OutputLocation.checkFile`): never a directory, a symbolic link or one of the
/// command's inputs.
public enum CommandOutput {
    /// Checks `path` before any work is done: refusals are usage errors (exit 2), a missing directory a runtime one.
    /// nil or "-" is stdout.
    public static func check(_ path: String?, inputs: [String] = []) throws {
        guard let path, path != "-" else { return }
        try CommandErrors.translating { try OutputLocation.checkFile(path, inputs: inputs) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw NGDError(path, "the directory \(directory.path) does not exist")
        }
    }

    public static func write(_ data: Data, to path: String?, inputs: [String] = []) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(data)
            return
        }
        try check(path, inputs: inputs)
        do {
            try Render.AtomicFile.write(data, to: URL(fileURLWithPath: path))
        } catch let error as RenderError {
            throw NGDError(path, error.message)
        }
    }

    /// The files a data set is read from (its CSV or digits file, or the MNIST files of its directory), which no
    /// output may replace.
    public static func inputs(of request: DatasetRequest) -> [String] {
        switch request.kind {
        case .csv, .digits:
            return request.path.map { [$0] } ?? []
        case .mnist:
            guard let files = try? MNIST.files(in: MNIST.directory(request.path)) else { return [] }
            return [files.images, files.labels]
        case .synthetic, .lambda0:
            return []
        }
    }
}
